import type { LayerSuggestion, Metric, SnapshotBody } from '../domain/evidence.js';
import type { RecordKind } from '../domain/records.js';
import { suggestLevels, type RuleSet } from '../engine/index.js';
import { computeMetrics } from '../metrics/index.js';
import type { MetricWindow } from '../metrics/types.js';
import { parseWindow } from '../metrics/window.js';
import type { Account, Store } from '../store/store.js';

export interface SnapshotOptions {
  asOf?: string | Date;
  window?: string;
  rules: RuleSet;
  now?: Date;
  /** Record kinds whose sync failed this run: their evidence is left unknown. */
  failedKinds?: RecordKind[];
  /** Streams that failed, for the report. */
  failedSources?: string[];
}

/** records ► metrics: the metrics step of a snapshot. */
export async function computeSnapshotMetrics(
  store: Store,
  account: Account,
  o: Pick<SnapshotOptions, 'asOf' | 'window' | 'now' | 'failedKinds'>,
): Promise<{ window: MetricWindow; metrics: Metric[] }> {
  const window = parseWindow(o.window, o.asOf, o.now);
  const covered = await store.coveredKinds(account.id);
  for (const k of o.failedKinds ?? []) covered.delete(k);
  const metrics = await computeMetrics({ db: store.db, accountId: account.id, window, covered });
  return { window, metrics };
}

/** metrics ► levels ► stored snapshot: the evaluate step. */
export async function evaluateSnapshot(
  store: Store,
  account: Account,
  o: { window: MetricWindow; metrics: Metric[]; rules: RuleSet; failedSources?: string[] },
): Promise<SnapshotBody> {
  const attestations = await store.attestations(account.id);
  const partial = (o.failedSources?.length ?? 0) > 0;
  let layers = suggestLevels(o.rules, o.metrics, attestations, o.window.to);
  if (partial) layers = holdLevels(layers, await store.latestSnapshot(account.id));
  const body: SnapshotBody = {
    account: account.name,
    asOf: o.window.to.toISOString(),
    window: o.window.spec,
    rulesVersion: o.rules.version,
    rulesHash: o.rules.hash,
    partial,
    ...(partial ? { failedSources: o.failedSources } : {}),
    metrics: o.metrics,
    layers,
  };
  await store.saveSnapshot(account.id, body);
  return body;
}

/** records ► metrics ► levels ► stored snapshot, for one account, in one go. */
export async function takeSnapshot(
  store: Store,
  account: Account,
  options: SnapshotOptions,
): Promise<SnapshotBody> {
  const { window, metrics } = await computeSnapshotMetrics(store, account, options);
  return evaluateSnapshot(store, account, {
    window,
    metrics,
    rules: options.rules,
    ...(options.failedSources ? { failedSources: options.failedSources } : {}),
  });
}

/**
 * A partial snapshot (some sources failed) must not lower a level just because evidence went
 * missing: where the level fell and nothing between the two levels is unmet — only unknown — the
 * previous level is kept and the layer says so.
 */
export function holdLevels(
  layers: LayerSuggestion[],
  previous: SnapshotBody | undefined,
): LayerSuggestion[] {
  if (!previous) return layers;
  return layers.map((l) => {
    const before = previous.layers.find((p) => p.model === l.model && p.layer === l.layer);
    if (!before || before.level <= l.level) return l;
    const between = l.criteria.filter((c) => c.level > l.level && c.level <= before.level);
    if (between.some((c) => c.status === 'unmet')) return l;
    return { ...l, level: before.level, levelName: before.levelName, heldFromPrevious: true };
  });
}
