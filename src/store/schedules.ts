import type { Db } from './db.js';

/** A nightly snapshot schedule as stored: the database is its source of truth, Redis mirrors it. */
export interface ScheduleRow {
  accountId: number;
  account: string;
  cron: string;
  tz: string;
  enabled: boolean;
}

/** Sets an account's schedule and turns it on. */
export async function saveSchedule(
  db: Db,
  accountId: number,
  cron: string,
  tz: string,
): Promise<void> {
  await db.query(
    `INSERT INTO schedules (account_id, cron, tz, enabled) VALUES ($1, $2, $3, true)
     ON CONFLICT (account_id) DO UPDATE SET cron = EXCLUDED.cron, tz = EXCLUDED.tz, enabled = true, updated_at = now()`,
    [accountId, cron, tz],
  );
}

/**
 * Turns an account's schedule off, keeping its cron and zone; an account with none gets the
 * given ones, off (so nothing turns it back on by default).
 */
export async function disableSchedule(
  db: Db,
  accountId: number,
  cron: string,
  tz: string,
): Promise<void> {
  await db.query(
    `INSERT INTO schedules (account_id, cron, tz, enabled) VALUES ($1, $2, $3, false)
     ON CONFLICT (account_id) DO UPDATE SET enabled = false, updated_at = now()`,
    [accountId, cron, tz],
  );
}

/** Gives every connected account (not imported ones) that has no schedule this one, on. */
export async function addMissingSchedules(db: Db, cron: string, tz: string): Promise<void> {
  await db.query(
    `INSERT INTO schedules (account_id, cron, tz, enabled)
     SELECT id, $1, $2, true FROM accounts WHERE connector <> 'records' ON CONFLICT (account_id) DO NOTHING`,
    [cron, tz],
  );
}

/** The schedule of one account (undefined: never set nor removed). */
export async function scheduleOf(
  db: Db,
  accountId: number,
): Promise<{ cron: string; tz: string; enabled: boolean } | undefined> {
  const [row] = await db.query<{ cron: string; tz: string; enabled: boolean }>(
    'SELECT cron, tz, enabled FROM schedules WHERE account_id = $1',
    [accountId],
  );
  return row;
}

/** Every schedule, by account name. */
export function listSchedules(db: Db): Promise<ScheduleRow[]> {
  return db.query<ScheduleRow>(
    `SELECT a.id AS "accountId", a.name AS account, s.cron, s.tz, s.enabled
     FROM schedules s JOIN accounts a ON a.id = s.account_id ORDER BY a.name`,
  );
}
