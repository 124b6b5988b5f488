import type { Decision } from '../domain/decisions.js';
import type {
  Advice,
  ExemptEntry,
  LayerSuggestion,
  Metric,
  SnapshotBody,
} from '../domain/evidence.js';
import { activeDecisions, noteOf, type ActiveDecisions } from './active-decisions.js';
import { advise } from './advise.js';
import { holdLevels } from './hold-levels.js';
import type { RuleSet } from './rules-schema.js';
import { levelName, suggestLevels } from './suggest-levels.js';

export interface JudgeInput {
  metrics: Metric[];
  /**
   * The account's review trail (src/domain/decisions.ts): revoked decisions and the revokes
   * themselves are passed over here; the rest count while valid at `decisionsAt`.
   */
  decisions?: readonly Decision[];
  asOf: Date;
  /**
   * When the decisions are judged: a decision counts when it started (an attestation's `since`,
   * else when it was recorded) at or before this moment and has not expired by it. Default
   * `asOf`; the reviewed view of an account's latest snapshot uses now, so a decision shows at
   * once (src/review/reviewed.ts).
   */
  decisionsAt?: Date;
  /** Why absent metrics are absent (computeEvidence), for the unknown criteria's reasons. */
  absent?: Record<string, string>;
  /** Some sources failed this run: their evidence is missing, not absent at the source. */
  partial: boolean;
  /** The account's previous snapshot, consulted only when `partial`. */
  previous?: SnapshotBody;
}

export interface Judgement {
  layers: LayerSuggestion[];
  advice: Advice[];
  /** The criteria and models exempted as not applicable. */
  exempt: ExemptEntry[];
}

/**
 * The whole level policy in one place: levels per layer from the evidence and the review
 * decisions (attestations decide what data cannot, disputes are marked, exempt criteria hold no
 * level back); on a partial snapshot, no level falls where only missing evidence would lower it;
 * then the overrides, beside the suggested level and stale when the evidence changed since; then
 * the advice (none for an exempt model).
 */
export function judge(rules: RuleSet, o: JudgeInput): Judgement {
  const active = activeDecisions(rules, o.decisions ?? [], o.decisionsAt ?? o.asOf);
  let layers = suggestLevels(rules, o.metrics, active, o.asOf, o.absent);
  if (o.partial) layers = holdLevels(layers, o.previous);
  layers = applyOverrides(rules, layers, active);
  const advice = advise(
    rules,
    layers.filter((l) => !l.exempt),
    o.metrics,
  );
  return { layers, advice, exempt: exemptList(layers) };
}

/** Each overridden layer gets the decided level beside its own, stale when its evidence moved. */
function applyOverrides(
  rules: RuleSet,
  layers: LayerSuggestion[],
  active: ActiveDecisions,
): LayerSuggestion[] {
  return layers.map((l) => {
    const d = active.overrides.get(`${l.model}/${l.layer}`);
    const model = rules.models.find((m) => m.id === l.model);
    if (!d || d.level === undefined || !model) return l;
    return {
      ...l,
      override: {
        ...noteOf(d),
        level: d.level,
        levelName: levelName(model, d.level, d.level),
        ...(d.suggestedLevel !== undefined ? { suggestedThen: d.suggestedLevel } : {}),
        stale: d.fingerprint !== l.fingerprint,
      },
    };
  });
}

/** The exempt section: whole models first (once each), then criteria, in the rules' order. */
function exemptList(layers: LayerSuggestion[]): ExemptEntry[] {
  const out: ExemptEntry[] = [];
  const models = new Set<string>();
  for (const l of layers) {
    if (l.exempt && !models.has(l.model)) {
      models.add(l.model);
      out.push({ ...l.exempt, scope: 'model', model: l.model, modelName: l.modelName });
    }
  }
  for (const l of layers)
    for (const c of l.criteria) {
      if (c.exempt?.scope !== 'criterion') continue;
      const { scope: _scope, ...note } = c.exempt;
      out.push({
        ...note,
        scope: 'criterion',
        model: l.model,
        modelName: l.modelName,
        layer: l.layer,
        layerName: l.layerName,
        criterionId: c.id,
        statement: c.statement,
        level: c.level,
        status: c.status,
      });
    }
  return out;
}
