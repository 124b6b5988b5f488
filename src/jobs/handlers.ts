import type { Job } from 'bullmq';
import { loadConnector } from '../../connectors/index.js';
import type { HttpClientOptions } from '../../connectors/shared/http-client.js';
import type { Metric, SnapshotBody } from '../domain/evidence.js';
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
  failedSources: string[];
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

export async function metricsJob(
  ctx: HandlerContext,
  data: SnapshotJobData,
  failedSources: string[],
): Promise<MetricsJobResult> {
  const account = await ctx.store.getAccount(data.account);
  const failedKinds = failedSources.flatMap((s) => data.kindsByStream[s] ?? []) as RecordKind[];
  const { window, metrics, period, groups, absent } = await computeSnapshotMetrics(
    ctx.store,
    account,
    {
      ...(data.asOf ? { asOf: data.asOf } : {}),
      ...(data.window ? { window: data.window } : {}),
      ...(ctx.now ? { now: ctx.now() } : {}),
      failedKinds,
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
    failedSources,
  };
}

export async function evaluateJob(
  ctx: HandlerContext,
  data: SnapshotJobData,
  m: MetricsJobResult,
): Promise<SnapshotBody> {
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
    rules: ctx.rules,
    failedSources: m.failedSources,
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

/** Stream names of the sync children whose failure the flow ignored (BullMQ keys end in the job id). */
export async function failedStreams(job: Job): Promise<string[]> {
  const failures = await job.getIgnoredChildrenFailures();
  return Object.keys(failures)
    .map((key) => key.split(':').pop()!.split('|')[1]!)
    .filter(Boolean)
    .sort();
}
