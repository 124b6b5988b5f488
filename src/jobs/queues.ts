import {
  FlowProducer,
  Job,
  Queue,
  QueueEvents,
  type ConnectionOptions,
  type FlowJob,
  type RedisOptions,
} from 'bullmq';
import { Redis } from 'ioredis';
import { errorCatalogue, MaturityError, type ErrorCode } from '../errors.js';
import { safeError } from '../log.js';

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

/** How long a command tries to reach Redis before it says it cannot. */
export const REDIS_CONNECT_MS = 5000;

/**
 * Redis connection options from REDIS_URL (BullMQ needs maxRetriesPerRequest null for workers).
 * While Redis is away, clients try again every two seconds at most (BullMQ's default backs off
 * to 20 s), so work resumes soon after Redis is back.
 */
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
    connectTimeout: REDIS_CONNECT_MS,
    retryStrategy: (times: number) => Math.min(250 * times, 2000),
  };
}

/** "127.0.0.1:6379": where the options point, for messages (never the password). */
export function redisWhere(connection: ConnectionOptions): string {
  const o = connection as RedisOptions;
  return `${o.host ?? '127.0.0.1'}:${o.port ?? 6379}`;
}

/**
 * Fails fast, with one line, when Redis cannot be reached: a command that needs it says so within
 * `timeoutMs` instead of waiting for it forever. A connection given as a client is not checked.
 */
export async function checkRedis(setup: QueueSetup, timeoutMs = REDIS_CONNECT_MS): Promise<void> {
  const o = setup.connection as RedisOptions;
  if (typeof (o as { ping?: unknown }).ping === 'function') return;
  const client = new Redis({
    ...(o as object),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with "Connection is closed"; the error event says why.
  let cause: unknown;
  client.on('error', (err) => (cause ??= err));
  try {
    await within(
      client.connect().then(() => client.ping()),
      timeoutMs + 500,
      `no answer in ${Math.round(timeoutMs / 1000)} s`,
    );
  } catch (err) {
    throw new MaturityError(
      'E_REDIS_UNAVAILABLE',
      `Redis at ${redisWhere(o)} (REDIS_URL) cannot be reached (${safeError(cause ?? err).message}): start it or fix REDIS_URL; without REDIS_URL, commands run inline`,
    );
  } finally {
    client.disconnect();
  }
}

/** `p`, or a rejection with `message` after `ms`. */
export function within<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
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
        // A metrics step that fails for good fails the snapshot (rather than leave it waiting).
        opts: { jobId: ids.metrics, ...retry, ...keep, failParentOnFailure: true },
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
  // Failures reach the caller through the rejected call; the event would print a stack dump.
  flow.on('error', () => undefined);
  try {
    const node = await flow.add(snapshotFlow(data, day, runTag));
    return { id: node.job.id! };
  } finally {
    await closeQuietly(flow);
  }
}

export interface WaitOptions {
  /**
   * Puts the flow back when its job vanished from Redis (a restart without persistence). Without
   * it, or after `requeueLimit` times, the wait fails with E_REDIS_UNAVAILABLE.
   */
  requeue?: () => Promise<unknown>;
  /** Default 2. */
  requeueLimit?: number;
  /** How long Redis may stay unreachable before the wait fails (default 30 s). */
  outageMs?: number;
  /** How often the job's state is read (default 1 s). */
  pollMs?: number;
  /** One line about the wait (Redis lost and back, the flow put back). */
  onNote?: (line: string) => void;
}

/**
 * Waits for a snapshot flow's evaluate job; returns its result or throws its failure (a failure
 * with a catalogue code as that MaturityError). The job's state is polled, so the wait notices
 * what no event tells: Redis unreachable for longer than `outageMs`, or the job gone because
 * Redis restarted empty (then the flow is put back with `requeue`, or the wait fails).
 */
export async function waitForSnapshot<T = unknown>(
  setup: QueueSetup,
  jobId: string,
  timeoutMs: number,
  o: WaitOptions = {},
): Promise<T> {
  const pollMs = o.pollMs ?? 1000;
  const outageMs = o.outageMs ?? 30_000;
  const q = queue(setup, QUEUES.evaluate);
  const started = Date.now();
  let downSince: number | undefined;
  let requeued = 0;
  try {
    for (;;) {
      let job: Job | undefined;
      let state: string;
      try {
        // The state first, then the job: one read after it was completed (or failed) holds
        // what it returned (or why it failed); read the other way round, a job that completes
        // in between is read without its return value.
        state = await within(q.getJobState(jobId), 3000, 'no answer in 3 s');
        job =
          state === 'unknown'
            ? undefined
            : await within(Job.fromId(q, jobId), 3000, 'no answer in 3 s');
      } catch (err) {
        const now = Date.now();
        if (downSince === undefined) {
          downSince = now;
          o.onNote?.(
            `Redis at ${redisWhere(setup.connection)} is unreachable (${safeError(err).message}); waiting up to ${Math.round(outageMs / 1000)} s for it`,
          );
        } else if (now - downSince >= outageMs) {
          throw new MaturityError(
            'E_REDIS_UNAVAILABLE',
            `Redis at ${redisWhere(setup.connection)} was unreachable for ${Math.round((now - downSince) / 1000)} s while snapshot job ${jobId} ran: the workers go on when it is back (see maturity report later), or run the snapshot again`,
          );
        }
        await sleep(pollMs);
        continue;
      }
      if (downSince !== undefined) {
        o.onNote?.(`Redis is back after ${Math.round((Date.now() - downSince) / 1000)} s`);
        downSince = undefined;
      }
      if (job && state === 'completed') return job.returnvalue as T;
      if (job && state === 'failed') throw await failureOf(setup, jobId, job.failedReason);
      if (!job || state === 'unknown') {
        if (!o.requeue || requeued >= (o.requeueLimit ?? 2))
          throw new MaturityError(
            'E_REDIS_UNAVAILABLE',
            `snapshot job ${jobId} vanished from Redis (restarted without persistence?)${requeued ? ` ${requeued} time(s)` : ''}: run the snapshot again`,
          );
        requeued++;
        o.onNote?.(
          `snapshot job ${jobId} vanished from Redis (restarted without persistence?): queued it again`,
        );
        await o.requeue();
        continue;
      }
      if (Date.now() - started >= timeoutMs)
        throw new MaturityError(
          'E_REDIS_UNAVAILABLE',
          `snapshot job ${jobId} did not finish in ${Math.round(timeoutMs / 1000)} s (it is ${state}): the workers go on with it (see maturity report later)`,
        );
      await sleep(pollMs);
    }
  } finally {
    await closeQuietly(q);
  }
}

/**
 * The error a failed snapshot job stands for. The queue keeps an unrecoverable error as
 * "<code>: <message>"; a parent failed by its child says "child <key> failed", so the child's
 * reason is read instead.
 */
async function failureOf(setup: QueueSetup, jobId: string, reason: string): Promise<Error> {
  const child = /^child (?:.*:)?([^:]+):([^:]+) failed$/.exec(reason);
  if (child) {
    const q = queue(setup, child[1]!);
    try {
      const failed = await Job.fromId(q, child[2]!);
      if (failed?.failedReason) reason = failed.failedReason;
    } catch {
      // Keep the parent's reason.
    } finally {
      await closeQuietly(q);
    }
  }
  const coded = /^(E_[A-Z_]+): (.*)$/s.exec(reason);
  if (coded && coded[1]! in errorCatalogue)
    return new MaturityError(coded[1] as ErrorCode, coded[2]!);
  return new MaturityError(
    'E_CONNECTOR_UNAVAILABLE',
    `the snapshot job ${jobId} failed: ${reason || 'no reason given'}`,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Closes a queue client; one that cannot reach Redis in 2 s is disconnected instead. */
export async function closeQuietly(c: { close(): Promise<void>; disconnect(): Promise<void> }) {
  try {
    await within(c.close(), 2000, 'close timed out');
  } catch {
    await c.disconnect().catch(() => undefined);
  }
}

export function queueEvents(setup: QueueSetup, name: string): QueueEvents {
  const events = new QueueEvents(name, {
    connection: setup.connection,
    ...(setup.prefix ? { prefix: setup.prefix } : {}),
  });
  events.on('error', () => undefined);
  return events;
}

/**
 * A queue client. Its connection errors reach callers through their rejected calls; the error
 * event is listened to so that ioredis prints no stack dump for it.
 */
export function queue(setup: QueueSetup, name: string): Queue {
  const q = new Queue(name, {
    connection: setup.connection,
    ...(setup.prefix ? { prefix: setup.prefix } : {}),
  });
  q.on('error', () => undefined);
  return q;
}
