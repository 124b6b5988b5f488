/**
 * Review decisions: what people decided on the evidence. They form one append-only trail per
 * account (the `decisions` table): nothing is changed or deleted, a revoke is a decision of its
 * own. The engine applies them when it judges a snapshot (src/engine/active-decisions.ts); the
 * inputs and their checks are in src/review/decisions.ts.
 *
 * - `attest`: a criterion is in place (or not) where the data cannot show it. It counts from
 *   `since` (the date it became true; by default when it was recorded) until `expiresAt`.
 * - `dispute`: the reviewer contradicts the data. The status stays the data's, and the criterion
 *   shows as disputed with who says otherwise and why.
 * - `exempt`: a criterion, or a whole model, does not apply to this organisation until `expiresAt`.
 * - `override`: a layer's level as a reviewer decided it, shown beside the suggested one; made
 *   against the layer's evidence `fingerprint`, it shows stale once the evidence changes.
 * - `revoke`: takes back the decision `revokes`.
 */
export const decisionKinds = ['attest', 'dispute', 'exempt', 'override', 'revoke'] as const;
export type DecisionKind = (typeof decisionKinds)[number];

export interface Decision {
  id: number;
  kind: DecisionKind;
  /** Who decided: a person's name (the CLI's --by, or $USER) or the API token's name. */
  actor: string;
  /** The name of the API token the decision came through; absent from the CLI. */
  token?: string;
  /** When it was recorded (ISO date-time). */
  at: string;
  /** The model it is about (absent only on a revoke of nothing model-bound). */
  model?: string;
  /** The layer: of an override, and of the criterion of the other kinds where known. */
  layer?: string;
  /** The criterion (attest, dispute, exempt of a criterion); absent for a whole model or layer. */
  criterionId?: string;
  /** attest, dispute: the reviewer says the criterion is in place (true) or not (false). */
  inPlace?: boolean;
  /** override: the level decided. */
  level?: number;
  /** Why: required for every kind. */
  reason: string;
  /** A link to the evidence behind the decision (http or https). */
  evidenceUrl?: string;
  /** attest: when the statement became true (ISO date-time). */
  since?: string;
  /** When the decision lapses (ISO date-time). */
  expiresAt?: string;
  /** revoke: the id of the decision taken back. */
  revokes?: number;
  /** override: the evidence fingerprint of the layer it was made against. */
  fingerprint?: string;
  /** override: the level the evidence suggested when it was made. */
  suggestedLevel?: number;
  /** Moved from the old attestations table: its id there. */
  attestationId?: number;
}

/** A decision as listed: with its account and where it stands. */
export interface ListedDecision extends Decision {
  account: string;
  /** active: counts now; expired: its time is over; revoked: taken back; revoke: a revoke row. */
  state: 'active' | 'expired' | 'revoked' | 'revoke';
  /** The revoke that took it back. */
  revokedBy?: { id: number; actor: string; at: string; reason: string };
}
