import { firstStart as start } from '../../shared/history-start.js';
import type { JsmConfig } from '../config.js';

export { historyDate, needsEarlier } from '../../shared/history-start.js';

const MINUTE_MS = 60_000;
/** Where "all history" starts: JQL needs a date, and no helpdesk record is older. */
export const EPOCH = '1970-01-01T00:00:00.000Z';

/** The whole minute an instant falls in (JQL compares dates to the minute). */
export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
export const isoMinute = (ms: number): string => new Date(minuteOf(ms)).toISOString();

/** Where a first read starts (null: all history), to the minute: the shared reading. */
export const firstStart = (config: JsmConfig, now: Date, needed: Date | null | undefined) =>
  start(config.since, now, needed, isoMinute);
