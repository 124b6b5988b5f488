import type { Decision } from '../domain/decisions.js';
import { MaturityError } from '../errors.js';
import type { Db } from './db.js';

/** A decision to append: the trail gives it its id (and its time, unless one is given). */
export type NewDecision = Omit<Decision, 'id' | 'at'> & { at?: string };

interface DecisionRow {
  id: number;
  account: string;
  kind: Decision['kind'];
  actor: string;
  token_name: string | null;
  made_at: Date | string;
  model: string | null;
  layer: string | null;
  criterion_id: string | null;
  value: boolean | null;
  level: number | null;
  reason: string;
  evidence_url: string | null;
  since: Date | string | null;
  expires_at: Date | string | null;
  revokes: number | null;
  fingerprint: string | null;
  suggested_level: number | null;
  attestation_id: number | null;
}

/** The columns of the decisions table (beside account_id) this module reads and writes. */
export const DECISION_COLUMNS = [
  'id',
  'kind',
  'actor',
  'token_name',
  'made_at',
  'model',
  'layer',
  'criterion_id',
  'value',
  'level',
  'reason',
  'evidence_url',
  'since',
  'expires_at',
  'revokes',
  'fingerprint',
  'suggested_level',
  'attestation_id',
] as const satisfies readonly Exclude<keyof DecisionRow, 'account'>[];

const COLUMNS = ['a.name AS account', ...DECISION_COLUMNS.map((c) => `d.${c}`)].join(', ');

const iso = (t: Date | string) => new Date(t).toISOString();

function fromRow(r: DecisionRow): Decision & { account: string } {
  return {
    id: r.id,
    account: r.account,
    kind: r.kind,
    actor: r.actor,
    ...(r.token_name !== null ? { token: r.token_name } : {}),
    at: iso(r.made_at),
    ...(r.model !== null ? { model: r.model } : {}),
    ...(r.layer !== null ? { layer: r.layer } : {}),
    ...(r.criterion_id !== null ? { criterionId: r.criterion_id } : {}),
    ...(r.value !== null ? { inPlace: r.value } : {}),
    ...(r.level !== null ? { level: r.level } : {}),
    reason: r.reason,
    ...(r.evidence_url !== null ? { evidenceUrl: r.evidence_url } : {}),
    ...(r.since !== null ? { since: iso(r.since) } : {}),
    ...(r.expires_at !== null ? { expiresAt: iso(r.expires_at) } : {}),
    ...(r.revokes !== null ? { revokes: r.revokes } : {}),
    ...(r.fingerprint !== null ? { fingerprint: r.fingerprint } : {}),
    ...(r.suggested_level !== null ? { suggestedLevel: r.suggested_level } : {}),
    ...(r.attestation_id !== null ? { attestationId: r.attestation_id } : {}),
  };
}

/**
 * Appends a decision to the account's trail (append-only: rows are never changed). A decision
 * can be revoked once; a second revoke of it is refused (E_INPUT).
 */
export async function addDecision(
  db: Db,
  accountId: number,
  d: NewDecision,
): Promise<Decision & { account: string }> {
  try {
    const rows = await db.query<DecisionRow>(
      `WITH d AS (
         INSERT INTO decisions (account_id, kind, actor, token_name, made_at, model, layer,
           criterion_id, value, level, reason, evidence_url, since, expires_at, revokes,
           fingerprint, suggested_level)
         VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now()), $6, $7, $8, $9, $10, $11, $12,
           $13::timestamptz, $14::timestamptz, $15, $16, $17)
         RETURNING *)
       SELECT ${COLUMNS} FROM d JOIN accounts a ON a.id = d.account_id`,
      [
        accountId,
        d.kind,
        d.actor,
        d.token ?? null,
        d.at ?? null,
        d.model ?? null,
        d.layer ?? null,
        d.criterionId ?? null,
        d.inPlace ?? null,
        d.level ?? null,
        d.reason,
        d.evidenceUrl ?? null,
        d.since ?? null,
        d.expiresAt ?? null,
        d.revokes ?? null,
        d.fingerprint ?? null,
        d.suggestedLevel ?? null,
      ],
    );
    return fromRow(rows[0]!);
  } catch (err) {
    if ((err as { code?: string }).code === '23505' && d.revokes !== undefined)
      throw new MaturityError('E_INPUT', `decision #${d.revokes} is already revoked`);
    throw err;
  }
}

/** The trail in the order it was written: one account's, or every account's. */
export async function listDecisions(
  db: Db,
  accountId?: number,
): Promise<(Decision & { account: string })[]> {
  const rows = await db.query<DecisionRow>(
    `SELECT ${COLUMNS} FROM decisions d JOIN accounts a ON a.id = d.account_id
     ${accountId === undefined ? '' : 'WHERE d.account_id = $1'} ORDER BY d.id`,
    accountId === undefined ? [] : [accountId],
  );
  return rows.map(fromRow);
}
