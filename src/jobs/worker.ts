import type { EventEmitter } from 'node:events';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { MaturityError, errorPolicy } from '../errors.js';
import { safeError } from '../log.js';
import {
  evaluateJob,
  failedStreams,
  metricsJob,
  snapshotJobData,
  syncStreamJob,
  type HandlerContext,
  type MetricsJobResult,
} from './handlers.js';
import {
  QUEUES,
  closeQuietly,
  enqueueSnapshot,
  queue,
  redisWhere,
  within,
  type QueueSetup,
  type SnapshotJobData,
  type SyncJobData,
} from './queues.js';

export interface WorkerOptions extends QueueSetup {
  /** Sync jobs run in parallel per process. */
  concurrency?: number;
  /** Lock and stall-check period: how fast a killed worker's job is picked up elsewhere. */
  lockMs?: number;
  log: Logger;
  /**
   * How often the flows this process triggered are checked for having vanished from Redis (a
   * restart without persistence), to put them back; default 15 s.
   */
  watchMs?: number;
  /** Runs when Redis is reachable again after an outage (e.g. rebuild the schedulers). */
  onReconnect?: () => Promise<unknown>;
}

export interface RunningWorkers {
  workers: Worker[];
  /** Stops taking jobs and waits for the active ones to finish. */
  close(): Promise<void>;
}

/**
 * The BullMQ side of the job handlers. Errors are sorted for the queue by the catalogue's policy
 * for their code (src/errors.ts): `no` is unrecoverable (e.g. a credentials problem; the account
 * is marked as needing attention), `after-wait` pauses the sync queue for as long as the helpdesk
 * asked, `backoff` and errors without a code retry with exponential backoff.
 */
export function startWorkers(ctx: HandlerContext, o: WorkerOptions): RunningWorkers {
  const base = {
    connection: o.connection,
    ...(o.prefix ? { prefix: o.prefix } : {}),
    ...(o.lockMs
      ? { lockDuration: o.lockMs, stalledInterval: Math.max(500, Math.floor(o.lockMs / 2)) }
      : {}),
  };
  const flows = flowWatch(o, o.watchMs ?? 15_000);
  /** A worker whose failures the queue treats as the error catalogue says (see classify). */
  const sorted = <T>(
    name: string,
    run: (job: Job<T>) => Promise<unknown>,
    concurrency: number,
  ): Worker => {
    const worker: Worker = new Worker<T>(
      name,
      async (job) => {
        try {
          return await run(job);
        } catch (err) {
          throw await classify(err, job, worker, o.log);
        }
      },
      { ...base, concurrency },
    );
    return worker;
  };
  const sync = sorted<SyncJobData>(
    QUEUES.sync,
    async (job) => {
      const r = await syncStreamJob(ctx, job.data);
      o.log.info({ job: job.id, ...r }, 'sync done');
      return r;
    },
    o.concurrency ?? 4,
  );
  const metrics = sorted<SnapshotJobData>(
    QUEUES.metrics,
    async (job) => metricsJob(ctx, job.data, await failedStreams(job)),
    2,
  );
  const evaluate = sorted<SnapshotJobData>(
    QUEUES.evaluate,
    async (job) => {
      const values = Object.values(await job.getChildrenValues()) as MetricsJobResult[];
      const m = values[0];
      if (!m) throw new UnrecoverableError('the metrics step left no result');
      const { body, stored } = await evaluateJob(ctx, job.data, m);
      o.log.info(
        { job: job.id, account: body.account, partial: body.partial, stored },
        stored
          ? 'snapshot stored'
          : 'partial snapshot not stored: a complete one of the day stands',
      );
      return {
        account: body.account,
        asOf: body.asOf,
        partial: body.partial,
        stored,
        failedSources: body.failedSources ?? [],
        levels: body.layers.map((l) => ({
          model: l.model,
          layer: l.layer,
          level: l.level,
          levelName: l.levelName,
        })),
      };
    },
    2,
  );
  const trigger = sorted<{ account: string }>(
    QUEUES.trigger,
    async (job) => {
      const data = await snapshotJobData(ctx.store, job.data.account, {}, new Date(job.timestamp));
      const day = new Date(job.timestamp).toISOString().slice(0, 10);
      const added = await enqueueSnapshot(o, data, day);
      flows.watch(added.id, () => enqueueSnapshot(o, data, day), data.account);
      return { flow: added.id };
    },
    1,
  );
  const workers = [sync, metrics, evaluate, trigger];
  const lost = lostJobs(o);
  const redis = outageLog(o, () => {
    flows.checkSoon();
    o.onReconnect?.().catch((err: unknown) =>
      o.log.error({ err: safeError(err) }, 'after reconnecting to Redis'),
    );
  });
  for (const w of workers) {
    w.on('failed', (job, err) =>
      o.log.warn({ queue: w.name, job: job?.id, err: safeError(err) }, 'job failed'),
    );
    w.on('error', (err) => {
      if (isConnectionError(err)) redis.down(err);
      else if (!lost.note(w.name, err))
        o.log.error({ queue: w.name, err: safeError(err) }, 'worker error');
    });
    w.on('ioredis:close', () => redis.down(new Error('the connection was lost')));
    (w.getBackend() as unknown as EventEmitter).on('ready', redis.up);
  }
  return {
    workers,
    async close() {
      flows.stop();
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** An error that says Redis is out of reach (BullMQ retries those by itself). */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = 'code' in err ? String(err.code) : '';
  return (
    CONNECTION_CODES.has(code) ||
    /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Socket closed unexpectedly|Stream isn't writeable/i.test(
      err.message,
    )
  );
}

/**
 * One log line when Redis goes away and one when it is back, however many times the clients
 * retry in between (each retry raises an error event on every worker).
 */
function outageLog(o: WorkerOptions, onBack: () => void) {
  let downSince: number | undefined;
  const where = redisWhere(o.connection);
  return {
    down(err: unknown) {
      if (downSince !== undefined) return;
      downSince = Date.now();
      o.log.warn(
        { redis: where, err: safeError(err) },
        `Redis at ${where} is unreachable: jobs wait and the workers reconnect`,
      );
    },
    up() {
      if (downSince === undefined) return;
      const seconds = Math.round((Date.now() - downSince) / 1000);
      downSince = undefined;
      o.log.info(
        { redis: where, downSeconds: seconds },
        `Redis at ${where} is reachable again after ${seconds} s: jobs resume`,
      );
      onBack();
    },
  };
}

/**
 * A job whose Redis side changed while it ran cannot be finished by this run: BullMQ raises
 * "Missing key for job …" (Redis restarted empty) or "Lock mismatch / Missing lock for job …"
 * (its lock lapsed, or Redis lost it, and another run took the job) at each step it tries. One
 * line per such job says so.
 */
function lostJobs(o: WorkerOptions) {
  const seen = new Set<string>();
  return {
    /** True when `err` was such an error (and is now logged). */
    note(queueName: string, err: unknown): boolean {
      const m = /^(Missing key|Missing lock|Lock mismatch) for job (.+?)\. /.exec(
        err instanceof Error ? err.message : '',
      );
      if (!m) return false;
      const id = m[2]!;
      if (seen.size > 10_000) seen.clear();
      if (!seen.has(id)) {
        seen.add(id);
        o.log.warn(
          { queue: queueName, job: id },
          m[1] === 'Missing key'
            ? `job ${id} vanished from Redis while it ran (restarted without persistence?): its result is dropped`
            : `job ${id} was taken over by another run while this one ran (its lock lapsed or Redis lost it): this run's result is dropped`,
        );
      }
      return true;
    },
  };
}

/**
 * The flows this process triggered, checked every `everyMs` until they finish: one whose evaluate
 * job vanished from Redis (restarted without persistence) is put back, up to three times. Ids are
 * deterministic, so workers that put back the same flow add it once.
 */
function flowWatch(o: WorkerOptions, everyMs: number) {
  const watched = new Map<
    string,
    { requeue: () => Promise<unknown>; account: string; since: number; requeued: number }
  >();
  let running = false;
  const check = async () => {
    if (running || !watched.size) return;
    running = true;
    const q = queue(o, QUEUES.evaluate);
    try {
      for (const [id, w] of watched) {
        if (Date.now() - w.since > 86_400_000) {
          watched.delete(id);
          continue;
        }
        const job = await within(Job.fromId(q, id), 3000, 'no answer in 3 s');
        const state = job ? await within(job.getState(), 3000, 'no answer in 3 s') : 'unknown';
        if (state === 'completed' || state === 'failed') watched.delete(id);
        else if (state === 'unknown') {
          if (w.requeued >= 3) {
            watched.delete(id);
            o.log.error(
              { job: id, account: w.account },
              `snapshot flow of ${w.account} vanished from Redis again: given up until its next run`,
            );
            continue;
          }
          w.requeued++;
          await w.requeue();
          o.log.warn(
            { job: id, account: w.account },
            `snapshot flow of ${w.account} vanished from Redis (restarted without persistence?): queued it again`,
          );
        }
      }
    } catch {
      // Redis is out of reach: the outage is logged once elsewhere; the next round tries again.
    } finally {
      await closeQuietly(q);
      running = false;
    }
  };
  const timer = setInterval(() => void check(), everyMs);
  timer.unref();
  return {
    watch(id: string, requeue: () => Promise<unknown>, account: string) {
      watched.set(id, { requeue, account, since: Date.now(), requeued: 0 });
    },
    checkSoon() {
      setTimeout(() => void check(), 1000).unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/**
 * What the queue does with a failed job: the catalogue's policy for the error's code. A rate limit
 * without a stated wait, and an error without a code (a database hiccup, a bug), back off.
 */
export function queueVerdict(
  err: unknown,
): { retry: 'no' } | { retry: 'backoff' } | { retry: 'after-wait'; waitMs: number } {
  if (!(err instanceof MaturityError)) return { retry: 'backoff' };
  const { retry } = errorPolicy(err.code);
  if (retry === 'after-wait')
    return err.retryAfterMs ? { retry, waitMs: err.retryAfterMs } : { retry: 'backoff' };
  return { retry };
}

async function classify(err: unknown, job: Job, worker: Worker, log: Logger): Promise<Error> {
  const verdict = queueVerdict(err);
  if (verdict.retry === 'after-wait') {
    log.warn({ job: job.id, waitMs: verdict.waitMs }, 'rate limited: pausing the sync queue');
    await worker.rateLimit(verdict.waitMs);
    return Worker.RateLimitError();
  }
  if (verdict.retry === 'no') {
    const e = err as MaturityError;
    return new UnrecoverableError(`${e.code}: ${e.message}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
