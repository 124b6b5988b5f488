import type { Attestation, CriterionResult, LayerSuggestion, Metric } from '../domain/evidence.js';
import { evaluateCriterion } from './evaluate-criterion.js';
import type { Layer, Model, RuleSet } from './rules-schema.js';

/**
 * Per layer, the proven level — the highest level whose criteria, and every lower level's, are
 * met or attested — and the possible level: the highest one no unmet criterion stands in the way
 * of, were every unknown criterion to turn out met. Unknown criteria hold the proven level back
 * exactly like unmet ones, but are reported apart, with what would decide them.
 */
export function suggestLevels(
  rules: RuleSet,
  metrics: Metric[],
  attestations: Attestation[],
  asOf: Date,
  absent: Record<string, string> = {},
): LayerSuggestion[] {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  const why = new Map(Object.entries(absent));
  return rules.models.flatMap((model) => suggestModel(model, byId, attestations, asOf, why));
}

function suggestModel(
  model: Model,
  metrics: Map<string, Metric>,
  attestations: Attestation[],
  asOf: Date,
  absent: ReadonlyMap<string, string>,
): LayerSuggestion[] {
  const mine = new Map(
    attestations.filter((a) => a.model === model.id).map((a) => [a.criterionId, a]),
  );
  const input = { metrics, attestations: mine, asOf, absent };
  return model.layerRules.map((layer) => {
    const criteria: CriterionResult[] = layer.levels.flatMap((lvl) =>
      lvl.criteria.map((c) => evaluateCriterion(c, lvl.level, input)),
    );
    const level = highest(layer, criteria, (c) => c.status === 'met');
    const possibleLevel = highest(layer, criteria, (c) => c.status !== 'unmet');
    const next = criteria.filter((c) => c.level === level + 1);
    const pending = criteria.filter(
      (c) => c.status === 'unknown' && c.level > level && c.level <= possibleLevel,
    );
    const review = pending.filter((c) => c.confirmOnly || !isData(layer, c.id)).length;
    return {
      model: model.id,
      modelName: model.name,
      layer: layer.layer,
      layerName: layer.name,
      level,
      levelName: levelName(model, level, possibleLevel),
      possibleLevel,
      possibleLevelName: levelName(model, possibleLevel, possibleLevel),
      awaiting: { data: pending.length - review, review },
      ...(model.levels[level] ? { nextLevelName: model.levels[level]!.name } : {}),
      criteria,
      blockers: next.filter((c) => c.status === 'unmet'),
      unknowns: next.filter((c) => c.status === 'unknown'),
    };
  });
}

/** The highest level whose criteria, and every lower level's, all pass `ok`. */
function highest(
  layer: Layer,
  criteria: CriterionResult[],
  ok: (c: CriterionResult) => boolean,
): number {
  let level = 0;
  for (const lvl of layer.levels) {
    const all = criteria.filter((c) => c.level === lvl.level);
    if (lvl.level !== level + 1 || !all.every(ok)) break;
    level = lvl.level;
  }
  return level;
}

/** Level 0 reads as the baseline only when the data rules level 1 out; else it is undecided. */
function levelName(model: Model, level: number, possible: number): string {
  if (level > 0) return model.levels[level - 1]!.name;
  return possible > 0 ? (model.undecided ?? model.baseline) : model.baseline;
}

function isData(layer: Layer, id: string): boolean {
  for (const lvl of layer.levels) for (const c of lvl.criteria) if (c.id === id) return !!c.when;
  return false;
}
