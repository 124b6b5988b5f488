import type { Job } from 'bullmq';
import { loadConnector } from '../../connectors/index.js';
import type { HttpClientOptions } from '../../connectors/shared/http-client.js';
import type { Metric } from '../domain/evidence.js';
import type { RecordKind } from '../domain/records.js';
import type { RuleSet } from '../engine/index.js';
import { MaturityError } from '../errors.js';
import type { SecretBox } from '../store/secrets.js';
import type { Store } from '../store/store.js';
import { historyNeeded } from './history-needed.js';
import type { SnapshotJobData, SyncJobData } from './queues.js';
import { syncAccount } from './sync-account.js';
import {
  computeSnapshotMetrics,
  evaluateSnapshot,
  type EvaluatedSnapshot,
  type FailedStream,
  type SnapshotEvidence,
} from './take-snapshot.js';

/** What every handler needs; the same handlers run inline (CLI) and in BullMQ workers. */
export interface HandlerContext {
  store: Store;
  box: SecretBox;
  rules: RuleSet;
  clientOptions?: Partial<HttpClientOptions>;
  now?: () => Date;
}

export interface MetricsJobResult {
  window: { spec: string; from: string | null; to: string };
  metrics: Metric[];
  period: SnapshotEvidence['period'];
  groups?: SnapshotEvidence['groups'];
  absent?: SnapshotEvidence['absent'];
  dataAge?: SnapshotEvidence['dataAge'];
  failedSources: string[];
  /** Why each failed stream failed (its job's last error). */
  failures?: Record<string, string>;
}

/** Syncs one stream of one account; throws when the stream failed, so the queue can retry it. */
export async function syncStreamJob(
  ctx: HandlerContext,
  data: SyncJobData,
): Promise<{ records: number; pages: number }> {
  const account = await ctx.store.getAccount(data.account);
  const [outcome] = await syncAccount(ctx.store, account, {
    box: ctx.box,
    streams: [data.stream],
    ...(ctx.clientOptions ? { clientOptions: ctx.clientOptions } : {}),
    ...(data.historyFrom !== undefined
      ? { historyFrom: data.historyFrom === null ? null : new Date(data.historyFrom) }
      : {}),
  });
  if (!outcome)
    throw new MaturityError(
      'E_INPUT',
      `connector ${account.connector} has no stream "${data.stream}"`,
    );
  if (!outcome.ok)
    throw (
      outcome.error ?? new MaturityError('E_CONNECTOR_UNAVAILABLE', `stream ${data.stream} failed`)
    );
  return { records: outcome.records, pages: outcome.pages };
}

/** The failed streams of a flow, with the record kinds each delivers (from the job data). */
function failedOf(data: SnapshotJobData, failures: Record<string, string>): FailedStream[] {
  return Object.keys(failures)
    .sort()
    .map((stream) => ({
      stream,
      kinds: (data.kindsByStream[stream] ?? []) as RecordKind[],
      // The queue keeps an unrecoverable error as "<code>: <message>".
      ...(failures[stream] ? { error: failures[stream].replace(/^E_[A-Z_]+: /, '') } : {}),
    }));
}

/**
 * records ► metrics for a flow. `failures` maps each stream whose sync failed for good to its
 * error: its kinds' stored records still count, and the result says how old they are.
 */
export async function metricsJob(
  ctx: HandlerContext,
  data: SnapshotJobData,
  failures: Record<string, string>,
): Promise<MetricsJobResult> {
  const account = await ctx.store.getAccount(data.account);
  const failed = failedOf(data, failures);
  const { window, metrics, period, groups, absent, dataAge } = await computeSnapshotMetrics(
    ctx.store,
    account,
    {
      ...(data.asOf ? { asOf: data.asOf } : {}),
      ...(data.window ? { window: data.window } : {}),
      ...(ctx.now ? { now: ctx.now() } : {}),
      failed,
    },
  );
  return {
    window: {
      spec: window.spec,
      from: window.from?.toISOString() ?? null,
      to: window.to.toISOString(),
    },
    metrics,
    period,
    ...(groups ? { groups } : {}),
    ...(absent ? { absent } : {}),
    ...(dataAge ? { dataAge } : {}),
    failedSources: failed.map((f) => f.stream),
    ...(failed.length ? { failures } : {}),
  };
}

export async function evaluateJob(
  ctx: HandlerContext,
  data: SnapshotJobData,
  m: MetricsJobResult,
): Promise<EvaluatedSnapshot> {
  const account = await ctx.store.getAccount(data.account);
  return evaluateSnapshot(ctx.store, account, {
    window: {
      spec: m.window.spec,
      from: m.window.from ? new Date(m.window.from) : null,
      to: new Date(m.window.to),
    },
    metrics: m.metrics,
    period: m.period,
    ...(m.groups ? { groups: m.groups } : {}),
    ...(m.absent ? { absent: m.absent } : {}),
    ...(m.dataAge ? { dataAge: m.dataAge } : {}),
    rules: ctx.rules,
    streams: Object.keys(data.kindsByStream),
    failed: failedOf(data, m.failures ?? Object.fromEntries(m.failedSources.map((s) => [s, '']))),
  });
}

/**
 * The streams of an account's connector, the record kinds each delivers, and the history the
 * window needs synced (its start, as of `now` when no as-of is given; null for all history).
 */
export async function snapshotJobData(
  store: Store,
  accountName: string,
  o: { window?: string; asOf?: string } = {},
  now = new Date(),
): Promise<SnapshotJobData> {
  const historyFrom = historyNeeded(o.window, o.asOf, now)?.toISOString() ?? null;
  const account = await store.getAccount(accountName);
  const connector = await loadConnector(account.connector);
  const kindsByStream = Object.fromEntries(
    (connector?.streams ?? []).map((s) => [s.name, s.kinds as string[]]),
  );
  return { accountId: account.id, account: account.name, kindsByStream, ...o, historyFrom };
}

/**
 * The sync children whose failure the flow ignored: stream name → their error (BullMQ keys end in
 * the job id, whose second part is the stream).
 */
export async function failedStreams(job: Job): Promise<Record<string, string>> {
  const failures = await job.getIgnoredChildrenFailures();
  const out: Record<string, string> = {};
  for (const [key, reason] of Object.entries(failures)) {
    const stream = key.split(':').pop()!.split('|')[1];
    if (stream) out[stream] = String(reason ?? '');
  }
  return out;
}
