import type { Db } from './db.js';

export type TokenRole = 'viewer' | 'reviewer' | 'admin';

/** An API token as stored: its name, role and the SHA-256 of the token (never the token). */
export interface ApiTokenRow {
  id: number;
  name: string;
  role: TokenRole;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const COLUMNS = `id, name, role, created_at AS "createdAt", created_by AS "createdBy",
  revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

/**
 * Stores a new token by its hash. Undefined when a live token already has that name (a revoked
 * one does not count: its row stays for the audit trail).
 */
export async function createToken(
  db: Db,
  t: { name: string; role: TokenRole; hash: string; createdBy?: string },
): Promise<ApiTokenRow | undefined> {
  const rows = await db.query<ApiTokenRow>(
    `INSERT INTO api_tokens (name, role, hash, created_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING
     RETURNING ${COLUMNS}`,
    [t.name, t.role, t.hash, t.createdBy ?? null],
  );
  return rows[0];
}

/** The live (not revoked) tokens with their hashes, to compare a presented token against. */
export function liveTokenHashes(
  db: Db,
): Promise<{ id: number; name: string; role: TokenRole; hash: string }[]> {
  return db.query(
    'SELECT id, name, role, hash FROM api_tokens WHERE revoked_at IS NULL ORDER BY id',
  );
}

/** Every token (revoked ones too, with `includeRevoked`), by name; never the hashes. */
export function listTokens(db: Db, o: { includeRevoked?: boolean } = {}): Promise<ApiTokenRow[]> {
  return db.query<ApiTokenRow>(
    `SELECT ${COLUMNS} FROM api_tokens ${o.includeRevoked ? '' : 'WHERE revoked_at IS NULL'}
     ORDER BY name, id`,
  );
}

/** Revokes the live token of that name; undefined when there is none. */
export async function revokeToken(db: Db, name: string): Promise<ApiTokenRow | undefined> {
  const rows = await db.query<ApiTokenRow>(
    `UPDATE api_tokens SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL
     RETURNING ${COLUMNS}`,
    [name],
  );
  return rows[0];
}

/** Notes that a token was used (at most once a minute, so a busy client writes little). */
export async function touchToken(db: Db, id: number): Promise<void> {
  await db.query(
    `UPDATE api_tokens SET last_used_at = now()
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}
