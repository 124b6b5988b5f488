import { fileURLToPath } from 'node:url';
import type { CriterionResult, Metric, SnapshotBody } from '../../src/domain/evidence.js';
import { checkRulesDir, judge, type RuleSet } from '../../src/engine/index.js';
import { metricCatalogue } from '../../src/metrics/index.js';

/** test/fixtures/rules/review: two small models that share conditions. */
export function reviewRules(): RuleSet {
  const dir = fileURLToPath(new URL('../fixtures/rules/review/', import.meta.url));
  const { rules, problems } = checkRulesDir(dir);
  if (!rules) throw new Error(problems.map((p) => p.message).join('\n'));
  return rules;
}

/** A metric with the catalogue's unit; proportions get a plain interval unless given one. */
export function metric(
  id: string,
  value: number,
  sampleSize = 200,
  extra: Partial<Metric> = {},
): Metric {
  const unit = metricCatalogue.get(id)?.unit ?? 'count';
  return {
    id,
    value,
    unit,
    sampleSize,
    window: 'P90D',
    ...(unit === 'ratio'
      ? { interval: [Math.max(0, value - 0.03), Math.min(1, value + 0.03)] }
      : {}),
    sources: ['test'],
    ...extra,
  } as Metric;
}

/** A snapshot body judged by the engine from these metrics, with no review decisions. */
export function snapshot(
  rules: RuleSet,
  metrics: Metric[],
  o: { asOf?: string; account?: string } = {},
): SnapshotBody {
  const asOf = o.asOf ?? '2026-06-30T23:59:59.999Z';
  // Only what both the engine's earlier and later inputs accept (no decisions).
  const input = { metrics, attestations: [], asOf: new Date(asOf), partial: false };
  const { layers, advice } = judge(rules, input);
  return {
    account: o.account ?? 'acme',
    asOf,
    window: 'P90D',
    rulesVersion: rules.version,
    rulesHash: rules.hash,
    partial: false,
    metrics,
    layers,
    advice,
  };
}

/** The criterion `id` of the layer, to adjust by hand. */
export function criterion(body: SnapshotBody, layer: string, id: string): CriterionResult {
  const c = body.layers.find((l) => l.layer === layer)?.criteria.find((x) => x.id === id);
  if (!c) throw new Error(`no criterion ${layer}/${id}`);
  return c;
}
