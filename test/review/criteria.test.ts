import { describe, expect, it } from 'vitest';
import { RuleIndex } from '../../src/review/conditions.js';
import { criterionView, wordsForIds } from '../../src/review/criteria.js';
import { criterion, metric, reviewRules, snapshot } from './helpers.js';

const rules = reviewRules();
const index = new RuleIndex(rules);

function view(attainment: number, interval: [number, number], sampleSize = 1203) {
  const body = snapshot(rules, [
    metric('tickets.count', 1500, 1500),
    metric('sla.policies.count', 1, 1),
    metric('sla.attainment', attainment, sampleSize, { interval }),
  ]);
  const layer = body.layers.find((l) => l.layer === 'offerings')!;
  const c = criterion(body, 'offerings', 'sla-targets-met');
  return criterionView(layer, c, index, new Map(body.metrics.map((m) => [m.id, m])), {
    asOf: body.asOf,
  });
}

describe('criterion detail', () => {
  it('shows the statement, the rule’s why and the evidence with sample and interval', () => {
    const v = view(0.948, [0.934, 0.96]);
    expect(v).toMatchObject({
      statement: 'Are at least 90% of SLA targets met?',
      why: 'Nine in ten targets met is the usual bar for a promise that holds.',
      status: 'met',
      symbol: '✓',
      statusWords: 'met',
      borderline: false,
      anchor: 'c-alpha-offerings-sla-targets-met',
    });
    expect(v.conditions).toEqual([
      {
        words: 'SLA attainment at least 90%',
        status: 'met',
        valueWords: '94.8%',
        evidence: '94.8% of 1,203 SLA targets, last 90 days',
        interval: '95% interval 93.4%–96%',
        borderline: false,
        metricId: 'sla.attainment',
        metricAnchor: 'm-sla-attainment',
      },
    ]);
  });

  it('marks a criterion borderline when the interval crosses the threshold', () => {
    const v = view(0.91, [0.86, 0.95], 80);
    expect(v.status).toBe('met');
    expect(v.borderline).toBe(true);
    expect(v.conditions[0]!.borderline).toBe(true);
    expect(view(0.88, [0.85, 0.9], 400).borderline).toBe(false);
  });

  it('says why it is unknown in words', () => {
    const v = view(0.95, [0.8, 0.99], 12);
    expect(v.status).toBe('unknown');
    expect(v.conditions[0]!.reason).toBe('SLA attainment rests on 12 observations; 30 needed');
  });

  it('turns metric ids in engine text into labels', () => {
    expect(wordsForIds('data for sla.attainment (sync the records it is computed from)')).toBe(
      'data for SLA attainment (sync the records it is computed from)',
    );
  });
});
