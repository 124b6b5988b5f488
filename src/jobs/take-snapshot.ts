import type { SnapshotBody } from '../domain/evidence.js';
import { suggestLevels, type RuleSet } from '../engine/index.js';
import { computeMetrics } from '../metrics/index.js';
import { parseWindow } from '../metrics/window.js';
import type { Account, Store } from '../store/store.js';

export interface SnapshotOptions {
  asOf?: string | Date;
  window?: string;
  rules: RuleSet;
  now?: Date;
  /** Record kinds whose sync failed this run: their evidence is left unknown. */
  failedKinds?: string[];
}

/** records ► metrics ► levels ► stored snapshot, for one account. */
export async function takeSnapshot(
  store: Store,
  account: Account,
  options: SnapshotOptions,
): Promise<SnapshotBody> {
  const window = parseWindow(options.window, options.asOf, options.now);
  const covered = await store.coveredKinds(account.id);
  for (const k of options.failedKinds ?? []) covered.delete(k as never);
  const metrics = await computeMetrics({ db: store.db, accountId: account.id, window, covered });
  const attestations = await store.attestations(account.id);
  const body: SnapshotBody = {
    account: account.name,
    asOf: window.to.toISOString(),
    window: window.spec,
    rulesVersion: options.rules.version,
    rulesHash: options.rules.hash,
    partial: (options.failedKinds?.length ?? 0) > 0,
    metrics,
    layers: suggestLevels(options.rules, metrics, attestations, window.to),
  };
  await store.saveSnapshot(account.id, body);
  return body;
}
