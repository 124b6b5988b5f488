import type { GroupReading, Metric, SnapshotBody } from '../domain/evidence.js';
import type { RecordKind } from '../domain/records.js';
import { judge, type RuleSet } from '../engine/index.js';
import { computeEvidence, GroupRolesMapping } from '../metrics/index.js';
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

/** What the metrics step hands the evaluate step (JSON-safe, for the queue). */
export interface SnapshotEvidence {
  window: MetricWindow;
  metrics: Metric[];
  period: NonNullable<SnapshotBody['period']>;
  groups?: GroupReading[];
  /** Why each absent metric is absent (what the source never delivered). */
  absent?: Record<string, string>;
}

/**
 * records ► metrics: the metrics step of a snapshot. The window is narrowed to where the ticket
 * history the sources delivered starts, so no count runs over a period that was never synced;
 * `period` says what the evidence covers.
 */
export async function computeSnapshotMetrics(
  store: Store,
  account: Account,
  o: Pick<SnapshotOptions, 'asOf' | 'window' | 'now' | 'failedKinds'>,
): Promise<SnapshotEvidence> {
  const asked = parseWindow(o.window, o.asOf, o.now);
  const coverage = await store.coverage(account.id);
  for (const k of o.failedKinds ?? []) coverage.kinds.delete(k);
  const start = coverage.historyFrom.get('tickets');
  const narrowed = !!start && (asked.from === null || start > asked.from);
  const window = narrowed ? { ...asked, from: start } : asked;
  const settings = await store.accountSettings(account.id);
  const roles = GroupRolesMapping.safeParse(settings.groupRoles ?? {});
  const { metrics, groups, absent } = await computeEvidence(
    {
      db: store.queryDb(),
      accountId: account.id,
      window,
      covered: coverage.kinds,
      fields: coverage.fields,
      derived: coverage.derived,
    },
    roles.success ? { groupRoles: roles.data } : {},
  );
  return {
    window,
    metrics,
    period: { from: window.from?.toISOString() ?? null, to: window.to.toISOString(), narrowed },
    absent,
    ...(groups
      ? { groups: groups.map((g) => ({ id: g.id, name: g.name, roles: g.roles, by: g.by })) }
      : {}),
  };
}

/** metrics ► levels ► stored snapshot: the evaluate step. */
export async function evaluateSnapshot(
  store: Store,
  account: Account,
  o: SnapshotEvidence & { rules: RuleSet; failedSources?: string[] },
): Promise<SnapshotBody> {
  const partial = (o.failedSources?.length ?? 0) > 0;
  const previous = partial ? await store.latestSnapshot(account.id) : undefined;
  const { layers, advice } = judge(o.rules, {
    metrics: o.metrics,
    attestations: await store.attestations(account.id),
    asOf: o.window.to,
    ...(o.absent ? { absent: o.absent } : {}),
    partial,
    ...(previous ? { previous } : {}),
  });
  const body: SnapshotBody = {
    account: account.name,
    asOf: o.window.to.toISOString(),
    window: o.window.spec,
    rulesVersion: o.rules.version,
    rulesHash: o.rules.hash,
    partial,
    ...(partial ? { failedSources: o.failedSources } : {}),
    period: o.period,
    metrics: o.metrics,
    layers,
    ...(advice.length ? { advice } : {}),
    ...(o.groups ? { groups: o.groups } : {}),
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
  const evidence = await computeSnapshotMetrics(store, account, options);
  return evaluateSnapshot(store, account, {
    ...evidence,
    rules: options.rules,
    ...(options.failedSources ? { failedSources: options.failedSources } : {}),
  });
}
