import { describe, expect, it } from 'vitest';
import {
  buildPlans,
  csmFieldKey,
  findPlanSource,
  planOf,
} from '../../connectors/zendesk/streams/plans.js';
import type { ZendeskOrganization } from '../../connectors/zendesk/schemas.js';
import { plansGuessed, toOrganisation } from '../../connectors/zendesk/streams/organisations.js';
import { toSlaPolicy } from '../../connectors/zendesk/streams/sla-policies.js';
import type { SlaPolicy } from '../../src/domain/records.js';

const org = (id: number, extra: Partial<ZendeskOrganization> = {}): ZendeskOrganization => ({
  id: String(id),
  name: `Org ${id}`,
  tags: [],
  organization_fields: {},
  ...extra,
});
const policy = (id: string, field: string, value: unknown, urgent = 60): SlaPolicy =>
  toSlaPolicy({
    id,
    title: `SLA ${id}`,
    filter: { all: [{ field, operator: 'is', value }], any: [] },
    policy_metrics: [
      { priority: 'urgent', metric: 'first_reply_time', target: urgent, business_hours: false },
    ],
  });

describe('where plans live', () => {
  it('takes the organisation field an SLA policy filters on, with the dropdown labels', () => {
    const fields = [
      {
        id: '1',
        key: 'support_plan',
        title: 'Support plan',
        custom_field_options: [{ name: 'Gold (24x7)', value: 'gold' }],
      },
    ];
    const source = findPlanSource(fields, [
      policy('1', 'organization.custom_fields.support_plan', 'gold'),
    ]);
    expect(source).toMatchObject({ kind: 'field', key: 'support_plan' });
    expect(planOf(org(1, { organization_fields: { support_plan: 'gold' } }), source)).toBe('gold');
    expect(buildPlans({ gold: 4 }, source, [])[0]).toMatchObject({
      name: 'Gold (24x7)',
      customerCount: 4,
    });
  });

  it('takes the tags SLA policies filter on', () => {
    const source = findPlanSource([], [policy('1', 'current_tags', 'vip_customer key_account')]);
    expect(source).toEqual({
      kind: 'tags',
      tags: ['vip_customer', 'key_account'],
      why: expect.any(String),
    });
    expect(planOf(org(1, { tags: ['emea', 'key_account'] }), source)).toBe('key_account');
  });

  it('honours --plan-field and --plan-tags over any heuristic', () => {
    const policies = [policy('1', 'organization.custom_fields.support_plan', 'gold')];
    expect(findPlanSource([], policies, { planField: 'contract_level' })).toMatchObject({
      kind: 'field',
      key: 'contract_level',
    });
    expect(findPlanSource([], policies, { planTags: ['Bronze', 'Silver'] })).toMatchObject({
      kind: 'tags',
      tags: ['bronze', 'silver'],
    });
  });

  it('falls back to a field named like a plan, then to the usual plan names in tags', () => {
    expect(findPlanSource([{ id: '1', key: 'tier', title: 'Customer tier' }], [])).toMatchObject({
      kind: 'field',
      key: 'tier',
    });
    const source = findPlanSource([{ id: '2', key: 'region', title: 'Region' }], []);
    expect(source).toMatchObject({ kind: 'tags', tags: 'vocabulary' });
    expect(planOf(org(1, { tags: ['emea', 'premium_support', 'basic'] }), source)).toBe(
      'premium_support',
    );
    expect(planOf(org(2, { tags: ['emea'] }), source)).toBeUndefined();
  });
});

describe('plan records', () => {
  it('ranks tiers by the usual names, then by the tighter urgent SLA', () => {
    const tags = { kind: 'tags' as const, tags: 'vocabulary' as const, why: '' };
    const plans = buildPlans({ enterprise: 1, standard: 6, premium: 3 }, tags, []);
    expect(plans.map((p) => [p.name, p.tier])).toEqual([
      ['Standard', 1],
      ['Premium', 2],
      ['Enterprise', 3],
    ]);
    const field = { kind: 'field' as const, key: 'plan', labels: {}, why: '' };
    const policies = [
      policy('a', 'organization.custom_fields.plan', 'alpha', 15),
      policy('b', 'organization.custom_fields.plan', 'beta', 120),
    ];
    const custom = buildPlans({ alpha: 1, beta: 1 }, field, policies);
    expect(custom.map((p) => [p.name, p.tier, p.slaPolicyId])).toEqual([
      ['Beta', 1, 'b'],
      ['Alpha', 2, 'a'],
    ]);
  });

  it('marks a named customer-success manager only where the account has such a field', () => {
    const fields = [{ id: '1', key: 'csm', title: 'CSM' }];
    const source = { kind: 'tags' as const, tags: 'vocabulary' as const, why: '' };
    expect(csmFieldKey(fields)).toBe('csm');
    expect(
      toOrganisation(org(1, { organization_fields: { csm: 123 } }), source, 'csm').hasCsm,
    ).toBe(true);
    expect(
      toOrganisation(org(2, { organization_fields: { csm: null } }), source, 'csm').hasCsm,
    ).toBe(false);
    expect(toOrganisation(org(3), source, undefined)).not.toHaveProperty('hasCsm');
  });
});

describe('where the plans came from', () => {
  const vocabulary = {
    kind: 'tags' as const,
    tags: 'vocabulary' as const,
    why: '',
    guessed: true as const,
  };
  it('says so when plans were only guessed from tag names, and how to correct it', () => {
    const plans = buildPlans({ premium: 3, standard: 6 }, vocabulary, []);
    expect(plansGuessed(vocabulary, plans)).toBe(
      '2 support plans (Standard, Premium) read from organisation tags with usual plan names, not from SLA policies: undetermined until named; name the plan field or tags with maturity connect zendesk --update --plan-field or --plan-tags (the same ones to count them, others if they are not support plans)',
    );
    const named = findPlanSource([{ id: '1', key: 'tier', title: 'Customer tier' }], []);
    expect(plansGuessed(named, buildPlans({ gold: 1 }, named, []))).toMatch(
      /^1 support plan \(Gold\) read from the organisation field "tier", named like a plan/,
    );
  });

  it('marks the plans found only by a name, unless an SLA policy names them', () => {
    const plans = buildPlans({ premium: 3, standard: 6 }, vocabulary, []);
    expect(plans.map((p) => [p.name, p.guessed])).toEqual([
      ['Standard', true],
      ['Premium', true],
    ]);
    const named = findPlanSource([{ id: '1', key: 'tier', title: 'Customer tier' }], []);
    const linked = [policy('2', 'ticket.custom_fields.tier', 'gold')];
    const some = buildPlans({ gold: 2, silver: 1 }, named, linked);
    expect(some.map((p) => [p.name, p.slaPolicyId, p.guessed])).toEqual([
      ['Silver', undefined, true],
      ['Gold', '2', undefined],
    ]);
    // A policy on one of Zendesk's own ticket properties says nothing about a guessed plan.
    const level = findPlanSource([{ id: '3', key: 'support_level', title: 'Support level' }], []);
    const byPriority = [policy('3', 'priority', 'high')];
    expect(buildPlans({ high: 2, normal: 5 }, level, byPriority).map((p) => p.guessed)).toEqual([
      true,
      true,
    ]);
    const tiers = findPlanSource([{ id: '4', key: 'support_tier', title: 'Support tier' }], []);
    const locale = [policy('4', 'locale_id', 1)];
    expect(buildPlans({ '1': 2, '2': 1 }, tiers, locale).every((p) => p.guessed)).toBe(true);
    // A custom ticket field (as Zendesk writes it) or a tag holding the value does confirm it.
    for (const field of ['custom_fields_360001234', 'organization.tags', 'current_tags'])
      expect(
        buildPlans({ '1': 2 }, tiers, [policy('5', field, '1')])[0]!.guessed,
        field,
      ).toBeUndefined();
    // Plans that SLA policies or the configuration point to are never guessed.
    const policies = [policy('1', 'organization.custom_fields.support_plan', 'gold')];
    const keyed = findPlanSource([], policies);
    expect(buildPlans({ gold: 2, bronze: 1 }, keyed, policies).some((p) => p.guessed)).toBe(false);
    const configured = findPlanSource([], [], { planTags: ['premium', 'basic'] });
    expect(buildPlans({ premium: 2, basic: 1 }, configured, []).some((p) => p.guessed)).toBe(false);
  });

  it('is silent where SLA policies or the configuration name the plans, or none were found', () => {
    const policies = [policy('1', 'organization.custom_fields.support_plan', 'gold')];
    const keyed = findPlanSource([], policies);
    expect(plansGuessed(keyed, buildPlans({ gold: 2 }, keyed, policies))).toBeUndefined();
    const configured = findPlanSource([], [], { planTags: ['premium'] });
    expect(plansGuessed(configured, buildPlans({ premium: 2 }, configured, []))).toBeUndefined();
    expect(plansGuessed(vocabulary, [])).toBeUndefined();
    // Found by a name, but every plan has the SLA policy that names its value.
    const named = findPlanSource([{ id: '1', key: 'tier', title: 'Customer tier' }], []);
    const linked = [policy('2', 'ticket.custom_fields.tier', 'gold')];
    expect(plansGuessed(named, buildPlans({ gold: 2 }, named, linked))).toBeUndefined();
  });
});
