import type { Metric, SnapshotBody } from '../domain/evidence.js';
import { metricAnchor, shortLayerName } from './anchors.js';
import { conditionsOf, type RuleIndex } from './conditions.js';
import { diffSnapshots } from './diff.js';
import { dateWords, metricLabel, unitOf, valueWords, windowWords } from './format.js';

/** A stored snapshot and, beside it, the same snapshot judged again under the current rules. */
export interface HistoryEntry {
  id: number;
  stored: SnapshotBody;
  /** Judged again from its stored metrics under the current rules (and decisions then valid). */
  current?: SnapshotBody;
}

export interface HistoryRow {
  id: number;
  asOf: string;
  asOfWords: string;
  windowWords: string;
  /** "rules 2.0.0 (0ec1a6fe)". */
  rules: string;
  /** Judged with other rules than the snapshot before it. */
  rulesChanged: boolean;
  partial: boolean;
  levels: { model: string; layer: string; layerName: string; stored: number; current?: number }[];
  /** "Under the current rules: Offerings 2 (stored 1)"; absent when nothing reads differently. */
  rejudgedWords?: string;
  /** The change from the snapshot before, in words. */
  diff: string[];
}

/** The snapshots, newest first, each with its change from the one before and its re-judged levels. */
export function historyRows(entries: HistoryEntry[], index: RuleIndex): HistoryRow[] {
  const sorted = [...entries].sort((a, b) => a.stored.asOf.localeCompare(b.stored.asOf));
  const rows = sorted.map((e, i): HistoryRow => {
    const prev = sorted[i - 1];
    const current = new Map(e.current?.layers.map((l) => [`${l.model}/${l.layer}`, l.level]) ?? []);
    const levels = e.stored.layers.map((l) => {
      const now = current.get(`${l.model}/${l.layer}`);
      return {
        model: l.model,
        layer: l.layer,
        layerName: shortLayerName(l.layerName),
        stored: l.level,
        ...(now !== undefined ? { current: now } : {}),
      };
    });
    const differs = levels.filter((l) => l.current !== undefined && l.current !== l.stored);
    return {
      id: e.id,
      asOf: e.stored.asOf,
      asOfWords: dateWords(e.stored.asOf),
      windowWords: windowWords(e.stored.window),
      rules: `rules ${e.stored.rulesVersion} (${e.stored.rulesHash.slice(0, 8)})`,
      rulesChanged: !!prev && prev.stored.rulesHash !== e.stored.rulesHash,
      partial: e.stored.partial,
      levels,
      ...(differs.length
        ? {
            rejudgedWords: `Under the current rules: ${differs.map((l) => `${l.layerName} ${l.current} (stored ${l.stored})`).join(', ')}`,
          }
        : {}),
      diff: prev ? diffSnapshots(prev.stored, e.stored, index).lines : ['First snapshot.'],
    };
  });
  return rows.reverse();
}

export interface SeriesPoint {
  asOf: string;
  /** Absent where the snapshot had no value (missing data is a gap, never zero). */
  value?: number;
  interval?: [number, number];
  sampleSize?: number;
  /** Members that may count, for a reviewer to settle (Metric's undetermined). */
  undetermined?: number;
}

export interface SeriesMarker {
  asOf: string;
  kind: 'rules' | 'decision';
  text: string;
}

/** A metric over the snapshots, for a chart: its thresholds and where rules or decisions changed. */
export interface MetricSeries {
  metricId: string;
  label: string;
  unit: Metric['unit'];
  anchor: string;
  points: SeriesPoint[];
  thresholds: { value: number; words: string }[];
  markers: SeriesMarker[];
}

/** A review decision, as far as a chart marks it. */
export interface DecisionMark {
  at: string;
  kind: string;
  actor: string;
  model?: string;
  layer?: string;
  criterionId?: string;
}

/**
 * The metric's values over the snapshots (oldest first), the thresholds the current rules compare
 * it with, and markers where the rules changed between two snapshots or a reviewer decided on a
 * criterion (or overrode a layer) that rests on the metric.
 */
export function metricSeries(
  metricId: string,
  bodies: SnapshotBody[],
  index: RuleIndex,
  decisions: DecisionMark[] = [],
): MetricSeries {
  const sorted = [...bodies].sort((a, b) => a.asOf.localeCompare(b.asOf));
  const unit = unitOf(
    metricId,
    sorted.flatMap((b) => b.metrics).find((m) => m.id === metricId),
  );
  const points = sorted.map((b): SeriesPoint => {
    const m = b.metrics.find((x) => x.id === metricId);
    return {
      asOf: b.asOf,
      ...(m
        ? {
            value: m.value,
            sampleSize: m.sampleSize,
            ...(m.interval ? { interval: m.interval } : {}),
            ...(m.undetermined ? { undetermined: m.undetermined } : {}),
          }
        : {}),
    };
  });
  const thresholds = new Map<number, string[]>();
  const uses = new Set<string>();
  for (const model of index.rules.models)
    for (const layer of model.layerRules)
      for (const lvl of layer.levels)
        for (const c of lvl.criteria) {
          if (!c.when) continue;
          const conds = conditionsOf(c).conditions.filter(
            (x) =>
              x.metric === metricId && !x.breakdown && x.value !== undefined && x.op !== 'present',
          );
          if (!conds.length) continue;
          uses.add(`${model.id}/${c.id}`);
          uses.add(`${model.id}/${layer.layer}`);
          const where =
            model.levels.length === 1
              ? shortLayerName(layer.name)
              : `${shortLayerName(layer.name)} L${lvl.level}`;
          for (const x of conds)
            thresholds.set(x.value!, [...(thresholds.get(x.value!) ?? []), where]);
        }
  const markers: SeriesMarker[] = [];
  sorted.forEach((b, i) => {
    const prev = sorted[i - 1];
    if (prev && prev.rulesHash !== b.rulesHash)
      markers.push({ asOf: b.asOf, kind: 'rules', text: `rules ${b.rulesVersion}` });
  });
  for (const d of decisions) {
    const about = d.criterionId ? `${d.model}/${d.criterionId}` : `${d.model}/${d.layer}`;
    if (!uses.has(about)) continue;
    markers.push({
      asOf: d.at,
      kind: 'decision',
      text: `${d.kind} by ${d.actor}${d.criterionId ? '' : d.layer ? ` (${d.layer})` : ''}`,
    });
  }
  markers.sort((a, b) => a.asOf.localeCompare(b.asOf));
  return {
    metricId,
    label: metricLabel(metricId),
    unit,
    anchor: metricAnchor(metricId),
    points,
    thresholds: [...thresholds].map(([value, where]) => ({
      value,
      words: `${valueWords(value, unit)} (${[...new Set(where)].join(', ')})`,
    })),
    markers,
  };
}

/** The metrics some criterion of the rules compares: the ones worth a chart. */
export function judgedMetrics(index: RuleIndex): string[] {
  const ids = new Set<string>();
  for (const model of index.rules.models)
    for (const layer of model.layerRules)
      for (const lvl of layer.levels)
        for (const c of lvl.criteria)
          for (const x of c.when ? conditionsOf(c).conditions : []) ids.add(x.metric);
  return [...ids].sort();
}
