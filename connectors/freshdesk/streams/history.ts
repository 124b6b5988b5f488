import type { FreshdeskConfig } from '../config.js';

const DAY_MS = 86_400_000;
/** updated_since for "all history": Freshdesk needs a value (without one it lists 30 days). */
export const EPOCH = '1970-01-01T00:00:00Z';

/** An instant as Freshdesk's timestamps write it (whole seconds, Z). */
export const isoSeconds = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Where a first read starts (null: all history). A snapshot says what its window needs, and the
 * read starts there (earlier only when `--since` asks for more): a first 90-day snapshot reads 90
 * days, not two years at the rate limit. A plain sync starts at `--since` or two years back.
 */
export function firstStart(
  config: FreshdeskConfig,
  now: Date,
  needed: Date | null | undefined,
): string | null {
  const since = config.since ? Date.parse(config.since) : undefined;
  if (needed === null) return null;
  if (needed !== undefined)
    return isoSeconds(since === undefined ? needed.getTime() : Math.min(since, needed.getTime()));
  return isoSeconds(since ?? now.getTime() - 730 * DAY_MS);
}

/** Whether the history needed starts before the history held (null: all of it). */
export function needsEarlier(needed: Date | null | undefined, held: string | null): boolean {
  if (needed === undefined || held === null) return false;
  return needed === null || needed.getTime() < Date.parse(held);
}

/** The start as the runner stores it: null for all history. */
export const historyDate = (from: string | null): Date | null =>
  from === null ? null : new Date(from);
