import { describe, expect, it } from 'vitest';
import { loadDefaultRules } from '../../src/engine/index.js';
import { rankActions, targetsWords } from '../../src/review/actions.js';
import { atChosenBaseline } from '../../src/review/chosen-baseline.js';
import { pendingIn } from '../../src/review/decisions.js';
import { RuleIndex } from '../../src/review/conditions.js';
import { criterion, metric, reviewRules, snapshot } from './helpers.js';

const rules = reviewRules();
const index = new RuleIndex(rules);

/** No SLA policy, stale knowledge, one plan, nothing published; SLA attainment never measured. */
const evidence = () => [
  metric('tickets.count', 500, 500),
  metric('sla.policies.count', 0, 0),
  metric('sla.ola.count', 1, 1),
  metric('automations.count', 10, 10),
  metric('kb.articles.count', 40, 40),
  metric('kb.freshness', 0.55, 40),
  metric('plans.count', 1, 1),
  metric('plans.documented.count', 0, 1),
  metric('kb.plans_article.count', 0, 40),
];

describe('ranked actions', () => {
  it('makes one action of a condition that blocks several layers and models, ranked first', () => {
    const actions = rankActions(snapshot(rules, evidence()), index).filter(
      (a) => a.kind === 'improve',
    );
    expect(actions.map((a) => a.text)).toEqual([
      'Raise customer SLA policies to at least 1 (now 0)',
      'Raise knowledge freshness to at least 60% (now 55%)',
      'Do one of: raise plans published to customers to at least 1 (now 0); or raise articles about plans or SLAs to at least 1 (now 0)',
      'Raise support plans to at least 2 (now 1)',
    ]);
    const [sla, kb, any, plans] = actions;
    // Offerings 1→2, Strategy 1→3 (only unknowns above), Agreements 0→1; Service proposition
    // also needs its proposition published.
    expect(sla!.unlocks).toBe(4);
    expect(targetsWords(sla!)).toBe(
      'Offerings L2, Strategy L2, Agreements, Service proposition (with 1 more)',
    );
    expect(sla!.criteria.map((c) => c.id)).toEqual([
      'sla-policy-defined',
      'service-targets-committed',
      'customer-slas-defined',
      'performance-targets-set',
    ]);
    expect(kb!.unlocks).toBe(1);
    expect(targetsWords(kb!)).toBe('Processes L3');
    expect(any!.unlocks).toBe(0);
    expect(targetsWords(any!)).toBe('Service proposition (with 1 more)');
    // Level 3 of Offerings is out of reach while level 2 is blocked: nothing to unlock yet.
    expect(plans!.unlocks).toBe(0);
    expect(plans!.targets).toEqual([]);
  });

  it('never shows a metric id or a raw decimal in an action', () => {
    for (const a of rankActions(snapshot(rules, evidence()), index)) {
      expect(a.text).not.toMatch(/[a-z]+\.[a-z_]+/);
      expect(a.text).not.toMatch(/0\.\d/);
    }
  });

  it('lists what only a reviewer can decide as a separate kind, per layer', () => {
    const reviews = rankActions(snapshot(rules, evidence()), index).filter(
      (a) => a.kind === 'review',
    );
    expect(reviews.map((a) => a.text)).toEqual(['Review 3 criteria of Strategy']);
  });

  it('ranks a review that alone proves levels by the levels it proves', () => {
    const m = evidence().map((x) => (x.id === 'sla.policies.count' ? metric(x.id, 2, 2) : x));
    const [review] = rankActions(snapshot(rules, m), index).filter((a) => a.kind === 'review');
    expect(review!.text).toBe('Review 3 criteria of Strategy');
    expect(review!.unlocks).toBe(2);
    expect(targetsWords(review!)).toBe('Strategy L2');
  });

  it('asks for data where a metric is missing, saying why in words', () => {
    const data = rankActions(snapshot(rules, evidence()), index).filter((a) => a.kind === 'data');
    expect(data.map((a) => [a.text, a.detail])).toEqual([
      ['Get enough data on SLA attainment', 'no data'],
    ]);
    const thin = [...evidence(), metric('sla.attainment', 0.95, 12)];
    const [few] = rankActions(snapshot(rules, thin), index).filter((a) => a.kind === 'data');
    expect([few!.text, few!.detail]).toEqual([
      'Get enough data on SLA attainment',
      'rests on 12 observations; 30 needed',
    ]);
  });

  it('asks to settle the undetermined members of a count, not for more data', () => {
    const guessed = evidence().map((x) =>
      x.id === 'plans.count' ? { ...metric(x.id, 1, 3), undetermined: 2 } : x,
    );
    const data = rankActions(snapshot(rules, guessed), index).filter((a) => a.kind === 'data');
    expect(data.map((a) => [a.text, a.detail])).toContainEqual([
      'Settle the undetermined support plans',
      '1 counted, 2 undetermined (up to 3)',
    ]);
    // It is no longer something to raise: up to 3 may already be there.
    expect(
      rankActions(snapshot(rules, guessed), index).some((a) => /Raise support plans/.test(a.text)),
    ).toBe(false);
  });

  it('leaves exempt criteria out of the actions, so what remains can unlock the layer', () => {
    const body = snapshot(rules, evidence());
    const c = criterion(body, 'proposition', 'proposition-published');
    Object.assign(c, {
      exempt: {
        decision: 1,
        by: 'Dana',
        at: '2026-06-01T00:00:00Z',
        reason: 'no plans sold',
        scope: 'criterion',
      },
    });
    const actions = rankActions(body, index);
    expect(actions.some((a) => a.text.startsWith('Do one of'))).toBe(false);
    expect(actions.flatMap((a) => a.criteria.map((x) => x.id))).not.toContain(
      'proposition-published',
    );
    expect(actions[0]!.unlocks).toBe(5);
    expect(targetsWords(actions[0]!)).toBe(
      'Offerings L2, Strategy L2, Agreements, Service proposition',
    );
  });

  it('never proposes taking on a support partner, nor queues its rungs, until there is one', () => {
    const shipped = loadDefaultRules();
    const partnerEvidence = (share: number) => [
      ...evidence(),
      metric('tickets.partner_share', share, 400),
      metric('groups.partner.count', share > 0 ? 1 : 0, 6),
      ...(share > 0 ? [metric('partner.segment_ownership', 0.5, 100)] : []),
    ];
    const at = (share: number) =>
      rankActions(snapshot(shipped, partnerEvidence(share)), new RuleIndex(shipped));
    const engagement = (as: ReturnType<typeof at>) =>
      as.filter((a) => a.criteria.some((c) => c.model === 'engagement'));
    expect(engagement(at(0))).toEqual([]);
    // Nor does the review queue ask about the rungs above a partner the organisation lacks.
    const pending = (share: number) =>
      pendingIn(snapshot(shipped, partnerEvidence(share)), shipped).filter(
        (p) => p.model === 'engagement',
      );
    expect(pending(0)).toEqual([]);
    expect(pending(0.05).map((p) => p.criterionId)).toContain('partner-infrastructure-used');
    // A reviewer who says otherwise (a level decided, or "we do have a partner") puts it back.
    const none = snapshot(shipped, partnerEvidence(0));
    const ladder = none.layers.find((l) => l.model === 'engagement')!;
    expect(atChosenBaseline(ladder, shipped)).toBe(true);
    const note = { decision: 9, by: 'Dana', at: '2026-06-01T00:00:00Z', reason: 'contract' };
    const overridden = { ...ladder, override: { ...note, level: 2, levelName: 'x', stale: false } };
    expect(atChosenBaseline(overridden, shipped)).toBe(false);
    const disputed = {
      ...ladder,
      criteria: ladder.criteria.map((c) =>
        c.level === 1 ? { ...c, disputed: { ...note, inPlace: true } } : c,
      ),
    };
    expect(atChosenBaseline(disputed, shipped)).toBe(false);
    expect(engagement(at(0.05)).map((a) => a.text)).toContain(
      'Do one of: raise requests handled by partners to at least 20% (now 5%); or raise largest segment share run by partners to at least 90% (now 50%)',
    );
  });
});
