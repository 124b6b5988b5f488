import {
  FlowProducer,
  Job,
  Queue,
  QueueEvents,
  type ConnectionOptions,
  type FlowJob,
} from 'bullmq';
import { MaturityError } from '../errors.js';

export const QUEUES = {
  sync: 'maturity-sync',
  metrics: 'maturity-metrics',
  evaluate: 'maturity-evaluate',
  trigger: 'maturity-trigger',
} as const;

export interface SyncJobData {
  accountId: number;
  account: string;
  stream: string;
  /** The history the snapshot needs synced (ISO instant; null: all of it; absent: no need). */
  historyFrom?: string | null;
}
export interface SnapshotJobData {
  accountId: number;
  account: string;
  window?: string;
  asOf?: string;
  /** The history its window needs synced (ISO instant; null: all of it; absent: no need). */
  historyFrom?: string | null;
  /** Stream → record kinds, so the metrics job can leave failed streams' kinds unknown. */
  kindsByStream: Record<string, string[]>;
}

/** Redis connection options from REDIS_URL (BullMQ needs maxRetriesPerRequest null for workers). */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MaturityError('E_CONFIG', 'REDIS_URL is not a valid URL');
  }
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

export interface QueueSetup {
  connection: ConnectionOptions;
  /** Key prefix: tests use their own so they never see each other's jobs. */
  prefix?: string;
}

/**
 * The history part of a flow's ids: a sync that must backfill to another start is another job
 * than a plain one of the same day (`|h20250601`, `|hall`; nothing without a need).
 */
export const historyTag = (historyFrom: string | null | undefined): string =>
  historyFrom === undefined
    ? ''
    : historyFrom === null
      ? '|hall'
      : `|h${historyFrom.slice(0, 10).replaceAll('-', '')}`;

/** BullMQ custom ids may not contain ':'; account names cannot, and days are ISO dates. */
export const jobIds = (
  accountId: number,
  day: string,
  runTag = '',
  historyFrom?: string | null,
) => {
  const tag = `${runTag}${historyTag(historyFrom)}`;
  return {
    sync: (stream: string) => `${accountId}|${stream}|${day}${tag}`,
    metrics: `${accountId}|metrics|${day}${tag}`,
    evaluate: `${accountId}|evaluate|${day}${tag}`,
  };
};

const retry = { attempts: 5, backoff: { type: 'exponential', delay: 2000 } } as const;

/**
 * A snapshot as a flow: one sync job per stream in parallel ► metrics ► evaluate. Ids are
 * deterministic per (account, stream, day, history needed), so a second trigger the same day adds
 * nothing. Each sync job carries the history the window needs. A sync that fails for good does
 * not block the flow: the snapshot is then marked partial.
 */
export function snapshotFlow(data: SnapshotJobData, day: string, runTag = ''): FlowJob {
  const ids = jobIds(data.accountId, day, runTag, data.historyFrom);
  const keep = { removeOnComplete: { age: 7 * 86400 }, removeOnFail: { age: 30 * 86400 } };
  return {
    name: 'evaluate',
    queueName: QUEUES.evaluate,
    data,
    opts: { jobId: ids.evaluate, ...retry, ...keep },
    children: [
      {
        name: 'metrics',
        queueName: QUEUES.metrics,
        data,
        opts: { jobId: ids.metrics, ...retry, ...keep },
        children: Object.keys(data.kindsByStream).map((stream) => ({
          name: 'sync',
          queueName: QUEUES.sync,
          data: {
            accountId: data.accountId,
            account: data.account,
            stream,
            ...(data.historyFrom !== undefined ? { historyFrom: data.historyFrom } : {}),
          } satisfies SyncJobData,
          opts: { jobId: ids.sync(stream), ...retry, ...keep, ignoreDependencyOnFailure: true },
        })),
      },
    ],
  };
}

/** Adds the flow (or finds the same day's one) and returns the id of its evaluate job. */
export async function enqueueSnapshot(
  setup: QueueSetup,
  data: SnapshotJobData,
  day: string,
  runTag = '',
): Promise<{ id: string }> {
  const flow = new FlowProducer({
    connection: setup.connection,
    ...(setup.prefix ? { prefix: setup.prefix } : {}),
  });
  try {
    const node = await flow.add(snapshotFlow(data, day, runTag));
    return { id: node.job.id! };
  } finally {
    await flow.close();
  }
}

/** Waits for a snapshot flow's evaluate job; returns its result or throws its failure. */
export async function waitForSnapshot<T = unknown>(
  setup: QueueSetup,
  jobId: string,
  timeoutMs: number,
): Promise<T> {
  const q = queue(setup, QUEUES.evaluate);
  const events = queueEvents(setup, QUEUES.evaluate);
  try {
    await events.waitUntilReady();
    const job = await Job.fromId(q, jobId);
    if (!job) throw new MaturityError('E_INPUT', `no snapshot job ${jobId}`);
    return (await job.waitUntilFinished(events, timeoutMs)) as T;
  } finally {
    await events.close();
    await q.close();
  }
}

export function queueEvents(setup: QueueSetup, name: string): QueueEvents {
  return new QueueEvents(name, {
    connection: setup.connection,
    ...(setup.prefix ? { prefix: setup.prefix } : {}),
  });
}

export function queue(setup: QueueSetup, name: string): Queue {
  return new Queue(name, {
    connection: setup.connection,
    ...(setup.prefix ? { prefix: setup.prefix } : {}),
  });
}
