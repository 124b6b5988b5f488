import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../src/domain/decisions.js';
import type { Metric } from '../src/domain/evidence.js';
import {
  checkRulesDir,
  defaultRulesDir,
  formatProblem,
  loadDefaultRules,
  suggestLevels,
  validity,
} from '../src/engine/index.js';
import { evaluateCriterion } from '../src/engine/evaluate-criterion.js';
import type { Criterion } from '../src/engine/rules-schema.js';
import { wilson } from '../src/metrics/helpers.js';
import { proactiveChannels, proactiveTags } from '../src/metrics/patterns.js';
import { metricCatalogue } from '../src/metrics/index.js';

const AS_OF = new Date('2026-06-30T00:00:00Z');
const metric = (id: string, value: number, sampleSize = 100): Metric => ({
  id,
  value,
  unit: metricCatalogue.get(id)?.unit ?? 'count',
  sampleSize,
  window: 'P90D',
  sources: ['test'],
});
/** One criterion judged on metrics, with the reviewer's statements about it valid at AS_OF. */
const evalOne = (c: Criterion, ms: Metric[], said: Decision[] = []) => {
  const valid = said.filter((d) => {
    const w = validity(d, c);
    return w.from <= AS_OF.getTime() && AS_OF.getTime() < w.to;
  });
  return evaluateCriterion(c, 2, {
    metrics: new Map(ms.map((m) => [m.id, m])),
    ...(valid.length ? { statement: valid.at(-1)! } : { lapsed: said.length > 0 }),
  });
};

const attainment: Criterion = {
  id: 'sla-targets-met',
  statement: 'SLA targets are met at least 90% of the time',
  when: { metric: 'sla.attainment', op: '>=', value: 0.9 },
};

describe('criteria', () => {
  it('is met when the evidence passes the threshold, and lists the value', () => {
    const r = evalOne(attainment, [metric('sla.attainment', 0.93)]);
    expect(r).toMatchObject({ status: 'met', values: { 'sla.attainment': 0.93 } });
  });

  it('is unmet with the gap spelt out', () => {
    const r = evalOne(attainment, [metric('sla.attainment', 0.81)]);
    expect(r.status).toBe('unmet');
    expect(r.gap).toBe('sla.attainment 0.81, needs >= 0.90');
  });

  it('is unknown, not unmet, when the metric is absent', () => {
    const r = evalOne(attainment, []);
    expect(r.status).toBe('unknown');
    expect(r.reason).toMatch(/no data for sla.attainment/);
    expect(r.wouldDecide).toBeTruthy();
  });

  it('is unknown when fewer than 30 observations back a proportion', () => {
    const r = evalOne(attainment, [metric('sla.attainment', 0.5, 12)]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toBe('sla.attainment rests on 12 observations; 30 needed');
  });

  it('counts a valid attestation as met, and ignores an expired one', () => {
    const c: Criterion = {
      id: 'strategic-plan',
      statement: 'A written support strategy exists',
      attest: true,
      attestationValidDays: 365,
    };
    const fresh: Decision = {
      id: 1,
      kind: 'attest',
      model: 'ftworks',
      criterionId: 'strategic-plan',
      inPlace: true,
      actor: 'vp',
      reason: 'board minutes',
      at: '2026-01-01T00:00:00Z',
    };
    expect(evalOne(c, [], [fresh])).toMatchObject({ status: 'met', attested: true });
    const old = { ...fresh, at: '2024-01-01T00:00:00Z' };
    const r = evalOne(c, [], [old]);
    expect(r.status).toBe('unknown');
    expect(r.reason).toMatch(/expired/);
  });

  it("keeps the data's status against a contradicting statement, and marks it disputed", () => {
    const no: Decision = {
      id: 2,
      kind: 'attest',
      model: 'ftworks',
      criterionId: 'sla-targets-met',
      inPlace: false,
      actor: 'vp',
      reason: 'the SLA clock is paused too often',
      at: '2026-01-01T00:00:00Z',
    };
    const met = evalOne(attainment, [metric('sla.attainment', 0.95)], [no]);
    expect(met).toMatchObject({ status: 'met', disputed: { by: 'vp', inPlace: false } });
    expect(met.attested).toBeUndefined();
    // Where the data cannot decide, the statement does.
    expect(evalOne(attainment, [], [no])).toMatchObject({ status: 'unmet', attested: true });
    // "In place" on unmet data: unmet stays, disputed.
    const yes = { ...no, inPlace: true };
    expect(evalOne(attainment, [metric('sla.attainment', 0.8)], [yes])).toMatchObject({
      status: 'unmet',
      disputed: { inPlace: true },
    });
    // Agreeing with the data is no dispute.
    expect(evalOne(attainment, [metric('sla.attainment', 0.95)], [yes]).disputed).toBeUndefined();
  });

  it('leaves a count unknown while unreadable members could still reach the threshold', () => {
    const tiers: Criterion = {
      id: 'support-tiers-defined',
      statement: 'Two tier levels',
      when: { metric: 'groups.tier_levels.count', op: '>=', value: 2 },
    };
    const count = (value: number, undetermined?: number): Metric => ({
      ...metric('groups.tier_levels.count', value, 10),
      ...(undetermined ? { undetermined } : {}),
    });
    expect(evalOne(tiers, [count(0, 4)])).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(/is 0, but 4 more are undetermined/),
    });
    expect(evalOne(tiers, [count(2, 4)]).status).toBe('met');
    expect(evalOne(tiers, [count(0, 1)]).status).toBe('unmet');
    expect(evalOne(tiers, [count(1)]).status).toBe('unmet');
  });

  it('leaves a ratio unknown while its undetermined members could still carry it over the threshold', () => {
    const proactive: Criterion = {
      id: 'proactive-tickets-opened',
      statement: '5% of tickets opened proactively',
      when: { metric: 'tickets.proactive_share', op: '>=', value: 0.05 },
    };
    // 400 tickets: `hits` proactive, `undetermined` more opened through the API.
    const share = (hits: number, undetermined?: number): Metric => ({
      ...metric('tickets.proactive_share', hits / 400, 400),
      ...(undetermined ? { undetermined } : {}),
    });
    // 2%, and 40 of 400 (10 points) may count: up to 12%.
    expect(evalOne(proactive, [share(8, 40)])).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(
        /is 0\.02, but 40 more of its 400 are undetermined .*up to 0\.12/,
      ),
    });
    expect(evalOne(proactive, [share(20, 40)]).status).toBe('met');
    // The point value named as such is the same value.
    const atValue: Criterion = {
      ...proactive,
      when: { metric: 'tickets.proactive_share', op: '>=', value: 0.05, bound: 'value' },
    };
    expect(evalOne(atValue, [share(8, 40)]).status).toBe('unknown');
    // A bound of the interval too: its lower bound is about 1% on the hits alone, 9% with the 40.
    const withBound = (bound: 'lower' | 'upper'): Criterion => ({
      ...proactive,
      when: { metric: 'tickets.proactive_share', op: '>=', value: 0.05, bound },
    });
    const interval = (hits: number, undetermined?: number): Metric => ({
      ...share(hits, undetermined),
      interval: wilson(hits, 400),
    });
    expect(evalOne(withBound('lower'), [interval(8, 40)]).status).toBe('unknown');
    expect(evalOne(withBound('lower'), [interval(8)]).status).toBe('unmet');
    expect(evalOne(withBound('upper'), [interval(2, 10)]).status).toBe('unknown');
    expect(evalOne(withBound('upper'), [interval(2)]).status).toBe('unmet');
    // An undetermined member never lowers a bound that is met (the value is rounded: the hits
    // read back from it may be fewer than there are).
    const large: Metric = {
      ...metric('tickets.proactive_share', Math.round((16_678 / 33_333) * 1e4) / 1e4, 33_333),
      interval: wilson(16_678, 33_333),
    };
    const half: Criterion = {
      ...proactive,
      when: { metric: 'tickets.proactive_share', op: '>=', value: 0.495, bound: 'lower' },
    };
    expect(evalOne(half, [large]).status).toBe('met');
    expect(evalOne(half, [{ ...large, undetermined: 1 }]).status).toBe('met');
    // 2%, up to 4.5% with the 10 undetermined: short either way.
    expect(evalOne(proactive, [share(8, 10)]).status).toBe('unmet');
    expect(evalOne(proactive, [share(8)]).status).toBe('unmet');
  });

  it('lets confirm-only data prove a criterion but never rule it out', () => {
    const c: Criterion = {
      id: 'partner-runs-scheduling',
      statement: 'The partner schedules its people',
      when: { metric: 'partner.segment_ownership', op: '>=', value: 0.9 },
      confirmOnly: true,
    };
    expect(evalOne(c, [metric('partner.segment_ownership', 0.95)]).status).toBe('met');
    expect(evalOne(c, [metric('partner.segment_ownership', 0.4)])).toMatchObject({
      status: 'unknown',
      wouldDecide: 'an attestation by a reviewer',
    });
  });

  it('combines conditions with any: met when one is met, unknown when none is met and one is unknown', () => {
    const c: Criterion = {
      id: 'ai-assists',
      statement: 'Bots or AI resolve part of the work',
      when: {
        any: [
          { metric: 'tickets.bot_resolved_share', op: '>=', value: 0.05 },
          { metric: 'automations.bots.count', op: '>=', value: 1 },
        ],
      },
    };
    expect(evalOne(c, [metric('automations.bots.count', 2)]).status).toBe('met');
    expect(evalOne(c, [metric('automations.bots.count', 0)]).status).toBe('unknown');
    expect(
      evalOne(c, [metric('automations.bots.count', 0), metric('tickets.bot_resolved_share', 0.01)])
        .status,
    ).toBe('unmet');
  });
});

describe('the shipped rules', () => {
  it('pass the check', () => {
    const { rules, problems } = checkRulesDir(defaultRulesDir);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(rules?.models.map((m) => m.id)).toEqual(['ftworks', 'support-model', 'engagement']);
  });

  it('give every level of every FT Works layer at least one criterion', () => {
    const rules = loadDefaultRules();
    const ft = rules.models.find((m) => m.id === 'ftworks')!;
    expect(ft.layerRules.map((l) => l.layer)).toEqual([
      'offerings',
      'processes',
      'people',
      'tools',
      'metrics',
      'strategy',
    ]);
    for (const layer of ft.layerRules) {
      expect(layer.levels.map((l) => l.level)).toEqual([1, 2, 3, 4, 5]);
      for (const l of layer.levels) expect(l.criteria.length).toBeGreaterThan(0);
    }
  });

  it('read a help centre synced with no article as no knowledge base (unmet), not unknown', () => {
    const rules = loadDefaultRules();
    const processes = (ms: Metric[]) =>
      suggestLevels(rules, ms, [], AS_OF)
        .find((l) => l.layer === 'processes')!
        .criteria.find((c) => c.id === 'kb-articles-refreshed-12m')!;
    expect(processes([metric('kb.articles.count', 0, 0)])).toMatchObject({
      status: 'unmet',
      gap: 'kb.articles.count 0, needs >= 1',
    });
    // Never synced: unknown, with what would decide it.
    expect(processes([]).status).toBe('unknown');
  });

  it('name in the proactive criterion every channel that marks a ticket proactive', () => {
    // The text a reader acts on lists what src/metrics/patterns.ts matches: kept in step.
    const criterion = loadDefaultRules()
      .models.flatMap((m) => m.layerRules)
      .flatMap((l) => l.levels.flatMap((v) => v.criteria))
      .find((c) => c.id === 'proactive-tickets-opened')!;
    for (const name of [...proactiveChannels, ...proactiveTags.filter((t) => !/^health/.test(t))])
      expect(criterion.wouldDecide, name).toContain(name);
    // health_check, health-check and healthcheck are spellings of one tag: the first is named.
    expect(criterion.wouldDecide).toContain('health_check');
  });

  it('take a problem-link field nobody fills in for no cross-functional metric', () => {
    const rules = loadDefaultRules();
    const impact = (ms: Metric[]) =>
      suggestLevels(rules, ms, [], AS_OF)
        .find((l) => l.model === 'ftworks' && l.layer === 'metrics')!
        .criteria.find((c) => c.id === 'product-impact-measurable')!;
    // The field is delivered on 200 tickets and none is linked: unmet, not met.
    expect(impact([metric('tickets.problem_linked_share', 0, 200)]).status).toBe('unmet');
    expect(impact([metric('tickets.problem_linked_share', 0.005, 200)]).status).toBe('met');
    expect(impact([metric('tickets.problem_linked_share', 0.5, 10)]).status).toBe('unknown');
  });

  it('give each layer a possible level: the highest no unmet criterion rules out', () => {
    const rules = loadDefaultRules();
    const offerings = (ms: Metric[]) =>
      suggestLevels(rules, ms, [], AS_OF).find((l) => l.layer === 'offerings')!;
    // Tickets only: Bootstrap proven, everything above undecided.
    expect(offerings([metric('tickets.count', 50)])).toMatchObject({
      level: 1,
      levelName: 'Bootstrap',
      possibleLevel: 5,
      possibleLevelName: 'Visionary',
    });
    // One plan only: Managed is ruled out, so Structured is the most it could be.
    const one = offerings([metric('tickets.count', 50), metric('plans.count', 1)]);
    expect([one.level, one.possibleLevel]).toEqual([1, 2]);
    expect(one.awaiting).toEqual({ data: 3, review: 0 });
    // The engagement ladder reads "not shown" while partner data is unknown, "no partner" once
    // the data rules it out.
    const engagement = (ms: Metric[]) =>
      suggestLevels(rules, ms, [], AS_OF).find((l) => l.model === 'engagement')!.levelName;
    expect(engagement([])).toBe('Not shown by the data');
    expect(
      engagement([metric('groups.partner.count', 0), metric('tickets.partner_share', 0, 100)]),
    ).toBe('No support partner');
  });

  it('never lower a level when evidence is added (generated evidence sets)', () => {
    const rules = loadDefaultRules();
    const ids = [...metricCatalogue.values()];
    const arbMetric = fc.constantFrom(...ids).chain((info) =>
      fc.record({
        id: fc.constant(info.id),
        value:
          info.unit === 'ratio'
            ? fc.double({ min: 0, max: 1, noNaN: true })
            : fc.integer({ min: 0, max: 2000 }),
        sampleSize: fc.integer({ min: 0, max: 500 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(arbMetric, { selector: (m) => m.id, maxLength: ids.length }),
        fc.array(fc.boolean(), { minLength: ids.length, maxLength: ids.length }),
        (all, keep) => {
          const full = all.map((m) => metric(m.id, m.value, m.sampleSize));
          const subset = full.filter((_, i) => keep[i]);
          const before = suggestLevels(rules, subset, [], AS_OF);
          const after = suggestLevels(rules, full, [], AS_OF);
          before.forEach((l, i) => expect(after[i]!.level).toBeGreaterThanOrEqual(l.level));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('maturity rules check on broken files', () => {
  /** test/fixtures/rules/<defect>: the `valid` rules dir with that one defect. */
  const check = (fixture: string) =>
    checkRulesDir(
      fileURLToPath(new URL(`./fixtures/rules/${fixture}/`, import.meta.url)),
    ).problems.map(formatProblem);

  it('finds nothing wrong in the fixture the broken ones start from', () => {
    expect(check('valid')).toEqual([]);
  });

  it('names the file, line and column of an unknown metric, and the known ones beside it', () => {
    expect(check('invalid-unknown-metric')).toEqual([
      'invalid-unknown-metric/tiny/offerings.yaml:9:25 unknown metric "people.cout" (known people.* metrics: people.count)',
    ]);
  });

  it('names the file, line and column of levels out of order', () => {
    expect(check('invalid-levels-out-of-order')).toEqual([
      'invalid-levels-out-of-order/tiny/offerings.yaml:10:12 levels must be in increasing order (level 1 after level 2)',
    ]);
  });

  it('names the file, line and column of a YAML syntax error', () => {
    expect(check('invalid-yaml-syntax')).toEqual([
      'invalid-yaml-syntax/tiny/offerings.yaml:14:1 YAML syntax error: Tabs are not allowed as indentation',
    ]);
  });

  it.each([
    ['neither data nor attestation', 'invalid-criterion-without-data-or-attestation'],
    ['both data and attestation', 'invalid-criterion-with-data-and-attestation'],
  ])('names a criterion that has %s', (_, fixture) => {
    expect(check(fixture)).toEqual([
      `${fixture}/tiny/offerings.yaml:12:9 levels.1.criteria.0: a criterion needs either \`when\` (a data condition) or \`attest: true\`, not both`,
    ]);
  });
});
