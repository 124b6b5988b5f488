import { describe, expect, it } from 'vitest';
import { RuleIndex } from '../../src/review/conditions.js';
import { historyRows, metricSeries } from '../../src/review/history.js';
import { chartWords } from '../../src/review/html/chart.js';
import { metric, reviewRules, snapshot } from './helpers.js';

const rules = reviewRules();
const index = new RuleIndex(rules);

const evidence = (freshness?: number) => [
  metric('tickets.count', 500, 500),
  metric('sla.policies.count', 1, 1),
  metric('automations.count', 10, 10),
  metric('kb.articles.count', 40, 40),
  ...(freshness === undefined ? [] : [metric('kb.freshness', freshness, 40)]),
];
const at = (day: string) => `${day}T23:59:59.999Z`;

describe('history', () => {
  it('lists the snapshots newest first, marks a change of rules and the levels read again under the current rules', () => {
    const first = {
      ...snapshot(rules, evidence(0.4), { asOf: at('2026-04-30') }),
      rulesHash: 'old',
    };
    const second = snapshot(rules, evidence(0.7), { asOf: at('2026-05-31') });
    // Stored under older rules that held Processes at 2; the current rules read 3 from its metrics.
    const storedOld = {
      ...second,
      rulesVersion: '0.9.0',
      rulesHash: 'older',
      layers: second.layers.map((l) => (l.layer === 'processes' ? { ...l, level: 2 } : l)),
    };
    const rows = historyRows(
      [
        { id: 1, stored: first },
        { id: 2, stored: storedOld, current: second },
      ],
      index,
    );
    expect(rows.map((r) => [r.id, r.asOfWords, r.rulesChanged])).toEqual([
      [2, '31 May 2026', true],
      [1, '30 Apr 2026', false],
    ]);
    expect(rows[0]!.rules).toBe('rules 0.9.0 (older)');
    expect(rows[0]!.rejudgedWords).toBe('Under the current rules: Processes 3 (stored 2)');
    expect(rows[0]!.diff).toEqual(['Rules changed: 1.0.0 → 0.9.0']);
    expect(rows[1]!.diff).toEqual(['First snapshot.']);
  });

  it('gives a metric over the snapshots with gaps where it was missing, its thresholds and markers', () => {
    const bodies = [
      snapshot(rules, evidence(0.4), { asOf: at('2026-04-30') }),
      snapshot(rules, evidence(), { asOf: at('2026-05-31') }),
      { ...snapshot(rules, evidence(0.7), { asOf: at('2026-06-30') }), rulesHash: 'new' },
    ];
    const s = metricSeries('kb.freshness', bodies, index, [
      {
        at: '2026-06-10T09:00:00Z',
        kind: 'dispute',
        actor: 'Eve',
        model: 'alpha',
        criterionId: 'kb-fresh',
      },
      {
        at: '2026-06-11T09:00:00Z',
        kind: 'attest',
        actor: 'Dana',
        model: 'alpha',
        criterionId: 'yearly-goals',
      },
      {
        at: '2026-06-12T09:00:00Z',
        kind: 'override',
        actor: 'Sam',
        model: 'alpha',
        layer: 'processes',
      },
    ]);
    expect(s.label).toBe('Knowledge freshness');
    expect(s.points.map((p) => p.value)).toEqual([0.4, undefined, 0.7]);
    expect(s.thresholds).toEqual([{ value: 0.6, words: '60% (Processes L3)' }]);
    expect(s.markers).toEqual([
      { asOf: '2026-06-10T09:00:00Z', kind: 'decision', text: 'dispute by Eve' },
      { asOf: '2026-06-12T09:00:00Z', kind: 'decision', text: 'override by Sam (processes)' },
      { asOf: at('2026-06-30'), kind: 'rules', text: 'rules 1.0.0' },
    ]);
  });

  it('keeps the undetermined members of a count with each value, in words too', () => {
    const plans = (n: number, undetermined?: number) =>
      snapshot(rules, [
        ...evidence(0.7).filter((m) => m.id !== 'kb.articles.count'),
        {
          ...metric('kb.articles.count', n, n + (undetermined ?? 0)),
          ...(undetermined ? { undetermined } : {}),
        },
      ]);
    const one = metricSeries(
      'kb.articles.count',
      [{ ...plans(1, 2), asOf: at('2026-06-30') }],
      index,
    );
    expect(one.points[0]).toMatchObject({ value: 1, undetermined: 2 });
    expect(chartWords(one)).toMatch(
      /^Published knowledge articles on the only snapshot: 1 \(\+2 undetermined\) on 30 Jun 2026/,
    );
    const two = metricSeries(
      'kb.articles.count',
      [
        { ...plans(1, 2), asOf: at('2026-05-31') },
        { ...plans(3), asOf: at('2026-06-30') },
      ],
      index,
    );
    expect(chartWords(two)).toMatch(
      /^Published knowledge articles over 2 snapshots: 1 \(\+2 undetermined\) on 31 May 2026 to 3 on 30 Jun 2026/,
    );
  });
});
