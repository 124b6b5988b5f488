import type { Attestation } from '../domain/evidence.js';
import type { Db } from './db.js';

interface AttestationRow {
  model: string;
  criterion_id: string;
  value: boolean;
  by_whom: string;
  reason: string | null;
  at: Date | string;
  expires_at: Date | string | null;
}

/** Appends a reviewer's statement (the trail is append-only). */
export async function addAttestation(db: Db, accountId: number, a: Attestation): Promise<void> {
  await db.query(
    `INSERT INTO attestations (account_id, model, criterion_id, value, by_whom, reason, at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz)`,
    [accountId, a.model, a.criterionId, a.value, a.by, a.reason ?? null, a.at, a.expiresAt ?? null],
  );
}

/** The latest attestation per criterion (a later statement replaces an earlier one). */
export async function latestAttestations(db: Db, accountId: number): Promise<Attestation[]> {
  const rows = await db.query<AttestationRow>(
    `SELECT DISTINCT ON (model, criterion_id) model, criterion_id, value, by_whom, reason, at, expires_at
     FROM attestations WHERE account_id = $1 ORDER BY model, criterion_id, at DESC, id DESC`,
    [accountId],
  );
  return rows.map((r) => ({
    model: r.model,
    criterionId: r.criterion_id,
    value: r.value,
    by: r.by_whom,
    ...(r.reason ? { reason: r.reason } : {}),
    at: new Date(r.at).toISOString(),
    ...(r.expires_at ? { expiresAt: new Date(r.expires_at).toISOString() } : {}),
  }));
}
