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
 * Where a first export starts: the configured date, or two years back; earlier when the caller
 * needs more (a first snapshot over a longer window).
 */
export function exportStart(config: ZendeskConfig, now: Date, needed?: number): number {
  const from = config.since ? Date.parse(config.since) : now.getTime() - 730 * DAY_MS;
  const start = Math.floor(from / 1000);
  return needed === undefined ? start : Math.min(start, needed);
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
