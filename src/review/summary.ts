import type { LayerSuggestion, SnapshotBody } from '../domain/evidence.js';
import type { RuleSet } from '../engine/rules-schema.js';
import { rankActions, type Action } from './actions.js';
import { layerAnchor, shortLayerName } from './anchors.js';
import { RuleIndex } from './conditions.js';
import { exemptionsOf, layerExempt, overrideOf, type Override } from './decision-fields.js';
import { diffSnapshots, type SnapshotDiff } from './diff.js';
import { count, dateWords, windowWords } from './format.js';

/** One step of a layer's ladder. */
export interface LadderStep {
  level: number;
  name: string;
  /** proven: the evidence shows it; possible: reachable if the undecided turn out met; open: not. */
  state: 'proven' | 'possible' | 'open';
}

/** A layer's ladder: the proven and the possible level among the model's levels. */
export interface Ladder {
  model: string;
  layer: string;
  layerName: string;
  anchor: string;
  level: number;
  levelName: string;
  possibleLevel: number;
  possibleLevelName: string;
  top: number;
  steps: LadderStep[];
  awaiting: { data: number; review: number };
  /** "Structured (2); could be Managed (3) once 2 criteria are reviewed". */
  words: string;
  /** The level moved since the previous snapshot. */
  change?: { from: number; to: number };
  /** Partial snapshot: the level is the previous one, held while evidence is missing. */
  held: boolean;
  /** The level a reviewer decided, beside the suggested one. */
  override?: Override & { words: string };
  /** The whole model does not apply. */
  exempt: boolean;
}

export interface ModelSummary {
  id: string;
  name: string;
  /** "Managed in 4 of 6 layers; Strategy held back only by 4 unreviewed criteria." */
  sentence: string;
  ladders: Ladder[];
  exempt?: string;
}

export interface Summary {
  account: string;
  asOf: string;
  asOfWords: string;
  /** "last 90 days", "all history". */
  windowWords: string;
  /** "evidence from 2 Apr 2026 to 30 Jun 2026", and why when the window was narrowed. */
  periodWords?: string;
  rules: {
    version: string;
    hash: string;
    /** "rules 2.0.0 (0ec1a6fe)". */
    words: string;
    /** The rules used to read the snapshot differ from the ones it was judged with. */
    readWith?: { version: string; hash: string; words: string };
    /** Judged again under other rules than it was stored with: "stored with rules 1.9.0 (…)". */
    storedWith?: string;
  };
  /** The snapshot is partial: which sources failed and what that means ("tickets failed to sync; …"). */
  partial?: string;
  /**
   * The window holds none of the tickets stored, all older or all newer ("None of the 24,918
   * tickets stored falls in this window: …"): the figures describe a helpdesk without tickets.
   */
  outside?: string;
  models: ModelSummary[];
  /** The change since the previous snapshot; absent for the first one. */
  change?: SnapshotDiff & { sinceWords: string };
  actions: Action[];
  advice: { severity: 'urgent' | 'advice'; text: string }[];
}

export interface SummaryInput {
  body: SnapshotBody;
  rules: RuleSet;
  previous?: SnapshotBody;
}

/** The first screen's content: where each layer stands, what changed and what to do next. */
export function summarise({ body, rules, previous }: SummaryInput): Summary {
  const index = new RuleIndex(rules);
  const change = previous ? diffSnapshots(previous, body, index) : undefined;
  const moved = new Map(change?.layers.map((c) => [`${c.model}/${c.layer}`, c]) ?? []);
  const exemptions = exemptionsOf(body);
  const byModel = new Map<string, LayerSuggestion[]>();
  for (const l of body.layers) byModel.set(l.model, [...(byModel.get(l.model) ?? []), l]);
  const models: ModelSummary[] = [...byModel].map(([id, layers]) => {
    const model = index.model(id);
    const names = model?.levels.map((x) => x.name) ?? [];
    const ladders = layers.map((l) => ladder(l, names, moved.get(`${l.model}/${l.layer}`)));
    const whole = exemptions.find((e) => e.model === id && e.criterionId === undefined);
    const exempt =
      whole ?? (layers.every((l) => layerExempt(l)) ? layerExempt(layers[0]!) : undefined);
    return {
      id,
      name: layers[0]!.modelName,
      ladders,
      sentence: exempt
        ? `Not applicable${exempt.by ? ` (decided by ${exempt.by})` : ''}${exempt.reason ? `: ${exempt.reason}` : ''}.`
        : modelSentence(ladders, names.length),
      ...(exempt ? { exempt: exempt.reason ?? 'not applicable' } : {}),
    };
  });
  const readWith =
    body.rulesHash !== rules.hash
      ? {
          version: rules.version,
          hash: rules.hash.slice(0, 8),
          words: `read with the current rules ${rules.version} (${rules.hash.slice(0, 8)})`,
        }
      : undefined;
  return {
    account: body.account,
    asOf: body.asOf,
    asOfWords: dateWords(body.asOf),
    windowWords: windowWords(body.window),
    ...(body.period ? { periodWords: periodWords(body.period) } : {}),
    rules: {
      version: body.rulesVersion,
      hash: body.rulesHash.slice(0, 8),
      words: `rules ${body.rulesVersion} (${body.rulesHash.slice(0, 8)})`,
      ...(readWith ? { readWith } : {}),
      ...(body.reviewed?.storedRules
        ? {
            storedWith: `stored with rules ${body.reviewed.storedRules.version} (${body.reviewed.storedRules.hash.slice(0, 8)})`,
          }
        : {}),
    },
    ...(body.partial ? { partial: partialWords(body) } : {}),
    ...(body.period?.earlier || body.period?.later
      ? { outside: outsideWords(body.period.earlier ?? body.period.later!, !body.period.earlier) }
      : {}),
    models,
    ...(change && previous
      ? { change: { ...change, sinceWords: `Since ${dateWords(previous.asOf)}` } }
      : {}),
    actions: rankActions(body, index),
    advice: (body.advice ?? []).map((a) => ({ severity: a.severity, text: a.text })),
  };
}

function ladder(
  l: LayerSuggestion,
  names: string[],
  moved: { from: number; to: number } | undefined,
): Ladder {
  const top = Math.max(names.length, ...l.criteria.map((c) => c.level));
  const steps: LadderStep[] = [];
  for (let i = 1; i <= top; i++)
    steps.push({
      level: i,
      name: names[i - 1] ?? `Level ${i}`,
      state: i <= l.level ? 'proven' : i <= l.possibleLevel ? 'possible' : 'open',
    });
  const o = overrideOf(l);
  const awaiting = l.awaiting ?? { data: 0, review: 0 };
  return {
    model: l.model,
    layer: l.layer,
    layerName: shortLayerName(l.layerName),
    anchor: layerAnchor(l.model, l.layer),
    level: l.level,
    levelName: l.levelName,
    possibleLevel: l.possibleLevel,
    possibleLevelName: l.possibleLevelName,
    top,
    steps,
    awaiting,
    words: ladderWords(l, top, awaiting),
    held: !!l.heldFromPrevious,
    exempt: !!layerExempt(l),
    ...(moved ? { change: { from: moved.from, to: moved.to } } : {}),
    ...(o
      ? {
          override: {
            ...o,
            words: `Decided: ${o.levelName ?? `level ${o.level}`} (${o.level})${o.by ? ` by ${o.by}` : ''}${o.reason ? ` (${o.reason})` : ''}; suggested by the evidence: ${l.levelName} (${l.level})${o.stale ? ' — ⚠ stale: the evidence changed since the decision' : ''}`,
          },
        }
      : {}),
  };
}

/** "Structured (2); could be Managed (3): 2 criteria await a reviewer". */
function ladderWords(l: LayerSuggestion, top: number, awaiting: Ladder['awaiting']): string {
  const shown = top === 1 ? l.levelName : `${l.levelName} (${l.level} of ${top})`;
  if (l.possibleLevel <= l.level) return shown;
  return `${shown}; could be ${l.possibleLevelName} (${l.possibleLevel}): ${awaitingWords(awaiting)}`;
}

/** "4 criteria await a reviewer", "1 criterion awaits data", "3 criteria await data or review". */
export function awaitingWords(a: { data: number; review: number }): string {
  const n = a.data + a.review;
  const verb = n === 1 ? 'criterion awaits' : 'criteria await';
  const what =
    a.data && a.review
      ? `data (${a.data}) or a reviewer (${a.review})`
      : a.data
        ? 'data'
        : 'a reviewer';
  return `${n} ${verb} ${what}`;
}

/**
 * One sentence per model: the level most layers stand at, the layers elsewhere, and the layers
 * that only undecided criteria hold back ("Managed in 4 of 6 layers, Structured in Offerings and
 * People; Strategy held back only by 4 unreviewed criteria.").
 */
export function modelSentence(ladders: Ladder[], levels: number): string {
  const live = ladders.filter((l) => !l.exempt);
  if (!live.length) return 'Not applicable.';
  if (live.length === 1 && levels > 1) {
    const l = live[0]!;
    const held = heldBack(l);
    return `${l.levelName} (level ${l.level} of ${l.top})${held ? `; ${l.layerName} ${held}` : ''}.`;
  }
  const groups = new Map<number, Ladder[]>();
  for (const l of live) groups.set(l.level, [...(groups.get(l.level) ?? []), l]);
  const [modeLevel, modeLayers] = [...groups].sort(
    (a, b) => b[1].length - a[1].length || b[0] - a[0],
  )[0]!;
  const n = live.length;
  const head =
    modeLayers.length === n
      ? `${modeLayers[0]!.levelName} in all ${n} layers`
      : `${modeLayers[0]!.levelName} in ${modeLayers.length} of ${n} layers`;
  const others = [...groups]
    .filter(([lvl]) => lvl !== modeLevel)
    .sort((a, b) => b[0] - a[0])
    .map(([, ls]) => `${ls[0]!.levelName} in ${andList(ls.map((l) => l.layerName))}`);
  // Layers held back the same way share one clause ("A and B each held back only by …").
  const byReason = new Map<string, string[]>();
  for (const l of live) {
    const why = heldBack(l);
    if (why) byReason.set(why, [...(byReason.get(why) ?? []), l.layerName]);
  }
  const held = [...byReason]
    .map(([why, names]) =>
      names.length === 1 ? `${names[0]} ${why}` : `${andList(names)} each ${why}`,
    )
    .slice(0, 3);
  const decided = live
    .filter((l) => l.override)
    .map(
      (l) => `${l.layerName} decided at ${l.override!.level}${l.override!.stale ? ' (stale)' : ''}`,
    );
  return `${[head, ...others].join(', ')}${[...held, ...decided].map((h) => `; ${h}`).join('')}.`;
}

/** "held back only by 4 unreviewed criteria"; nothing when no undecided criterion holds it back. */
function heldBack(l: Ladder): string | undefined {
  if (l.possibleLevel <= l.level) return undefined;
  const { data, review } = l.awaiting;
  const n = (x: number) => `${x} ${x === 1 ? 'criterion' : 'criteria'}`;
  if (review && !data) return `held back only by ${n(review).replace(' ', ' unreviewed ')}`;
  if (data && !review) return `held back only by ${n(data)} awaiting data`;
  if (data || review)
    return `could reach ${l.possibleLevelName} once ${n(data + review).replace(' ', ' undecided ')} are decided`;
  return undefined;
}

const andList = (xs: string[]) =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

function periodWords(p: NonNullable<SnapshotBody['period']>): string {
  const span = p.from
    ? `evidence from ${dateWords(p.from)} to ${dateWords(p.to)}`
    : `evidence from all history to ${dateWords(p.to)}`;
  return p.narrowed ? `${span} only: earlier history was not synced` : span;
}

function outsideWords(
  e: NonNullable<NonNullable<SnapshotBody['period']>['earlier']>,
  after: boolean,
): string {
  const tickets = `${count(e.tickets)} ${e.tickets === 1 ? 'ticket' : 'tickets'}`;
  return `None of the ${tickets} stored falls in this window: they were created from ${dateWords(e.first)} to ${dateWords(e.last)}${after ? ', after it' : ''}, so the figures here describe a helpdesk without tickets. A snapshot as of ${dateWords(e.last)} judges them.`;
}

function partialWords(body: SnapshotBody): string {
  const failed = body.failedSources?.length ? body.failedSources.join(', ') : 'some sources';
  return body.dataAge
    ? `${failed} failed to sync; their figures use the records earlier syncs stored`
    : `${failed} failed; their evidence is unknown and the levels they would decide are held`;
}
