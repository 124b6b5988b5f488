import type { LayerSuggestion } from '../domain/evidence.js';
import type { RuleSet } from '../engine/rules-schema.js';

/**
 * A layer standing at a baseline its model calls a choice (no support partner), with the first
 * level ruled out by the data and nobody saying otherwise: nothing to propose and nothing to
 * review above it, since no criterion there can lift the layer while level 1 is not in place. A
 * reviewer's override of the layer, or a dispute of a first-level criterion ("we do have a
 * partner"), puts the layer back in play.
 */
export function atChosenBaseline(
  layer: Pick<LayerSuggestion, 'model' | 'level' | 'criteria' | 'override'>,
  rules: Pick<RuleSet, 'models'>,
): boolean {
  if (!rules.models.find((m) => m.id === layer.model)?.baselineIsChoice) return false;
  if (layer.level !== 0 || (layer.override && layer.override.level > 0)) return false;
  const first = layer.criteria.filter((c) => c.level === 1);
  return first.some((c) => c.status === 'unmet') && !first.some((c) => c.disputed);
}
