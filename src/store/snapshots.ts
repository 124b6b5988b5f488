import type { SnapshotBody } from '../domain/evidence.js';
import type { Db } from './db.js';

export interface SnapshotEntry {
  id: number;
  asOf: Date;
  window: string;
  rulesVersion: string;
}

/**
 * One snapshot per account, day and window: taking it again the same day replaces it, except that
 * a partial snapshot (some sources failed) never replaces a complete one. Returns the stored
 * snapshot's id, or undefined when a complete snapshot of that day stands and this one was not kept.
 */
export async function saveSnapshot(
  db: Db,
  accountId: number,
  body: SnapshotBody,
): Promise<number | undefined> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO snapshots (account_id, as_of, day, window_spec, rules_version, rules_hash, partial, body)
     VALUES ($1, $2::timestamptz, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, $4, $5, $6, $7::jsonb)
     ON CONFLICT (account_id, day, window_spec) DO UPDATE SET as_of = EXCLUDED.as_of,
       rules_version = EXCLUDED.rules_version, rules_hash = EXCLUDED.rules_hash,
       partial = EXCLUDED.partial, body = EXCLUDED.body, created_at = now()
     WHERE snapshots.partial OR NOT EXCLUDED.partial
     RETURNING id`,
    [
      accountId,
      body.asOf,
      body.window,
      body.rulesVersion,
      body.rulesHash,
      body.partial,
      JSON.stringify(body),
    ],
  );
  return rows[0]?.id;
}

export async function latestSnapshot(db: Db, accountId: number): Promise<SnapshotBody | undefined> {
  const rows = await db.query<{ body: SnapshotBody }>(
    'SELECT body FROM snapshots WHERE account_id = $1 ORDER BY as_of DESC, created_at DESC LIMIT 1',
    [accountId],
  );
  return rows[0]?.body;
}

export function listSnapshots(db: Db, accountId: number): Promise<SnapshotEntry[]> {
  return db.query(
    `SELECT id, as_of AS "asOf", window_spec AS "window", rules_version AS "rulesVersion"
     FROM snapshots WHERE account_id = $1 ORDER BY as_of`,
    [accountId],
  );
}

/** A stored snapshot with its id, and whether it is the account's latest. */
export interface StoredSnapshot {
  id: number;
  body: SnapshotBody;
  latest: boolean;
}

/**
 * One stored snapshot of an account: by id, or the latest as of a moment (the last one whose
 * as-of is at or before it), or the latest of all. Undefined when there is none.
 */
export async function findSnapshot(
  db: Db,
  accountId: number,
  pick: { id?: number; asOf?: string } = {},
): Promise<StoredSnapshot | undefined> {
  const rows = await db.query<StoredSnapshot>(
    `SELECT s.id, s.body, s.id = (SELECT id FROM snapshots WHERE account_id = $1
                                  ORDER BY as_of DESC, created_at DESC LIMIT 1) AS latest
     FROM snapshots s WHERE s.account_id = $1
       AND ($2::int IS NULL OR s.id = $2) AND ($3::timestamptz IS NULL OR s.as_of <= $3)
     ORDER BY s.as_of DESC, s.created_at DESC LIMIT 1`,
    [accountId, pick.id ?? null, pick.asOf ?? null],
  );
  return rows[0];
}

/** The snapshot stored before the one as of `asOf` (what a partial snapshot held its levels to). */
export async function snapshotBefore(
  db: Db,
  accountId: number,
  asOf: string,
): Promise<SnapshotBody | undefined> {
  const rows = await db.query<{ body: SnapshotBody }>(
    `SELECT body FROM snapshots WHERE account_id = $1 AND as_of < $2::timestamptz
     ORDER BY as_of DESC, created_at DESC LIMIT 1`,
    [accountId, asOf],
  );
  return rows[0]?.body;
}
