import type { Decision } from '../domain/decisions.js';
import type { CriterionResult, LayerSuggestion, Metric } from '../domain/evidence.js';
import { activeDecisions, noteOf, type ActiveDecisions } from './active-decisions.js';
import { evaluateCriterion } from './evaluate-criterion.js';
import { evidenceFingerprint } from './fingerprint.js';
import type { Layer, Model, RuleSet } from './rules-schema.js';

/**
 * Per layer, the proven level — the highest level whose criteria, and every lower level's, are
 * met or attested — and the possible level: the highest one no unmet criterion stands in the way
 * of, were every unknown criterion to turn out met. Unknown criteria hold the proven level back
 * exactly like unmet ones, but are reported apart, with what would decide them.
 *
 * `decisions` is the account's review trail, judged as it stands at `at` (activeDecisions). An
 * exempt criterion (not applicable) stands in the way of no level and leaves the blockers and
 * unknowns; a model's exemption marks its layers and criteria but changes no level.
 */
export function suggestLevels(
  rules: RuleSet,
  metrics: Metric[],
  decisions: readonly Decision[] | ActiveDecisions,
  at: Date,
  absent: Record<string, string> = {},
): LayerSuggestion[] {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  const why = new Map(Object.entries(absent));
  const active = 'statements' in decisions ? decisions : activeDecisions(rules, decisions, at);
  return rules.models.flatMap((model) => suggestModel(model, byId, active, why));
}

function suggestModel(
  model: Model,
  metrics: Map<string, Metric>,
  active: ActiveDecisions,
  absent: ReadonlyMap<string, string>,
): LayerSuggestion[] {
  const modelExempt = active.exemptModels.get(model.id);
  return model.layerRules.map((layer) => {
    const criteria: CriterionResult[] = layer.levels.flatMap((lvl) =>
      lvl.criteria.map((c) => {
        const key = `${model.id}/${c.id}`;
        const r = evaluateCriterion(c, lvl.level, {
          metrics,
          absent,
          ...(active.statements.has(key) ? { statement: active.statements.get(key)! } : {}),
          ...(active.lapsed.has(key) ? { lapsed: true } : {}),
        });
        const ex = modelExempt ?? active.exemptCriteria.get(key);
        if (!ex) return r;
        return { ...r, exempt: { ...noteOf(ex), scope: modelExempt ? 'model' : 'criterion' } };
      }),
    );
    // Not applicable: an exempt criterion holds no level back (a model's exemption changes none).
    const waived = (c: CriterionResult) => c.exempt?.scope === 'criterion';
    const level = highest(layer, criteria, (c) => c.status === 'met' || waived(c));
    const possibleLevel = highest(layer, criteria, (c) => c.status !== 'unmet' || waived(c));
    const open = criteria.filter((c) => !c.exempt);
    const next = open.filter((c) => c.level === level + 1);
    const pending = open.filter(
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
      fingerprint: evidenceFingerprint(model.id, layer.layer, criteria),
      ...(modelExempt ? { exempt: noteOf(modelExempt) } : {}),
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
export function levelName(model: Model, level: number, possible: number): string {
  if (level > 0) return model.levels[level - 1]!.name;
  return possible > 0 ? (model.undecided ?? model.baseline) : model.baseline;
}

function isData(layer: Layer, id: string): boolean {
  for (const lvl of layer.levels) for (const c of lvl.criteria) if (c.id === id) return !!c.when;
  return false;
}
