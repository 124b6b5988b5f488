import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { MaturityError } from '../errors.js';
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
 * The BullMQ side of the job handlers. Errors are sorted for the queue: a credentials problem is
 * unrecoverable (no retries; the account is marked as needing attention), a rate limit pauses the
 * sync queue for as long as the helpdesk asked, everything else retries with backoff.
 */
export function startWorkers(ctx: HandlerContext, o: WorkerOptions): RunningWorkers {
  const base = {
    connection: o.connection,
    ...(o.prefix ? { prefix: o.prefix } : {}),
    ...(o.lockMs
      ? { lockDuration: o.lockMs, stalledInterval: Math.max(500, Math.floor(o.lockMs / 2)) }
      : {}),
  };
  const sync: Worker = new Worker<SyncJobData>(
    QUEUES.sync,
    async (job) => {
      try {
        const r = await syncStreamJob(ctx, job.data);
        o.log.info({ job: job.id, ...r }, 'sync done');
        return r;
      } catch (err) {
        throw await classify(err, job, sync, o.log);
      }
    },
    { ...base, concurrency: o.concurrency ?? 4 },
  );
  const metrics = new Worker<SnapshotJobData>(
    QUEUES.metrics,
    async (job) => metricsJob(ctx, job.data, await failedStreams(job)),
    { ...base, concurrency: 2 },
  );
  const evaluate = new Worker<SnapshotJobData>(
    QUEUES.evaluate,
    async (job) => {
      const values = Object.values(await job.getChildrenValues()) as MetricsJobResult[];
      const m = values[0];
      if (!m) throw new UnrecoverableError('the metrics step left no result');
      const body = await evaluateJob(ctx, job.data, m);
      o.log.info({ job: job.id, account: body.account, partial: body.partial }, 'snapshot stored');
      return {
        account: body.account,
        asOf: body.asOf,
        partial: body.partial,
        failedSources: body.failedSources ?? [],
        levels: body.layers.map((l) => ({
          model: l.model,
          layer: l.layer,
          level: l.level,
          levelName: l.levelName,
        })),
      };
    },
    { ...base, concurrency: 2 },
  );
  const trigger = new Worker<{ account: string }>(
    QUEUES.trigger,
    async (job) => {
      const data = await snapshotJobData(ctx.store, job.data.account, {}, new Date(job.timestamp));
      const day = new Date(job.timestamp).toISOString().slice(0, 10);
      const added = await enqueueSnapshot(o, data, day);
      return { flow: added.id };
    },
    { ...base, concurrency: 1 },
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

async function classify(err: unknown, job: Job, worker: Worker, log: Logger): Promise<Error> {
  if (err instanceof MaturityError) {
    if (err.code === 'E_CONNECTOR_RATE_LIMIT' && err.retryAfterMs) {
      log.warn({ job: job.id, waitMs: err.retryAfterMs }, 'rate limited: pausing the sync queue');
      await worker.rateLimit(err.retryAfterMs);
      return Worker.RateLimitError();
    }
    if (!err.retryable) return new UnrecoverableError(`${err.code}: ${err.message}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
