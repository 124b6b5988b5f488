import type { Attestation, CriterionResult, LayerSuggestion, Metric } from '../domain/evidence.js';
import { evaluateCriterion } from './evaluate-criterion.js';
import type { Model, RuleSet } from './rules-schema.js';

/**
 * Per layer, the highest level whose criteria — and every lower level's — are met or attested.
 * Unknown criteria hold a level back exactly like unmet ones, but are reported apart, with what
 * would decide them.
 */
export function suggestLevels(
  rules: RuleSet,
  metrics: Metric[],
  attestations: Attestation[],
  asOf: Date,
): LayerSuggestion[] {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  return rules.models.flatMap((model) => suggestModel(model, byId, attestations, asOf));
}

function suggestModel(
  model: Model,
  metrics: Map<string, Metric>,
  attestations: Attestation[],
  asOf: Date,
): LayerSuggestion[] {
  const mine = new Map(
    attestations.filter((a) => a.model === model.id).map((a) => [a.criterionId, a]),
  );
  const input = { metrics, attestations: mine, asOf };
  return model.layerRules.map((layer) => {
    const criteria: CriterionResult[] = layer.levels.flatMap((lvl) =>
      lvl.criteria.map((c) => evaluateCriterion(c, lvl.level, input)),
    );
    let level = 0;
    for (const lvl of layer.levels) {
      const all = criteria.filter((c) => c.level === lvl.level);
      if (lvl.level !== level + 1 || !all.every((c) => c.status === 'met')) break;
      level = lvl.level;
    }
    const next = criteria.filter((c) => c.level === level + 1);
    return {
      model: model.id,
      modelName: model.name,
      layer: layer.layer,
      layerName: layer.name,
      level,
      levelName: level === 0 ? model.baseline : model.levels[level - 1]!.name,
      ...(model.levels[level] ? { nextLevelName: model.levels[level]!.name } : {}),
      criteria,
      blockers: next.filter((c) => c.status === 'unmet'),
      unknowns: next.filter((c) => c.status === 'unknown'),
    };
  });
}
