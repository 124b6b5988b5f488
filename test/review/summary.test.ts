import { describe, expect, it } from 'vitest';
import type { Metric, SnapshotBody } from '../../src/domain/evidence.js';
import { RuleIndex } from '../../src/review/conditions.js';
import { diffSnapshots } from '../../src/review/diff.js';
import { summarise } from '../../src/review/summary.js';
import { criterion, metric, reviewRules, snapshot } from './helpers.js';

const rules = reviewRules();
const index = new RuleIndex(rules);

const evidence = (o: { freshness?: number; policies?: number } = {}): Metric[] => [
  metric('tickets.count', 500, 500),
  metric('sla.policies.count', o.policies ?? 2, o.policies ?? 2),
  metric('sla.ola.count', 1, 1),
  metric('automations.count', 10, 10),
  metric('kb.articles.count', 40, 40),
  metric('kb.freshness', o.freshness ?? 0.55, 40),
  metric('plans.count', 1, 1),
  metric('plans.documented.count', 0, 1),
  metric('kb.plans_article.count', 0, 40),
];

/** Strategy's yearly goals attested by Dana: the layer proves level 2. */
function attestGoals(body: SnapshotBody): SnapshotBody {
  const c = criterion(body, 'strategy', 'yearly-goals');
  Object.assign(c, {
    status: 'met',
    attested: true,
    attestation: {
      decision: 7,
      by: 'Dana',
      at: '2026-06-20T10:00:00Z',
      reason: 'goals doc',
      inPlace: true,
    },
  });
  delete c.reason;
  delete c.wouldDecide;
  const strategy = body.layers.find((l) => l.layer === 'strategy')!;
  Object.assign(strategy, { level: 2, levelName: 'Structured', awaiting: { data: 0, review: 2 } });
  return body;
}

describe('summary', () => {
  it('says per model where most layers stand and what only undecided criteria hold back', () => {
    const s = summarise({ body: snapshot(rules, evidence()), rules });
    expect(s.models.map((m) => m.sentence)).toEqual([
      'Basic in 2 of 3 layers, Structured in Processes; Offerings held back only by 1 criterion awaiting data; Strategy held back only by 3 unreviewed criteria.',
      'Present in 1 of 2 layers, Absent in Service proposition.',
    ]);
  });

  it('shows each layer as a ladder of proven and possible levels with the level names', () => {
    const s = summarise({ body: snapshot(rules, evidence()), rules });
    const strategy = s.models[0]!.ladders.find((l) => l.layer === 'strategy')!;
    expect(strategy.steps).toEqual([
      { level: 1, name: 'Basic', state: 'proven' },
      { level: 2, name: 'Structured', state: 'possible' },
      { level: 3, name: 'Managed', state: 'possible' },
    ]);
    expect(strategy.words).toBe(
      'Basic (1 of 3); could be Managed (3): 3 criteria await a reviewer',
    );
    const agreements = s.models[1]!.ladders.find((l) => l.layer === 'agreements')!;
    expect(agreements.words).toBe('Present');
  });

  it('states the as-of date, the window in words and the rules version', () => {
    const s = summarise({ body: snapshot(rules, evidence()), rules });
    expect(s.asOfWords).toBe('30 Jun 2026');
    expect(s.windowWords).toBe('last 90 days');
    expect(s.rules.words).toBe(`rules 1.0.0 (${rules.hash.slice(0, 8)})`);
    expect(s.rules.readWith).toBeUndefined();
    const old = { ...snapshot(rules, evidence()), rulesVersion: '0.9.0', rulesHash: 'f00dfeed99' };
    expect(summarise({ body: old, rules }).rules.readWith?.words).toBe(
      `read with the current rules 1.0.0 (${rules.hash.slice(0, 8)})`,
    );
  });

  it('gives the change since the previous snapshot', () => {
    const before = snapshot(rules, evidence({ freshness: 0.58 }), { asOf: '2026-05-31T23:59:59Z' });
    const after = attestGoals(snapshot(rules, evidence({ freshness: 0.76 })));
    const s = summarise({ body: after, rules, previous: before });
    expect(s.change?.sinceWords).toBe('Since 31 May 2026');
    expect(s.change?.lines).toEqual([
      'Processes 2→3: knowledge freshness 58%→76% crossed 60%',
      'Strategy 1→2: attested by Dana',
    ]);
    expect(s.models[0]!.ladders.find((l) => l.layer === 'processes')!.change).toEqual({
      from: 2,
      to: 3,
    });
  });
});

describe('decisions in the summary', () => {
  it('shows a decided level beside the suggested one, flagged when stale', () => {
    const body = snapshot(rules, evidence());
    const offerings = body.layers.find((l) => l.layer === 'offerings')!;
    offerings.override = {
      decision: 9,
      by: 'Dana',
      at: '2026-06-01T00:00:00Z',
      reason: 'premium plan sold off-tool',
      level: 3,
      levelName: 'Managed',
      suggestedThen: 1,
      stale: true,
    };
    const s = summarise({ body, rules });
    const ladder = s.models[0]!.ladders.find((l) => l.layer === 'offerings')!;
    expect(ladder.override?.words).toBe(
      'Decided: Managed (3) by Dana (premium plan sold off-tool); suggested by the evidence: Basic (1) — ⚠ stale: the evidence changed since the decision',
    );
    expect(s.models[0]!.sentence).toContain('Offerings decided at 3 (stale)');
  });

  it('says a whole model does not apply, with who decided and why', () => {
    const body = snapshot(rules, evidence());
    const note = { decision: 5, by: 'Dana', at: '2026-06-01T00:00:00Z', reason: 'no partner' };
    for (const l of body.layers.filter((x) => x.model === 'beta')) l.exempt = note;
    body.exempt = [{ ...note, scope: 'model', model: 'beta', modelName: 'Beta elements' }];
    const s = summarise({ body, rules });
    expect(s.models[1]!.sentence).toBe('Not applicable (decided by Dana): no partner.');
    expect(s.models[1]!.ladders.every((l) => l.exempt)).toBe(true);
    expect(s.actions.flatMap((a) => a.criteria).some((c) => c.model === 'beta')).toBe(false);
  });
});

describe('diff in words', () => {
  it('says a level fell when a value dropped below its threshold', () => {
    const before = snapshot(rules, evidence({ freshness: 0.76 }));
    const after = snapshot(rules, evidence({ freshness: 0.41 }));
    expect(diffSnapshots(before, after, index).lines).toEqual([
      'Processes 3→2: knowledge freshness 76%→41% fell below 60%',
    ]);
  });

  it('marks a change of rules, and says so when no level moved', () => {
    const before = { ...snapshot(rules, evidence()), rulesVersion: '0.9.0', rulesHash: 'abc' };
    const after = snapshot(rules, evidence());
    expect(diffSnapshots(before, after, index).lines).toEqual(['Rules changed: 0.9.0 → 1.0.0']);
    expect(diffSnapshots(after, after, index).lines).toEqual(['No level changed.']);
  });

  it('says when a level fell because a metric went missing', () => {
    const before = snapshot(rules, evidence({ freshness: 0.76 }));
    const after = snapshot(
      rules,
      evidence().filter((m) => m.id !== 'kb.freshness'),
    );
    expect(diffSnapshots(before, after, index).lines).toEqual([
      'Processes 3→2: knowledge freshness no longer known (no data on knowledge freshness)',
    ]);
  });
});
