import { createHash } from 'node:crypto';
import type { CriterionResult, CriterionStatus } from '../domain/evidence.js';

/**
 * The evidence behind a layer's suggestion, as one short value: a SHA-256 over the layer's
 * criterion ids with the status the data alone gives each (an attested criterion counts as the
 * unknown it was before the reviewer decided it; disputes and exemptions change no status).
 *
 * It changes when a criterion flips between met, unmet and unknown, or when the rules add,
 * remove or rename criteria — what can change the suggestion. It does not change when a value
 * drifts without crossing its threshold (SLA attainment 93.1% one night, 93.4% the next), so an
 * override survives ordinary nightly snapshots and shows stale only once its evidence changed.
 */
export function evidenceFingerprint(
  model: string,
  layer: string,
  criteria: readonly Pick<CriterionResult, 'id' | 'status' | 'attested'>[],
): string {
  const statuses = criteria
    .map((c) => `${c.id}=${dataStatus(c)}`)
    .sort()
    .join('\n');
  const hash = createHash('sha256').update(`${model}/${layer}\n${statuses}`).digest('hex');
  return `v1:${hash.slice(0, 16)}`;
}

/** What the data alone says of a criterion (an attestation decides only what data left unknown). */
export const dataStatus = (c: Pick<CriterionResult, 'status' | 'attested'>): CriterionStatus =>
  c.attested ? 'unknown' : c.status;
