import type { Db } from './db.js';

/** Where each (account, stream) sync got to, and the records it could not validate. */

/** The cursor saved with the last committed page of a stream (undefined: never synced). */
export async function readCursor(db: Db, accountId: number, stream: string): Promise<unknown> {
  const [row] = await db.query<{ cursor: unknown }>(
    'SELECT cursor FROM sync_state WHERE account_id = $1 AND stream = $2',
    [accountId, stream],
  );
  return row?.cursor ?? undefined;
}

/**
 * Saves a stream's cursor. A full pass starts with its first saved page and keeps that start until
 * it completes, across crashes; incremental streams carry no pass start. Returns the pass start
 * (PostgreSQL text, which round-trips exactly), undefined for incremental streams.
 */
export async function saveCursor(
  db: Db,
  accountId: number,
  stream: string,
  cursor: unknown,
  fullRefresh: boolean,
): Promise<string | undefined> {
  const [state] = await db.query<{ started: string | null }>(
    `INSERT INTO sync_state (account_id, stream, cursor, updated_at, run_started_at)
     VALUES ($1, $2, $3::jsonb, now(), CASE WHEN $4::boolean THEN now() END)
     ON CONFLICT (account_id, stream) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now(),
       run_started_at = CASE WHEN $4::boolean THEN COALESCE(sync_state.run_started_at, now()) END
     RETURNING run_started_at::text AS started`,
    [accountId, stream, JSON.stringify(cursor ?? null), fullRefresh],
  );
  return state?.started ?? undefined;
}

/**
 * Ends the full pass of a stream that started at `passStart`. True when this run still owned it
 * (no other run started a pass since): only then may it sweep.
 */
export async function endPass(
  db: Db,
  accountId: number,
  stream: string,
  passStart: string,
): Promise<boolean> {
  const owned = await db.query(
    `UPDATE sync_state SET run_started_at = NULL
      WHERE account_id = $1 AND stream = $2 AND run_started_at = $3::timestamptz
      RETURNING 1`,
    [accountId, stream, passStart],
  );
  return owned.length > 0;
}

/** When each stream of an account last saved a page. */
export async function streamsSynced(
  db: Db,
  accountId: number,
): Promise<{ stream: string; updatedAt: Date }[]> {
  const rows = await db.query<{ stream: string; updated_at: Date | string }>(
    'SELECT stream, updated_at FROM sync_state WHERE account_id = $1 ORDER BY stream',
    [accountId],
  );
  return rows.map((r) => ({ stream: r.stream, updatedAt: new Date(r.updated_at) }));
}

export interface QuarantinedItem {
  sourceId?: string;
  error: string;
  payload?: unknown;
}

/** Keeps a record a stream could not validate (its error cut to 2,000 characters). */
export async function quarantine(
  db: Db,
  accountId: number,
  stream: string,
  q: QuarantinedItem,
): Promise<void> {
  await db.query(
    'INSERT INTO quarantine (account_id, stream, source_id, error, payload) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [
      accountId,
      stream,
      q.sourceId ?? null,
      q.error.slice(0, 2000),
      JSON.stringify(q.payload ?? null),
    ],
  );
}

export async function countQuarantined(db: Db, accountId: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM quarantine WHERE account_id = $1',
    [accountId],
  );
  return row?.n ?? 0;
}
