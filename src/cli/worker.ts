import { inputError } from '../errors.js';
import { createLogger } from '../log.js';
import { ensureSchedules } from '../jobs/schedules.js';
import { startWorkers } from '../jobs/worker.js';
import type { CliContext } from './context.js';

export interface WorkerFlags {
  concurrency?: string;
  lockMs?: string;
}

/** Runs the BullMQ workers until SIGTERM/SIGINT, then drains: active jobs finish, no new ones start. */
export async function workerCommand(ctx: CliContext, flags: WorkerFlags): Promise<void> {
  const concurrency = Number(flags.concurrency ?? 4);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw inputError(
      `--concurrency must be a whole number from 1 to 64 (got "${flags.concurrency}")`,
    );
  }
  const lockMs = flags.lockMs === undefined ? undefined : Number(flags.lockMs);
  if (lockMs !== undefined && (!Number.isInteger(lockMs) || lockMs < 1000))
    throw inputError('--lock-ms must be at least 1000');
  const setup = ctx.queueSetup();
  const log = createLogger(ctx.config.LOG_LEVEL === 'warn' ? 'info' : ctx.config.LOG_LEVEL);
  const store = await ctx.openStore();
  const scheduled = await ensureSchedules(store, setup);
  const running = startWorkers(
    { store, box: ctx.secretBox(), rules: ctx.rules() },
    { ...setup, concurrency, log, ...(lockMs ? { lockMs } : {}) },
  );
  await Promise.all(running.workers.map((w) => w.waitUntilReady()));
  log.info({ concurrency, scheduled }, 'workers ready');
  ctx.io.err(
    `worker: ready (sync concurrency ${concurrency}, ${scheduled} nightly schedules); stop with Ctrl-C or SIGTERM`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      ctx.io.err(`worker: ${signal} received, finishing active jobs…`);
      running.close().then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  ctx.io.err('worker: stopped');
}
