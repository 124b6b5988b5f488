import { z } from 'zod';
import type { SnapshotBody } from '../domain/evidence.js';
import { snapshotJobData } from '../jobs/handlers.js';
import {
  QUEUES,
  checkRedis,
  closeQuietly,
  enqueueSnapshot,
  jobIds,
  queue,
  waitForSnapshot,
} from '../jobs/queues.js';
import { syncAndSnapshot } from '../jobs/sync-and-snapshot.js';
import { asOfProblem, windowSpecProblem } from '../metrics/window.js';
import { renderMarkdown } from '../report/render-markdown.js';
import type { CliContext } from './context.js';
import { checkedString, parseFlags, wholeNumber } from './flags.js';
import { syncProgressReporter } from './progress.js';

export const SnapshotFlags = z.object({
  /** Judge as of this date (YYYY-MM-DD, the end of that day UTC) or ISO date-time; default now. */
  asOf: checkedString(asOfProblem).optional(),
  window: checkedString(windowSpecProblem).default('90d'),
  json: z.boolean().default(false),
  /** Rules directory (default: the shipped rules/). */
  rules: z.string().optional(),
  /** commander's --no-sync / --no-wait give false. */
  sync: z.boolean().default(true),
  wait: z.boolean().default(true),
  /**
   * With REDIS_URL: how long to wait for the workers, in seconds (up to a week). Six hours by
   * default: a snapshot started by a nightly cron job is done by morning even when a first sync
   * at the helpdesk's rate limits takes hours. It need not be short to catch trouble: a failed
   * snapshot, Redis out of reach for 30 s, or a flow lost by a Redis restart end the wait at once.
   */
  timeout: wholeNumber(1, 7 * 24 * 3600).default(6 * 3600),
});
export type SnapshotFlags = z.infer<typeof SnapshotFlags>;

/**
 * sync (connected accounts) ► metrics ► evaluate ► stored snapshot. Inline without REDIS_URL; with
 * it, the same steps run as a BullMQ flow on the workers and this command waits for the result.
 * The sync backfills the history the window needs (its start; all history for `--window all`).
 */
export async function snapshotCommand(
  ctx: CliContext,
  accountName: string,
  rawFlags: unknown,
): Promise<void> {
  const flags = parseFlags(SnapshotFlags, rawFlags);
  const rules = ctx.rules(flags.rules);
  const store = await ctx.openStore();
  const account = await store.getAccount(accountName);
  if (ctx.config.REDIS_URL && flags.sync) return queued(ctx, accountName, flags);

  const progress = syncProgressReporter(ctx.io);
  let made: Awaited<ReturnType<typeof syncAndSnapshot>>;
  try {
    made = await syncAndSnapshot(store, account, {
      box: ctx.secretBox(),
      rules,
      window: flags.window,
      ...(flags.asOf ? { asOf: flags.asOf } : {}),
      sync: flags.sync,
      onProgress: progress.onProgress,
      onWait: progress.onWait,
    });
  } finally {
    progress.stop();
  }
  const { body, stored, failed } = made;
  for (const f of failed) {
    const at = body.dataAge?.find((d) => d.source === f.stream)?.lastSynced;
    ctx.io.err(
      `snapshot: stream ${f.stream} failed (${f.error ?? 'no reason given'}); ${at ? `its records as of ${at.slice(0, 16).replace('T', ' ')} UTC stand in` : 'it never synced in full, so its evidence is unknown'}`,
    );
  }
  if (!stored) ctx.io.err(notStored(body.asOf));
  noteEarlier(ctx, body, flags.window);
  ctx.io.out(flags.json ? JSON.stringify(body, null, 2) : renderMarkdown(body, { rules }));
}

const notStored = (asOf: string) =>
  `snapshot: this partial snapshot was not stored: the complete one of ${asOf.slice(0, 10)} stands`;

async function queued(ctx: CliContext, accountName: string, flags: SnapshotFlags): Promise<void> {
  const setup = ctx.queueSetup();
  await checkRedis(setup);
  const store = await ctx.openStore();
  const data = await snapshotJobData(store, accountName, {
    window: flags.window,
    ...(flags.asOf ? { asOf: flags.asOf } : {}),
  });
  // A snapshot asked for by hand always runs; nightly triggers share one id per day instead.
  const day = new Date().toISOString().slice(0, 10);
  const tag = `|cli-${Date.now().toString(36)}`;
  const job = await enqueueSnapshot(setup, data, day, tag);
  if (!flags.wait) {
    ctx.io.out(`queued snapshot of "${accountName}": job ${job.id}`);
    return;
  }
  const syncQueue = queue(setup, QUEUES.sync);
  const ids = jobIds(data.accountId, day, tag, data.historyFrom);
  const streams = Object.keys(data.kindsByStream);
  const started = Date.now();
  let lastLine = '';
  let workersChecked = false;
  // Progress is polled one round at a time (never overlapping); a failed round is skipped, never
  // left as an unhandled rejection that would end the process.
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    const states = await Promise.all(
      streams.map(async (s) => (await syncQueue.getJob(ids.sync(s)))?.getState() ?? 'unknown'),
    );
    const done = states.filter((s) => s === 'completed').length;
    const failed = states.filter((s) => s === 'failed').length;
    const line = `snapshot ${accountName}: sync ${done}/${streams.length} streams done${failed ? `, ${failed} failed` : ''}`;
    if (line !== lastLine) ctx.io.err((lastLine = line));
    if (!workersChecked && Date.now() - started > 5000) {
      workersChecked = true;
      if (!done && !failed && (await syncQueue.getWorkersCount()) === 0)
        ctx.io.err(
          `snapshot ${accountName}: no worker is connected to Redis: start \`maturity worker\` (still waiting)`,
        );
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      poll()
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) schedule();
        });
    }, 1000);
  };
  schedule();
  let result: { stored?: boolean; asOf?: string };
  try {
    result = await waitForSnapshot(setup, job.id, flags.timeout * 1000, {
      requeue: () => enqueueSnapshot(setup, data, day, tag),
      onNote: (line) => ctx.io.err(`snapshot ${accountName}: ${line}`),
    });
  } finally {
    stopped = true;
    clearTimeout(timer);
    await closeQuietly(syncQueue);
  }
  const account = await store.getAccount(accountName);
  const body = (await store.latestSnapshot(account.id)) as SnapshotBody;
  if (result.stored === false) ctx.io.err(notStored(result.asOf ?? body.asOf));
  noteEarlier(ctx, body, flags.window);
  ctx.io.out(
    flags.json
      ? JSON.stringify(body, null, 2)
      : renderMarkdown(body, { rules: ctx.rules(flags.rules) }),
  );
}

/**
 * A window with none of the account's tickets, all older or all newer: one line with the command
 * that judges them.
 */
function noteEarlier(ctx: CliContext, body: SnapshotBody, window: string): void {
  const earlier = body.period?.earlier ?? body.period?.later;
  if (!earlier) return;
  const last = earlier.last.slice(0, 10);
  ctx.io.err(
    `snapshot: none of the ${earlier.tickets} tickets of ${body.account} falls in the window (they were created ${earlier.first.slice(0, 10)} to ${last}); to judge them: maturity snapshot ${body.account} --as-of ${last}${window === '90d' ? '' : ` --window ${window}`}`,
  );
}
