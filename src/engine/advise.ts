import type { Advice, LayerSuggestion, Metric } from '../domain/evidence.js';
import { evaluateCriterion } from './evaluate-criterion.js';
import type { RuleSet } from './rules-schema.js';

/**
 * The advice of each model whose layer is still at or below its level and whose condition the
 * evidence meets (an unknown condition raises nothing). `{metric.id}` in the text becomes the
 * metric's value. A rule's severity holds when the layer cannot reach a higher level; while
 * unknown criteria could still lift it, the advice is raised as plain advice.
 */
export function advise(rules: RuleSet, layers: LayerSuggestion[], metrics: Metric[]): Advice[] {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  const out: Advice[] = [];
  for (const model of rules.models) {
    for (const a of model.advice) {
      const layer = layers.find((l) => l.model === model.id && l.layer === a.layer);
      if (!layer || layer.level > a.whenLevelAtMost) continue;
      const r = evaluateCriterion({ id: a.id, statement: a.text, when: a.when }, layer.level, {
        metrics: byId,
      });
      if (r.status !== 'met') continue;
      const text = a.text.replace(/\{([a-z0-9_.]+)\}/g, (all, id: string) => {
        const m = byId.get(id);
        return m ? m.value.toLocaleString('en-US') : all;
      });
      out.push({
        id: a.id,
        model: model.id,
        layer: a.layer,
        // Urgent only when the data rules the higher level out; while it may still be shown, the
        // advice asks to confirm rather than alarms.
        severity: layer.possibleLevel > a.whenLevelAtMost ? 'advice' : a.severity,
        text,
        values: r.values ?? {},
      });
    }
  }
  return out;
}
