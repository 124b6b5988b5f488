import { undeterminedTop, type CriterionStatus, type Metric } from '../domain/evidence.js';
import { DEFAULT_MIN_SAMPLE, evaluateCriterion } from '../engine/evaluate-criterion.js';
import type { Condition, Criterion, Layer, Model, RuleSet } from '../engine/rules-schema.js';
import {
  conditionSubject,
  conditionValueWords,
  conditionWords,
  count,
  inSentence,
  metricLabel,
  valueWords,
} from './format.js';

/** A criterion of the rules with where it sits. */
export interface RuleCriterion {
  model: Model;
  layer: Layer;
  level: number;
  rule: Criterion;
}

/** Finds models, layers and criteria of a rule set by id (the rules a review is read against). */
export class RuleIndex {
  private readonly criteria = new Map<string, RuleCriterion>();
  constructor(readonly rules: RuleSet) {
    for (const model of rules.models)
      for (const layer of model.layerRules)
        for (const lvl of layer.levels)
          for (const rule of lvl.criteria)
            this.criteria.set(key(model.id, layer.layer, rule.id), {
              model,
              layer,
              level: lvl.level,
              rule,
            });
  }
  criterion(model: string, layer: string, id: string): RuleCriterion | undefined {
    return this.criteria.get(key(model, layer, id));
  }
  model(id: string): Model | undefined {
    return this.rules.models.find((m) => m.id === id);
  }
  layer(model: string, layer: string): Layer | undefined {
    return this.model(model)?.layerRules.find((l) => l.layer === layer);
  }
  /** The highest level a layer has criteria for. */
  topLevel(model: string, layer: string): number {
    const l = this.layer(model, layer);
    return l ? Math.max(...l.levels.map((x) => x.level)) : 0;
  }
  levelName(model: string, level: number): string | undefined {
    const m = this.model(model);
    if (!m) return undefined;
    return level > 0 ? m.levels[level - 1]?.name : m.baseline;
  }
}

const key = (model: string, layer: string, id: string) => `${model}/${layer}/${id}`;

/** How a criterion's conditions combine, and the conditions. */
export function conditionsOf(rule: Criterion): { mode: 'all' | 'any'; conditions: Condition[] } {
  const w = rule.when;
  if (!w) return { mode: 'all', conditions: [] };
  if ('all' in w) return { mode: 'all', conditions: w.all };
  if ('any' in w) return { mode: 'any', conditions: w.any };
  return { mode: 'all', conditions: [w] };
}

/** One condition judged against a snapshot's metrics, in words. */
export interface ConditionReading {
  condition: Condition;
  /** The condition itself, the same wherever it appears: what de-duplicates actions. */
  key: string;
  status: CriterionStatus;
  metric?: Metric;
  /** The value compared (a breakdown entry or an interval bound where the rule says so). */
  value?: number;
  /** "Knowledge freshness at least 60%". */
  words: string;
  /** "58%"; absent when there is no value. */
  valueWords?: string;
  /** Why it is unknown, in words ("only 12 SLA targets; 30 needed"). */
  reason?: string;
  /** The metric's 95% interval holds the threshold: more data could turn it either way. */
  borderline: boolean;
}

export const conditionKey = (c: Condition): string =>
  [
    c.metric + (c.breakdown ? `[${c.breakdown}]` : '') + (c.bound ? `@${c.bound}` : ''),
    c.op,
    c.value ?? '',
  ].join(' ');

/**
 * Judges each condition of a rule on its own, with the engine's own evaluation (so status, sample
 * minimums and undetermined counts agree with the level), and says it in words.
 */
export function readConditions(
  rule: Criterion,
  metrics: ReadonlyMap<string, Metric>,
  absent?: Readonly<Record<string, string>>,
): ConditionReading[] {
  return conditionsOf(rule).conditions.map((condition) =>
    readCondition(condition, metrics, absent),
  );
}

export function readCondition(
  condition: Condition,
  metrics: ReadonlyMap<string, Metric>,
  absent?: Readonly<Record<string, string>>,
): ConditionReading {
  // No reviewer statement: the data's own verdict on this one condition.
  const r = evaluateCriterion({ id: 'condition', statement: 'condition', when: condition }, 0, {
    metrics,
  });
  const m = metrics.get(condition.metric);
  const value = r.values ? Object.values(r.values)[0] : undefined;
  const reading: ConditionReading = {
    condition,
    key: conditionKey(condition),
    status: r.status,
    words: conditionWords(condition),
    borderline: !!m && borderline(condition, m),
    ...(m ? { metric: m } : {}),
    ...(value !== undefined ? { value, valueWords: conditionValueWords(condition, value) } : {}),
  };
  if (r.status === 'unknown') reading.reason = unknownWords(condition, m, absent);
  return reading;
}

/** The threshold lies strictly inside the metric's 95% interval. */
export function borderline(c: Condition, m: Metric): boolean {
  if (!m.interval || c.breakdown || c.value === undefined || c.op === 'present') return false;
  const [lo, hi] = m.interval;
  return lo < c.value && c.value < hi;
}

/** Why a condition is unknown, in words and without ids. */
function unknownWords(
  c: Condition,
  m: Metric | undefined,
  absent?: Readonly<Record<string, string>>,
): string {
  const label = inSentence(metricLabel(c.metric));
  if (!m) {
    const why = absent?.[c.metric];
    return `no data on ${label}${why ? `: ${why}` : ''}`;
  }
  const min =
    c.minSample ??
    (m.unit === 'ratio' || m.unit === 'minutes' || m.unit === 'hours' ? DEFAULT_MIN_SAMPLE : 0);
  if (m.sampleSize < min)
    return `${label} rests on ${count(m.sampleSize)} observations; ${min} needed`;
  if (c.breakdown && m.breakdown?.[c.breakdown] === undefined)
    return `no ${inSentence(conditionSubject(c))} in the data`;
  if (m.undetermined)
    return m.unit === 'ratio'
      ? `${label} is ${valueWords(m.value, 'ratio')}, but ${count(m.undetermined)} more of ${count(m.sampleSize)} are undetermined and may count (up to ${valueWords(undeterminedTop(m), 'ratio')})`
      : `${label} is ${count(m.value)}, but ${count(m.undetermined)} more are undetermined and may count`;
  return `${label} could not be judged`;
}
