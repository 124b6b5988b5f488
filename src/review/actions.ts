import {
  undeterminedTop,
  type CriterionResult,
  type LayerSuggestion,
  type SnapshotBody,
} from '../domain/evidence.js';
import { criterionAnchor, shortLayerName } from './anchors.js';
import { atChosenBaseline } from './chosen-baseline.js';
import {
  conditionsOf,
  readConditions,
  type ConditionReading,
  type RuleIndex,
} from './conditions.js';
import { exemptionsOf, isExempt, layerExempt, type Exemption } from './decision-fields.js';
import {
  conditionAction,
  count,
  dateWords,
  inSentence,
  metricLabel,
  valueWords,
} from './format.js';

/**
 * The next steps, ranked.
 *
 * An **improve** action is one unmet condition of the rules (say "customer SLA policies at least
 * 1"). The same condition behind several criteria, layers or models is one action: it is keyed by
 * the condition itself (metric, breakdown or bound, operator, threshold). A criterion whose
 * conditions are alternatives ("any") gives one action for the set; a criterion decided by a
 * reviewer's "not in place" gives one action of its own.
 *
 * Ranking. A layer's *possible level* is the highest level no unmet criterion stands in the way of
 * (every unknown counted as met, as in the engine). An action **unlocks** a level when, with that
 * action done and nothing else, the layer's possible level rises past it: `unlocks` is the sum
 * over all layers of possible level after − possible level now. Its **targets** are the layers
 * whose next blocked level (possible level + 1) it stands in front of, alone or among other
 * actions (`others` counts the other actions that level still needs). Actions rank by levels
 * unlocked, then by targets, then by criteria, then by their text.
 *
 * A **data** action is a metric whose absence or thin sample leaves criteria unknown; a **review**
 * action is a layer's criteria only a reviewer can decide. For those two, `unlocks` counts the
 * proven levels gained were the criteria to turn out met. Exempt criteria (and exempt models) are
 * never actions, nor is leaving a baseline the rules call a choice (no support partner) once the
 * data shows the layer stands there.
 */
export interface ActionTarget {
  model: string;
  layer: string;
  /** "Offerings L2"; a model with a single level shows the layer's name alone. */
  text: string;
  level: number;
  levelName: string;
  /** This action alone makes the level reachable. */
  alone: boolean;
  /** Other actions the level still needs besides this one. */
  others: number;
}

export interface CriterionRef {
  model: string;
  layer: string;
  id: string;
  statement: string;
  anchor: string;
}

export interface Action {
  kind: 'improve' | 'data' | 'review';
  /** The condition (or criterion, metric, layer) behind the action. */
  key: string;
  /** "Raise customer SLA policies to at least 1 (now 0)". */
  text: string;
  /** Why, where it is not in the text ("only 12 SLA targets; 30 needed"). */
  detail?: string;
  unlocks: number;
  targets: ActionTarget[];
  criteria: CriterionRef[];
}

/** A criterion's blocking requirement: the action keys that must all be done to clear it. */
interface Need {
  layer: LayerSuggestion;
  criterion: CriterionResult;
  keys: Set<string>;
}

interface Draft {
  kind: Action['kind'];
  text: string;
  detail?: string;
  criteria: CriterionRef[];
}

export function rankActions(body: SnapshotBody, index: RuleIndex): Action[] {
  const metrics = new Map(body.metrics.map((m) => [m.id, m]));
  const absent = body.absent;
  const exemptions = exemptionsOf(body);
  const drafts = new Map<string, Draft>();
  const blocking = new Map<LayerSuggestion, Need[]>();
  const undecided = new Map<LayerSuggestion, Need[]>();
  const note = (key: string, d: Omit<Draft, 'criteria'>, ref: CriterionRef) => {
    const had = drafts.get(key);
    if (!had) drafts.set(key, { ...d, criteria: [ref] });
    else if (!had.criteria.some((c) => c.anchor === ref.anchor)) had.criteria.push(ref);
  };

  for (const layer of body.layers) {
    if (layerExempt(layer) || wholeModelExempt(exemptions, layer.model)) continue;
    if (atChosenBaseline(layer, index.rules)) continue;
    const needs: Need[] = [];
    const open: Need[] = [];
    for (const c of layer.criteria) {
      if (c.status === 'met' || isExempt(body, layer.model, c, exemptions)) continue;
      const ref: CriterionRef = {
        model: layer.model,
        layer: layer.layer,
        id: c.id,
        statement: c.statement,
        anchor: criterionAnchor(layer.model, layer.layer, c.id),
      };
      const found = index.criterion(layer.model, layer.layer, c.id);
      const rule = found?.rule;
      const readings = rule && !c.attested ? readConditions(rule, metrics, absent) : [];
      if (c.status === 'unmet') {
        const keys = unmetKeys(c, rule ? conditionsOf(rule).mode : 'all', readings, ref, note);
        needs.push({ layer, criterion: c, keys });
        continue;
      }
      // Unknown: a reviewer decides it, or data would.
      const review = rule ? !rule.when || !!rule.confirmOnly : !!c.confirmOnly || !c.values;
      if (review || !readings.length) {
        const key = `review ${layer.model}/${layer.layer}`;
        note(key, { kind: 'review', text: '' }, ref);
        open.push({ layer, criterion: c, keys: new Set([key]) });
        continue;
      }
      const keys = new Set<string>();
      for (const r of readings.filter((x) => x.status === 'unknown')) {
        const key = `data ${r.condition.metric}`;
        note(key, dataDraft(r), ref);
        keys.add(key);
      }
      open.push({ layer, criterion: c, keys });
    }
    blocking.set(layer, needs);
    undecided.set(layer, open);
  }

  // Every stored ticket is older than the window, or newer (SnapshotBody.period): what the data
  // lacks is not tickets created but a snapshot as of when they were.
  const earlier = body.period?.earlier ?? body.period?.later;
  if (earlier) {
    for (const [key, d] of drafts) {
      if (d.kind !== 'improve' || !key.startsWith('tickets.count ')) continue;
      d.text = `Judge the stored tickets as of ${dateWords(earlier.last)}`;
      d.detail = `none of the ${count(earlier.tickets)} falls in this window; they were created from ${dateWords(earlier.first)} to ${dateWords(earlier.last)}`;
    }
  }

  const actions: Action[] = [];
  for (const [key, d] of drafts) {
    const done = new Set([key]);
    let unlocks = 0;
    const targets: ActionTarget[] = [];
    for (const layer of body.layers) {
      if (d.kind === 'improve') {
        const needs = blocking.get(layer) ?? [];
        const now = reachable(layer, needs, new Set());
        const after = reachable(layer, needs, done);
        unlocks += after - now;
        const next = needs.filter((n) => n.criterion.level === now + 1);
        const all = new Set(next.flatMap((n) => [...n.keys]));
        if (all.has(key)) targets.push(target(layer, now + 1, after > now, all.size - 1, index));
      } else {
        const open = undecided.get(layer) ?? [];
        const blocked = blocking.get(layer) ?? [];
        const now = provable(layer, blocked, open, new Set());
        const after = provable(layer, blocked, open, done);
        unlocks += after - now;
        const next = open.filter((n) => n.criterion.level === now + 1);
        const all = new Set(next.flatMap((n) => [...n.keys]));
        const unmet = new Set(
          blocked.filter((n) => n.criterion.level === now + 1).flatMap((n) => [...n.keys]),
        );
        if (all.has(key))
          targets.push(target(layer, now + 1, after > now, all.size - 1 + unmet.size, index));
      }
    }
    const text =
      d.kind === 'review'
        ? `Review ${d.criteria.length} ${d.criteria.length === 1 ? 'criterion' : 'criteria'} of ${reviewLayerName(body, d.criteria[0]!)}`
        : d.text;
    actions.push({
      kind: d.kind,
      key,
      text,
      ...(d.detail ? { detail: d.detail } : {}),
      unlocks,
      targets,
      criteria: d.criteria,
    });
  }
  const order = { improve: 0, data: 1, review: 2 };
  return actions.sort(
    (a, b) =>
      order[a.kind] - order[b.kind] ||
      b.unlocks - a.unlocks ||
      b.targets.length - a.targets.length ||
      b.criteria.length - a.criteria.length ||
      a.text.localeCompare(b.text),
  );
}

/** The action keys an unmet criterion needs, each noted as an action. */
function unmetKeys(
  c: CriterionResult,
  mode: 'all' | 'any',
  readings: ConditionReading[],
  ref: CriterionRef,
  note: (key: string, d: Omit<Draft, 'criteria'>, ref: CriterionRef) => void,
): Set<string> {
  const unmet = readings.filter((r) => r.status === 'unmet');
  if (!unmet.length) {
    // Decided by a reviewer's "not in place", or the rules changed since: the criterion itself.
    const key = `criterion ${ref.model}/${ref.id}`;
    const by = c.gap && /by (.+)$/.exec(c.gap)?.[1];
    note(
      key,
      {
        kind: 'improve',
        text: `Put in place: ${c.statement}`,
        ...(c.attested ? { detail: `attested as not in place${by ? ` by ${by}` : ''}` } : {}),
      },
      ref,
    );
    return new Set([key]);
  }
  if (mode === 'any' && unmet.length > 1) {
    const key = `any ${unmet.map((r) => r.key).join(' | ')}`;
    const parts = unmet.map((r) => inSentence(conditionAction(r.condition, r.value)));
    note(key, { kind: 'improve', text: `Do one of: ${parts.join('; or ')}` }, ref);
    return new Set([key]);
  }
  return new Set(
    unmet.map((r) => {
      note(r.key, { kind: 'improve', text: conditionAction(r.condition, r.value) }, ref);
      return r.key;
    }),
  );
}

function dataDraft(r: ConditionReading): Omit<Draft, 'criteria'> {
  const label = inSentence(metricLabel(r.condition.metric));
  // A count whose undetermined members leave it open: nothing is missing, they need settling.
  const undetermined = r.metric?.undetermined;
  if (undetermined && r.value !== undefined && r.metric && /undetermined/.test(r.reason ?? '')) {
    const unit = r.metric.unit;
    const top = valueWords(undeterminedTop({ ...r.metric, value: r.value }), unit);
    return {
      kind: 'data',
      text: `Settle the undetermined ${label}`,
      detail:
        unit === 'ratio'
          ? `${r.valueWords ?? valueWords(r.value, unit)}, ${count(undetermined)} of ${count(r.metric.sampleSize)} undetermined (up to ${top})`
          : `${r.valueWords ?? valueWords(r.value, unit)} counted, ${valueWords(undetermined, unit)} undetermined (up to ${top})`,
    };
  }
  // The reason without the metric it is about, which the text names already.
  const detail = r.reason
    ?.replace(`no data on ${label}: `, '')
    .replace(`no data on ${label}`, 'no data')
    .replace(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `), '');
  return {
    kind: 'data',
    text: `Get enough data on ${label}`,
    ...(detail ? { detail } : {}),
  };
}

/** The highest level no unmet criterion blocks once the actions `done` are done. */
function reachable(layer: LayerSuggestion, needs: Need[], done: ReadonlySet<string>): number {
  const top = topOf(layer);
  for (let lvl = 1; lvl <= top; lvl++) {
    const stuck = needs.some(
      (n) => n.criterion.level === lvl && ![...n.keys].every((k) => done.has(k)),
    );
    if (stuck) return lvl - 1;
  }
  return top;
}

/** The highest level proven were the undecided criteria cleared by `done` to turn out met. */
function provable(
  layer: LayerSuggestion,
  blocked: Need[],
  open: Need[],
  done: ReadonlySet<string>,
): number {
  const top = topOf(layer);
  for (let lvl = 1; lvl <= top; lvl++) {
    if (blocked.some((n) => n.criterion.level === lvl)) return lvl - 1;
    const stuck = open.some(
      (n) => n.criterion.level === lvl && ![...n.keys].every((k) => done.has(k)),
    );
    if (stuck) return lvl - 1;
  }
  return top;
}

const topOf = (layer: LayerSuggestion) => Math.max(0, ...layer.criteria.map((c) => c.level));

function target(
  layer: LayerSuggestion,
  level: number,
  alone: boolean,
  others: number,
  index: RuleIndex,
): ActionTarget {
  const model = index.model(layer.model);
  const single = model ? model.levels.length === 1 : topOf(layer) === 1;
  const name = shortLayerName(layer.layerName);
  return {
    model: layer.model,
    layer: layer.layer,
    text: single ? name : `${name} L${level}`,
    level,
    levelName: index.levelName(layer.model, level) ?? `level ${level}`,
    alone,
    others,
  };
}

function reviewLayerName(body: SnapshotBody, ref: CriterionRef): string {
  const l = body.layers.find((x) => x.model === ref.model && x.layer === ref.layer);
  return l ? shortLayerName(l.layerName) : ref.layer;
}

const wholeModelExempt = (exemptions: Exemption[], model: string) =>
  exemptions.some((e) => e.model === model && e.criterionId === undefined);

/** "→ Offerings L2, Strategy L2, Agreements (with 1 more)". */
export function targetsWords(a: Pick<Action, 'targets'>): string {
  return a.targets
    .map((t) => (t.alone || !t.others ? t.text : `${t.text} (with ${t.others} more)`))
    .join(', ');
}
