import type { ZendeskConfig } from '../config.js';

const DAY_MS = 86_400_000;

/**
 * Where the history of the incremental exports starts, in epoch seconds as Zendesk's `start_time`
 * takes it. 0 is the epoch: every item ever changed, i.e. all history.
 * https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api
 */

/** The start the caller needs: undefined (no requirement), 0 (all history) or that instant. */
export function neededStart(historyFrom: Date | null | undefined): number | undefined {
  if (historyFrom === undefined) return undefined;
  if (historyFrom === null) return 0;
  return Math.max(0, Math.floor(historyFrom.getTime() / 1000));
}

/**
 * Where a first export starts. A snapshot says what its window needs, and the export starts
 * there (earlier only when `since` asks for more): a first 90-day snapshot reads 90 days, not two
 * years at the API's rate limit. A plain sync, with no window, starts at `since` or two years back.
 */
export function exportStart(config: ZendeskConfig, now: Date, needed?: number): number {
  const since = config.since ? Math.floor(Date.parse(config.since) / 1000) : undefined;
  if (needed !== undefined) return since === undefined ? needed : Math.min(since, needed);
  return since ?? Math.floor((now.getTime() - 730 * DAY_MS) / 1000);
}

/**
 * The start a cursor holds. Cursors saved before the start was kept lack it: the first export
 * began at `since` or two years before that first sync, so today's default is no earlier than
 * the truth (never claims history that was not read).
 */
export const heldStart = (from: number | undefined, config: ZendeskConfig, now: Date): number =>
  from ?? exportStart(config, now);

/** The start as the runner stores it: null for all history. */
export const historyDate = (from: number): Date | null =>
  from <= 0 ? null : new Date(from * 1000);
