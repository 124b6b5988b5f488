import { z } from 'zod';
import { createLogger } from '../log.js';
import { ensureSchedules } from '../jobs/schedules.js';
import { checkRedis } from '../jobs/queues.js';
import { startWorkers } from '../jobs/worker.js';
import type { CliContext } from './context.js';
import { parseFlags, wholeNumber } from './flags.js';

export const WorkerFlags = z.object({
  /** Sync jobs in parallel in this process. */
  concurrency: wholeNumber(1, 64).default(4),
  /** Job lock period: how soon a killed worker's job moves to another worker. */
  lockMs: wholeNumber(1000).optional(),
});
export type WorkerFlags = z.infer<typeof WorkerFlags>;

/** Runs the BullMQ workers until SIGTERM/SIGINT, then drains: active jobs finish, no new ones start. */
export async function workerCommand(ctx: CliContext, rawFlags: unknown): Promise<void> {
  const { concurrency, lockMs } = parseFlags(WorkerFlags, rawFlags);
  const setup = ctx.queueSetup();
  const log = createLogger(ctx.config.LOG_LEVEL === 'warn' ? 'info' : ctx.config.LOG_LEVEL);
  await checkRedis(setup);
  const store = await ctx.openStore();
  const scheduled = await ensureSchedules(store, setup);
  const running = startWorkers(
    { store, box: ctx.secretBox(), rules: ctx.rules() },
    {
      ...setup,
      concurrency,
      log,
      ...(lockMs ? { lockMs } : {}),
      // A Redis that restarted empty lost the schedulers too: rebuild them from the database.
      onReconnect: () => ensureSchedules(store, setup),
    },
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
