import type { GroupReading, Metric, SnapshotBody } from '../domain/evidence.js';
import type { RuleSet } from '../engine/rules-schema.js';
import { criterionAnchor, layerAnchor, metricAnchor, shortLayerName } from './anchors.js';
import { RuleIndex } from './conditions.js';
import { criterionView, exemptWords, type CriterionView } from './criteria.js';
import { exemptionsOf } from './decision-fields.js';
import {
  intervalWords,
  metricLabel,
  sampleWords,
  valueWithUndetermined,
  whenWords,
} from './format.js';
import {
  historyRows,
  judgedMetrics,
  metricSeries,
  type DecisionMark,
  type HistoryEntry,
  type HistoryRow,
  type MetricSeries,
} from './history.js';
import { summarise, type Ladder, type Summary } from './summary.js';

/** Everything a reader sees of one snapshot, in words: the first screen, the detail, the history. */
export interface ReviewView {
  summary: Summary;
  layers: LayerDetail[];
  evidence: EvidenceRow[];
  exempt: ExemptRow[];
  history: HistoryRow[];
  /** How each group was read (the first GROUPS_SHOWN), and how many more there are. */
  groups: GroupRow[];
  moreGroups: number;
  /** How old the failed sources' data is: "tickets last synced 2026-07-01 02:00 UTC (3 days old)." */
  dataAge?: string;
}

export interface LayerDetail {
  ladder: Ladder;
  modelName: string;
  anchor: string;
  /** The layer's criteria, level by level; exempt ones are in `ReviewView.exempt` instead. */
  criteria: CriterionView[];
}

/** One metric's evidence row, with its chart over the snapshots. */
export interface EvidenceRow {
  metricId: string;
  anchor: string;
  label: string;
  /** "94.8%"; absent when the metric has no data. */
  value?: string;
  /** "of 1,203 SLA targets". */
  sample?: string;
  /** "last 90 days", "as of 30 Jun 2026". */
  when: string;
  interval?: string;
  sources?: string;
  /** Why there is no value. */
  absent?: string;
  /** The criteria that compare it, to link back. */
  usedBy: { anchor: string; statement: string }[];
  series?: MetricSeries;
}

export interface GroupRow {
  name: string;
  /** "tier2, product" or "—". */
  roles: string;
  /** "its name", "group-roles mapping"… */
  readFrom: string;
}

/** How many groups the reports list. */
export const GROUPS_SHOWN = 100;

const READ_FROM: Record<GroupReading['by'], string> = {
  name: 'its name',
  mapping: 'group-roles mapping',
  flag: 'partner flag from the source',
  opaque: 'unreadable (anonymised or coded name)',
  none: 'readable name, no support role',
};

export interface ExemptRow {
  what: string;
  /** The exempt criterion's own id on the page (its detail is this row). */
  anchor?: string;
  words: string;
}

export interface ReviewInput {
  /** The snapshot shown (as stored, or judged again with the decisions). */
  body: SnapshotBody;
  /** The rules it is read with. */
  rules: RuleSet;
  /** The snapshot before it, judged the same way, for the change since. */
  previous?: SnapshotBody;
  /** The account's snapshots, for the history list and the charts. */
  history?: HistoryEntry[];
  /** The review decisions, to mark them on the charts. */
  decisions?: DecisionMark[];
}

export function reviewView(input: ReviewInput): ReviewView {
  const { body, rules } = input;
  const index = new RuleIndex(rules);
  const summary = summarise({
    body,
    rules,
    ...(input.previous ? { previous: input.previous } : {}),
  });
  const metrics = new Map(body.metrics.map((m) => [m.id, m]));
  const absent = body.absent;
  const ladders = new Map(
    summary.models.flatMap((m) => m.ladders).map((l) => [`${l.model}/${l.layer}`, l]),
  );
  const layers: LayerDetail[] = body.layers.map((l) => ({
    ladder: ladders.get(`${l.model}/${l.layer}`)!,
    modelName: l.modelName,
    anchor: layerAnchor(l.model, l.layer),
    criteria: l.criteria
      .map((c) =>
        criterionView(l, c, index, metrics, { asOf: body.asOf, ...(absent ? { absent } : {}) }),
      )
      .filter((c) => !c.exempt),
  }));
  const exempt = exemptRows(body, index);
  const bodies = (input.history ?? []).map((e) => e.current ?? e.stored);
  if (!bodies.some((b) => b.asOf === body.asOf)) bodies.push(body);
  const evidence = evidenceRows(body, index, layers, bodies, input.decisions ?? []);
  return {
    summary,
    layers,
    evidence,
    exempt,
    history: input.history?.length ? historyRows(input.history, index) : [],
    groups: (body.groups ?? []).slice(0, GROUPS_SHOWN).map((g) => ({
      name: g.name,
      roles: g.roles.join(', ') || '—',
      readFrom: READ_FROM[g.by],
    })),
    moreGroups: Math.max(0, (body.groups?.length ?? 0) - GROUPS_SHOWN),
    ...(body.dataAge?.length ? { dataAge: dataAgeWords(body) } : {}),
  };
}

/**
 * A row for every metric the snapshot holds and for every metric a criterion compares but the
 * snapshot lacks (so each criterion's link lands on a row saying why there is no value).
 */
function evidenceRows(
  body: SnapshotBody,
  index: RuleIndex,
  layers: LayerDetail[],
  bodies: SnapshotBody[],
  decisions: DecisionMark[],
): EvidenceRow[] {
  const used = new Map<string, { anchor: string; statement: string }[]>();
  for (const d of layers)
    for (const c of d.criteria)
      for (const x of c.conditions) {
        const list = used.get(x.metricId) ?? [];
        if (!list.some((u) => u.anchor === c.anchor))
          list.push({ anchor: c.anchor, statement: c.statement });
        used.set(x.metricId, list);
      }
  const charted = new Set(judgedMetrics(index));
  const ids = [...new Set([...body.metrics.map((m) => m.id), ...used.keys()])];
  const absent = body.absent ?? {};
  const rows = ids.map((id): EvidenceRow => {
    const m = body.metrics.find((x) => x.id === id);
    const series =
      charted.has(id) && bodies.length > 1 ? metricSeries(id, bodies, index, decisions) : undefined;
    const base = {
      metricId: id,
      anchor: metricAnchor(id),
      label: metricLabel(id),
      usedBy: used.get(id) ?? [],
      ...(series ? { series } : {}),
    };
    if (!m)
      return {
        ...base,
        when: whenWords({ id, window: body.window }, body.asOf),
        absent: absent[id] ? `no data: ${absent[id]}` : 'no data',
      };
    return { ...base, ...metricCells(m, body.asOf) };
  });
  const order = (r: EvidenceRow) => (r.usedBy.length ? 0 : 1);
  return rows.sort((a, b) => order(a) - order(b) || a.label.localeCompare(b.label));
}

function metricCells(m: Metric, asOf: string) {
  const sample = sampleWords(m);
  const interval = intervalWords(m);
  return {
    value: valueWithUndetermined(m.value, m.unit, m.undetermined, m.sampleSize),
    when: whenWords(m, asOf),
    ...(sample ? { sample } : {}),
    ...(interval ? { interval } : {}),
    ...(m.sources.length ? { sources: m.sources.join(', ') } : {}),
  };
}

function exemptRows(body: SnapshotBody, index: RuleIndex): ExemptRow[] {
  return exemptionsOf(body).map((e) => {
    if (!e.criterionId)
      return { what: index.model(e.model)?.name ?? e.model, words: exemptWords(e) };
    const layer =
      e.layer ??
      body.layers.find((l) => l.model === e.model && l.criteria.some((c) => c.id === e.criterionId))
        ?.layer;
    const c = layer ? index.criterion(e.model, layer, e.criterionId) : undefined;
    const layerName = layer ? index.layer(e.model, layer)?.name : undefined;
    return {
      what: `${c?.rule.statement ?? e.criterionId}${layerName ? ` (${shortLayerName(layerName)})` : ''}`,
      ...(layer ? { anchor: criterionAnchor(e.model, layer, e.criterionId) } : {}),
      words: exemptWords(e),
    };
  });
}

/** "tickets last synced 2026-07-01 02:00 UTC (3 days old); kb never synced in full (unknown)." */
function dataAgeWords(s: SnapshotBody): string {
  const parts = (s.dataAge ?? []).map((d) => {
    if (!d.lastSynced) return `${d.source} never synced in full (unknown)`;
    const hours = (Date.parse(s.asOf) - Date.parse(d.lastSynced)) / 3_600_000;
    const age =
      hours < 0
        ? ''
        : hours < 1
          ? ' (under an hour old)'
          : hours < 48
            ? ` (${Math.floor(hours)} h old)`
            : ` (${Math.floor(hours / 24)} days old)`;
    return `${d.source} last synced ${d.lastSynced.slice(0, 16).replace('T', ' ')} UTC${age}`;
  });
  return `${parts.join('; ')}.`;
}
