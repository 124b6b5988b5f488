import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/domain/evidence.js';
import {
  conditionAction,
  conditionWords,
  dateWords,
  intervalWords,
  metricLabel,
  metricLine,
  valueWords,
  windowWords,
} from '../../src/review/format.js';
import { metricCatalogue } from '../../src/metrics/index.js';

const metric = (m: Partial<Metric> & Pick<Metric, 'id' | 'value' | 'unit'>): Metric => ({
  sampleSize: 100,
  window: 'P90D',
  sources: [],
  ...m,
});

describe('values as people read them', () => {
  it.each([
    ['P90D', 'last 90 days'],
    ['P1D', 'last day'],
    ['P6M', 'last 6 months'],
    ['all', 'all history'],
  ])('reads the window %s as "%s"', (spec, words) => {
    expect(windowWords(spec)).toBe(words);
  });

  it.each([
    [0.948, 'ratio', undefined, '94.8%'],
    [0.6, 'ratio', undefined, '60%'],
    [0.5996, 'ratio', 0.6, '59.96%'],
    [0.0004, 'ratio', undefined, '0.04%'],
    [576, 'minutes', undefined, '9.6 h'],
    [45, 'minutes', undefined, '45 min'],
    [60, 'minutes', undefined, '1 h'],
    [4320, 'minutes', undefined, '3 days'],
    [9.6, 'hours', undefined, '9.6 h'],
    [1203, 'count', undefined, '1,203'],
    [43.7, 'count', undefined, '44'],
  ] as const)('shows %s %s as %s', (v, unit, vs, words) => {
    expect(valueWords(v, unit, vs)).toBe(words);
  });

  it('names every metric of the catalogue with a label and what its sample counts', () => {
    for (const [id, info] of metricCatalogue) {
      expect(info.label, id).toMatch(/^[A-Z]/);
      expect(info.label, id).not.toContain(id);
      expect(info.sample, id).toContain('{n}');
    }
  });

  it('writes a share with its sample and window, never its id or a raw decimal', () => {
    const line = metricLine(
      metric({
        id: 'sla.attainment',
        value: 0.948,
        unit: 'ratio',
        sampleSize: 1203,
        interval: [0.934, 0.96],
      }),
    );
    expect(line).toBe('SLA attainment: 94.8% of 1,203 SLA targets, last 90 days');
    expect(intervalWords({ unit: 'ratio', interval: [0.934, 0.96] })).toBe(
      '95% interval 93.4%–96%',
    );
  });

  it('writes a share with undetermined members as the range it may take', () => {
    const m = metric({
      id: 'tickets.proactive_share',
      value: 0.02,
      unit: 'ratio',
      sampleSize: 400,
      undetermined: 40,
    });
    expect(metricLine(m)).toBe(
      'Tickets opened proactively: 2% (up to 12%: 40 of 400 undetermined) of 400 tickets, last 90 days',
    );
    const plans = metric({ id: 'plans.count', value: 1, unit: 'count', sampleSize: 3 });
    expect(metricLine({ ...plans, undetermined: 2 }, '2026-06-30T23:59:59Z')).toMatch(
      /^Support plans: 1 \(\+2 undetermined\)/,
    );
  });

  it('dates configuration counts at the as-of date and leaves out a count that is its own sample', () => {
    const m = metric({ id: 'sla.policies.count', value: 3, unit: 'count', sampleSize: 3 });
    expect(metricLine(m, '2026-06-30T23:59:59Z')).toBe(
      'Customer SLA policies: 3, as of 30 Jun 2026',
    );
    expect(dateWords('2026-06-30T23:59:59Z')).toBe('30 Jun 2026');
  });

  it('reads an unknown id as words rather than showing it', () => {
    expect(metricLabel('tickets.made_up_rate')).toBe('Tickets made up rate');
  });

  it('turns conditions into statements and instructions in the units of the metric', () => {
    expect(conditionWords({ metric: 'kb.freshness', op: '>=', value: 0.6 })).toBe(
      'Knowledge freshness at least 60%',
    );
    expect(conditionAction({ metric: 'sla.policies.count', op: '>=', value: 1 }, 0)).toBe(
      'Raise customer SLA policies to at least 1 (now 0)',
    );
    expect(
      conditionAction(
        { metric: 'sla.first_response_target_minutes.top_priority', op: '<=', value: 60 },
        576,
      ),
    ).toBe('Bring first-reply target for the top priority in use down to at most 1 h (now 9.6 h)');
    expect(
      conditionAction(
        {
          metric: 'sla.first_response_target_minutes.top_priority',
          breakdown: 'calendar',
          op: '==',
          value: 1,
        },
        0,
      ),
    ).toBe('Make sure the top-priority first-reply target runs around the clock (now it does not)');
  });
});
