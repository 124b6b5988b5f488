import { parseWindow } from '../metrics/window.js';

/**
 * The history a snapshot's window needs synced: the window's start, taken back to the start of
 * its UTC day (every run of one day asks the same, so queued jobs of that day share an id), or
 * `null` for `--window all` (all history). Throws E_INPUT on a malformed window or as-of.
 */
export function historyNeeded(
  window: string | undefined,
  asOf: string | Date | undefined,
  now = new Date(),
): Date | null {
  const { from } = parseWindow(window, asOf, now);
  if (!from) return null;
  const day = new Date(from);
  day.setUTCHours(0, 0, 0, 0);
  return day;
}
