import type { JsmConfig } from '../config.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Where "all history" starts: JQL needs a date, and no helpdesk record is older. */
export const EPOCH = '1970-01-01T00:00:00.000Z';

/** The whole minute an instant falls in (JQL compares dates to the minute). */
export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
export const isoMinute = (ms: number): string => new Date(minuteOf(ms)).toISOString();

/**
 * Where a first read starts (null: all history). A snapshot says what its window needs, and the
 * read starts there (earlier only when `--since` asks for more): a first 90-day snapshot reads 90
 * days, not two years. A plain sync starts at `--since` or two years back.
 */
export function firstStart(
  config: JsmConfig,
  now: Date,
  needed: Date | null | undefined,
): string | null {
  const since = config.since ? Date.parse(config.since) : undefined;
  if (needed === null) return null;
  if (needed !== undefined)
    return isoMinute(since === undefined ? needed.getTime() : Math.min(since, needed.getTime()));
  return isoMinute(since ?? now.getTime() - 730 * DAY_MS);
}

/** Whether the history needed starts before the history held (null: all of it). */
export function needsEarlier(needed: Date | null | undefined, held: string | null): boolean {
  if (needed === undefined || held === null) return false;
  return needed === null || needed.getTime() < Date.parse(held);
}

/** The start as the runner stores it: null for all history. */
export const historyDate = (from: string | null): Date | null =>
  from === null ? null : new Date(from);
