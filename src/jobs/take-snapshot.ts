import type { GroupReading, Metric, SnapshotBody } from '../domain/evidence.js';
import type { RecordKind } from '../domain/records.js';
import { judge, type RuleSet } from '../engine/index.js';
import { MaturityError } from '../errors.js';
import { computeEvidence, GroupRolesMapping } from '../metrics/index.js';
import type { MetricWindow } from '../metrics/types.js';
import { parseWindow } from '../metrics/window.js';
import type { Coverage } from '../store/coverage.js';
import type { Account, Store } from '../store/store.js';

/** A stream whose sync failed this run: the record kinds it delivers, and why it failed. */
export interface FailedStream {
  stream: string;
  kinds: RecordKind[];
  /** The failure's message, for the line that says why nothing was stored. */
  error?: string;
}

export interface SnapshotOptions {
  asOf?: string | Date;
  window?: string;
  rules: RuleSet;
  now?: Date;
  /** The streams this run synced (none with --no-sync or for an imported account). */
  streams?: string[];
  /**
   * Streams whose sync failed this run. Their kinds' stored records still count as evidence (as
   * of their last full sync, which the snapshot states); when every stream failed, nothing is
   * stored.
   */
  failed?: FailedStream[];
}

/** What the metrics step hands the evaluate step (JSON-safe, for the queue). */
export interface SnapshotEvidence {
  window: MetricWindow;
  metrics: Metric[];
  period: NonNullable<SnapshotBody['period']>;
  groups?: GroupReading[];
  /** Why each absent metric is absent (what the source never delivered). */
  absent?: Record<string, string>;
  /** How old the data of each failed stream is (see SnapshotBody.dataAge). */
  dataAge?: NonNullable<SnapshotBody['dataAge']>;
}

/**
 * records ► metrics: the metrics step of a snapshot. The window is narrowed to where the ticket
 * history the sources delivered starts, so no count runs over a period that was never synced;
 * `period` says what the evidence covers. A stream that failed this run leaves its records as
 * evidence: they are what the last syncs delivered, and `dataAge` says when that was.
 */
export async function computeSnapshotMetrics(
  store: Store,
  account: Account,
  o: Pick<SnapshotOptions, 'asOf' | 'window' | 'now' | 'failed'>,
): Promise<SnapshotEvidence> {
  const asked = parseWindow(o.window, o.asOf, o.now);
  const coverage = await store.coverage(account.id);
  const start = coverage.historyFrom.get('tickets');
  // The synced history starts at or after the as-of date: nothing of the window was ever synced,
  // so every ticket figure would be a count over a period nobody read. Refused, nothing stored.
  if (start && start >= asked.to) {
    const day = (d: Date) => d.toISOString().slice(0, 10);
    throw new MaturityError(
      'E_INPUT',
      `${account.name}: its tickets were synced from ${day(start)} on, so a snapshot as of ${day(asked.to)} has no synced history to judge; take it as of ${day(start)} or later, or sync the earlier history first (a snapshot without --no-sync does)`,
    );
  }
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
  // A window with none of the tickets stored, all of them older (an old export judged as of
  // today) or all newer (an as-of before the first): say so, or it reads as a helpdesk without
  // tickets. Not for a window narrowed to where the synced history starts: it holds synced days.
  const outside =
    !narrowed && metrics.find((m) => m.id === 'tickets.count')?.value === 0
      ? await store.ticketsOnlyOutside(account.id, window.from, window.to)
      : undefined;
  const span = outside && {
    tickets: outside.tickets,
    first: outside.first.toISOString(),
    last: outside.last.toISOString(),
  };
  return {
    window,
    metrics,
    period: {
      from: window.from?.toISOString() ?? null,
      to: window.to.toISOString(),
      narrowed,
      ...(span ? { [outside.side === 'before' ? 'earlier' : 'later']: span } : {}),
    },
    absent,
    ...(groups
      ? { groups: groups.map((g) => ({ id: g.id, name: g.name, roles: g.roles, by: g.by })) }
      : {}),
    ...(o.failed?.length ? { dataAge: dataAge(coverage, o.failed) } : {}),
  };
}

/**
 * When each failed stream's data was last synced: the oldest full delivery of its kinds (a kind
 * never delivered in full makes it null: that evidence is unknown, not old).
 */
export function dataAge(
  coverage: Pick<Coverage, 'coveredAt'>,
  failed: Pick<FailedStream, 'stream' | 'kinds'>[],
): NonNullable<SnapshotBody['dataAge']> {
  const sorted = [...failed].sort((a, b) => a.stream.localeCompare(b.stream));
  return sorted.map(({ stream, kinds }) => {
    const times = kinds.map((k) => coverage.coveredAt.get(k));
    const known = times.filter((t): t is Date => t !== undefined);
    const oldest =
      known.length && known.length === times.length
        ? new Date(Math.min(...known.map((t) => t.getTime())))
        : null;
    return { source: stream, lastSynced: oldest?.toISOString() ?? null };
  });
}

/**
 * A snapshot whose every stream failed says nothing new: it is not stored, and the caller fails
 * with one line naming the first failure.
 */
export function checkSomeStreamSynced(
  account: Account,
  streams: string[] | undefined,
  failed: Pick<FailedStream, 'stream' | 'error'>[] | undefined,
): void {
  if (!streams?.length || !failed?.length) return;
  const down = new Set(failed.map((f) => f.stream));
  if (!streams.every((s) => down.has(s))) return;
  const why = failed.find((f) => f.error)?.error;
  throw new MaturityError(
    'E_SYNC_FAILED',
    `no snapshot of "${account.name}" stored: every stream failed${why ? ` (${why})` : ''}; the last snapshot stands, and the next run retries`,
  );
}

/** What the evaluate step made, and whether the store kept it (see saveSnapshot's rule). */
export interface EvaluatedSnapshot {
  body: SnapshotBody;
  /** False when a complete snapshot of the same day and window stands, and this one is partial. */
  stored: boolean;
}

/** metrics ► levels ► stored snapshot: the evaluate step. */
export async function evaluateSnapshot(
  store: Store,
  account: Account,
  o: SnapshotEvidence & { rules: RuleSet; streams?: string[]; failed?: FailedStream[] },
): Promise<EvaluatedSnapshot> {
  checkSomeStreamSynced(account, o.streams, o.failed);
  const failedSources = (o.failed ?? []).map((f) => f.stream).sort();
  const partial = failedSources.length > 0;
  const previous = partial ? await store.latestSnapshot(account.id) : undefined;
  const { layers, advice, exempt } = judge(o.rules, {
    metrics: o.metrics,
    decisions: await store.decisions(account.id),
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
    ...(partial ? { failedSources } : {}),
    ...(partial && o.dataAge ? { dataAge: o.dataAge } : {}),
    period: o.period,
    metrics: o.metrics,
    layers,
    ...(advice.length ? { advice } : {}),
    ...(o.groups ? { groups: o.groups } : {}),
    ...(o.absent && Object.keys(o.absent).length ? { absent: o.absent } : {}),
    ...(exempt.length ? { exempt } : {}),
  };
  const id = await store.saveSnapshot(account.id, body);
  return { body, stored: id !== undefined };
}

/** records ► metrics ► levels ► stored snapshot, for one account, in one go. */
export async function takeSnapshot(
  store: Store,
  account: Account,
  options: SnapshotOptions,
): Promise<SnapshotBody> {
  return (await snapshotAndSave(store, account, options)).body;
}

/** As takeSnapshot, and says whether the store kept the snapshot. */
export async function snapshotAndSave(
  store: Store,
  account: Account,
  options: SnapshotOptions,
): Promise<EvaluatedSnapshot> {
  checkSomeStreamSynced(account, options.streams, options.failed);
  const evidence = await computeSnapshotMetrics(store, account, options);
  return evaluateSnapshot(store, account, {
    ...evidence,
    rules: options.rules,
    ...(options.streams ? { streams: options.streams } : {}),
    ...(options.failed ? { failed: options.failed } : {}),
  });
}
