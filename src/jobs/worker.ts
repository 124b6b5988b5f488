import { UnrecoverableError, Worker, type Job } from 'bullmq';
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
  enqueueSnapshot,
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
      return { flow: added.id };
    },
    1,
  );
  const workers = [sync, metrics, evaluate, trigger];
  for (const w of workers) {
    w.on('failed', (job, err) =>
      o.log.warn({ queue: w.name, job: job?.id, err: safeError(err) }, 'job failed'),
    );
    w.on('error', (err) => o.log.error({ queue: w.name, err: safeError(err) }, 'worker error'));
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
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
