import type { Db } from './db.js';

/** A snapshot job the server runs itself, as stored (see migration 017). */
export interface ApiJobRow {
  id: string;
  account: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** What was asked: window, as-of, whether to sync first. */
  request: Record<string, unknown>;
  createdAt: string;
  finishedAt?: string;
  result?: Record<string, unknown>;
  error?: { code: string | null; message: string };
}

type Raw = Omit<ApiJobRow, 'createdAt' | 'finishedAt' | 'result' | 'error'> & {
  createdAt: Date;
  finishedAt: Date | null;
  result: Record<string, unknown> | null;
  error: { code: string | null; message: string } | null;
};

const COLUMNS = `id, account, state, request, created_at AS "createdAt",
  finished_at AS "finishedAt", result, error`;

const row = (r: Raw): ApiJobRow => ({
  id: r.id,
  account: r.account,
  state: r.state,
  request: r.request,
  createdAt: new Date(r.createdAt).toISOString(),
  ...(r.finishedAt ? { finishedAt: new Date(r.finishedAt).toISOString() } : {}),
  ...(r.result ? { result: r.result } : {}),
  ...(r.error ? { error: r.error } : {}),
});

/** Stores a job as it stands now (a new one, or its next state). */
export async function saveApiJob(db: Db, j: ApiJobRow): Promise<void> {
  await db.query(
    `INSERT INTO api_jobs (id, account, state, request, created_at, finished_at, result, error)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb)
     ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, finished_at = EXCLUDED.finished_at,
       result = EXCLUDED.result, error = EXCLUDED.error`,
    [
      j.id,
      j.account,
      j.state,
      JSON.stringify(j.request),
      j.createdAt,
      j.finishedAt ?? null,
      j.result ? JSON.stringify(j.result) : null,
      j.error ? JSON.stringify(j.error) : null,
    ],
  );
}

export async function findApiJob(db: Db, id: string): Promise<ApiJobRow | undefined> {
  const rows = await db.query<Raw>(`SELECT ${COLUMNS} FROM api_jobs WHERE id = $1`, [id]);
  return rows[0] && row(rows[0]);
}

/** Jobs not finished, oldest first: what a server that stopped left behind. */
export async function unfinishedApiJobs(db: Db): Promise<ApiJobRow[]> {
  const rows = await db.query<Raw>(
    `SELECT ${COLUMNS} FROM api_jobs WHERE finished_at IS NULL ORDER BY created_at, id`,
  );
  return rows.map(row);
}

/** How many jobs are in each state. */
export async function apiJobCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ state: string; n: number }>(
    `SELECT state, count(*)::int AS n FROM api_jobs GROUP BY state`,
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** Forgets finished jobs beyond the `keep` most recent ones. */
export async function pruneApiJobs(db: Db, keep: number): Promise<void> {
  await db.query(
    `DELETE FROM api_jobs WHERE finished_at IS NOT NULL AND id NOT IN (
       SELECT id FROM api_jobs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT $1)`,
    [keep],
  );
}
