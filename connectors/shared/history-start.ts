/**
 * Where a stream that reads by time starts its first read, and whether a snapshot needs more
 * history than it holds: one reading for every connector (times as ISO strings; null: all history).
 */

const DAY_MS = 86_400_000;
/** How far back a plain first sync reads without `--since`. */
export const DEFAULT_HISTORY_DAYS = 730;

/**
 * Where a first read starts (null: all history), written by `write` (the vendor's precision). A
 * snapshot says what its window needs, and the read starts there (earlier only when `--since` asks
 * for more): a first 90-day snapshot reads 90 days, not two years at the rate limit. A plain sync
 * starts at `--since` or two years back.
 */
export function firstStart(
  since: string | undefined,
  now: Date,
  needed: Date | null | undefined,
  write: (ms: number) => string,
): string | null {
  const from = since ? Date.parse(since) : undefined;
  if (needed === null) return null;
  if (needed !== undefined)
    return write(from === undefined ? needed.getTime() : Math.min(from, needed.getTime()));
  return write(from ?? now.getTime() - DEFAULT_HISTORY_DAYS * DAY_MS);
}

/** Whether the history needed starts before the history held (null: all of it). */
export function needsEarlier(needed: Date | null | undefined, held: string | null): boolean {
  if (needed === undefined || held === null) return false;
  return needed === null || needed.getTime() < Date.parse(held);
}

/** The start as the runner stores it: null for all history. */
export const historyDate = (from: string | null): Date | null =>
  from === null ? null : new Date(from);
