import type {
  Advice,
  Attestation,
  LayerSuggestion,
  Metric,
  SnapshotBody,
} from '../domain/evidence.js';
import { advise } from './advise.js';
import { holdLevels } from './hold-levels.js';
import type { RuleSet } from './rules-schema.js';
import { suggestLevels } from './suggest-levels.js';

export interface JudgeInput {
  metrics: Metric[];
  attestations: Attestation[];
  asOf: Date;
  /** Why absent metrics are absent (computeEvidence), for the unknown criteria's reasons. */
  absent?: Record<string, string>;
  /** Some sources failed this run: their evidence is missing, not absent at the source. */
  partial: boolean;
  /** The account's previous snapshot, consulted only when `partial`. */
  previous?: SnapshotBody;
}

/**
 * The whole level policy in one place: levels per layer from the evidence and attestations; on a
 * partial snapshot, no level falls where only missing evidence would lower it; then the advice.
 */
export function judge(
  rules: RuleSet,
  o: JudgeInput,
): { layers: LayerSuggestion[]; advice: Advice[] } {
  let layers = suggestLevels(rules, o.metrics, o.attestations, o.asOf, o.absent);
  if (o.partial) layers = holdLevels(layers, o.previous);
  return { layers, advice: advise(rules, layers, o.metrics) };
}
