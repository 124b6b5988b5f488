import { CronExpressionParser } from 'cron-parser';
import { inputError } from '../errors.js';
import type { Store } from '../store/store.js';
import { QUEUES, checkRedis, closeQuietly, queue, type QueueSetup } from './queues.js';

export const DEFAULT_CRON = '0 2 * * *';
export const DEFAULT_TZ = 'UTC';

export interface Schedule {
  account: string;
  cron: string;
  tz: string;
  enabled: boolean;
  next?: string;
}

export const schedulerId = (accountId: number) => `nightly|${accountId}`;

export function validateSchedule(cron: string, tz: string): void {
  const tzWrong = tzProblem(tz);
  if (tzWrong) throw inputError(`--tz ${tzWrong}`);
  const cronWrong = cronProblem(cron, tz);
  if (cronWrong) throw inputError(`--cron ${cronWrong}`);
}

/** Why `tz` is no `--tz`, as a phrase that follows the flag, or undefined when it is one. */
export function tzProblem(tz: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return undefined;
  } catch {
    return `must be an IANA time zone like Europe/Paris (got "${tz}")`;
  }
}

/** Why `cron` is no `--cron` (in zone `tz`), as a phrase that follows the flag, or undefined. */
export function cronProblem(cron: string, tz = DEFAULT_TZ): string | undefined {
  try {
    CronExpressionParser.parse(cron, { tz });
    return undefined;
  } catch (err) {
    return `"${cron}" is not a valid cron expression (${(err as Error).message})`;
  }
}

/** Saves the schedule in the database and upserts the account's BullMQ job scheduler (idempotent). */
export async function setSchedule(
  store: Store,
  setup: QueueSetup,
  accountName: string,
  cron: string,
  tz: string,
): Promise<Schedule> {
  validateSchedule(cron, tz);
  const account = await store.getAccount(accountName);
  await checkRedis(setup);
  await store.saveSchedule(account.id, cron, tz);
  await mirror(setup, account.id, account.name, { cron, tz, enabled: true });
  return { account: account.name, cron, tz, enabled: true };
}

export async function removeSchedule(
  store: Store,
  setup: QueueSetup,
  accountName: string,
): Promise<void> {
  const account = await store.getAccount(accountName);
  await checkRedis(setup);
  await store.disableSchedule(account.id, DEFAULT_CRON, DEFAULT_TZ);
  await mirror(setup, account.id, account.name, {
    cron: DEFAULT_CRON,
    tz: DEFAULT_TZ,
    enabled: false,
  });
}

export async function listSchedules(store: Store, setup: QueueSetup): Promise<Schedule[]> {
  const rows = await store.listSchedules();
  await checkRedis(setup);
  const q = queue(setup, QUEUES.trigger);
  try {
    const live = new Map((await q.getJobSchedulers(0, -1)).map((j) => [j.key, j.next]));
    return rows.map((r) => ({
      account: r.account,
      cron: r.cron,
      tz: r.tz,
      enabled: r.enabled,
      ...(live.get(schedulerId(r.accountId))
        ? { next: new Date(live.get(schedulerId(r.accountId))!).toISOString() }
        : {}),
    }));
  } finally {
    await closeQuietly(q);
  }
}

/** A newly connected account gets the nightly default, unless it already has a schedule. */
export async function ensureDefaultSchedule(
  store: Store,
  setup: QueueSetup,
  accountName: string,
): Promise<Schedule | undefined> {
  const account = await store.getAccount(accountName);
  if (await store.schedule(account.id)) return undefined;
  return setSchedule(store, setup, accountName, DEFAULT_CRON, DEFAULT_TZ);
}

/**
 * Every connected account gets a nightly schedule unless one was set or removed on purpose; the
 * Redis schedulers are rebuilt from the database. Run at worker start.
 */
export async function ensureSchedules(store: Store, setup: QueueSetup): Promise<number> {
  await checkRedis(setup);
  await store.addMissingSchedules(DEFAULT_CRON, DEFAULT_TZ);
  const rows = await store.listSchedules();
  for (const r of rows) await mirror(setup, r.accountId, r.account, r);
  return rows.filter((r) => r.enabled).length;
}

async function mirror(
  setup: QueueSetup,
  accountId: number,
  account: string,
  s: { cron: string; tz: string; enabled: boolean },
) {
  const q = queue(setup, QUEUES.trigger);
  try {
    if (s.enabled) {
      await q.upsertJobScheduler(
        schedulerId(accountId),
        { pattern: s.cron, tz: s.tz },
        {
          name: 'nightly-snapshot',
          data: { account },
          opts: { removeOnComplete: 100, removeOnFail: 100 },
        },
      );
    } else {
      await q.removeJobScheduler(schedulerId(accountId));
    }
  } finally {
    await closeQuietly(q);
  }
}
