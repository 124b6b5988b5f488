import { prng } from '../../src/demo/generate-org.js';
import { emptyAccount, type FakeAccount } from './fake.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** Freshdesk timestamps: whole seconds, Z. */
export const fdTime = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** First-response and resolution targets (seconds) per priority 1..4 of the default policy. */
const RESPOND = { 1: 86_400, 2: 28_800, 3: 14_400, 4: 3_600 } as Record<number, number>;
const RESOLVE = { 1: 259_200, 2: 172_800, 3: 86_400, 4: 14_400 } as Record<number, number>;

/**
 * A whole Freshdesk account in the documented shapes, seeded: `tickets` tickets created over the
 * `days` before `now` (some deleted, some spam, a bulk update that gives 250 tickets one
 * updated_at second), groups, agents with roles, companies with tiers, SLA policies that name
 * them, automation rules, a knowledge base and satisfaction ratings.
 */
export function generateAccount(o: {
  tickets: number;
  now: Date;
  seed?: number;
  days?: number;
}): FakeAccount {
  const rnd = prng(o.seed ?? 11);
  const now = o.now.getTime();
  const days = o.days ?? 120;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const around = (median: number) => median * Math.exp((rnd() + rnd() + rnd() - 1.5) * 1.2);
  const a = emptyAccount();
  const old = fdTime(now - 600 * DAY);

  a.roles = [
    { id: 1, name: 'Account Administrator', default: true },
    { id: 2, name: 'Administrator', default: true },
    { id: 3, name: 'Agent', default: true },
  ];
  const groupNames = ['Tier 1 Support', 'Tier 2 Escalations', 'Billing', 'Onboarding'];
  const agentIds = Array.from({ length: 12 }, (_, i) => 5000 + i);
  a.agents = agentIds.map((id, i) => ({
    id,
    type: i === 10 ? 'collaborator' : 'support_agent',
    occasional: i === 9,
    ticket_scope: 1,
    role_ids: i === 0 ? [1] : i === 10 ? [] : [3],
    contact: { name: `Agent ${i + 1}`, email: `agent${i + 1}@acme.example`, active: i !== 11 },
    created_at: old,
    updated_at: old,
  }));
  a.groups = groupNames.map((name, g) => ({
    id: 700 + g,
    name,
    agent_ids: agentIds.filter((_, i) => i % 4 === g || (g === 1 && i % 3 === 0)),
    created_at: old,
    updated_at: old,
  }));
  // An agent's own view names its groups too (the list of agents does not).
  for (const agent of a.agents)
    agent.group_ids = a.groups
      .filter((g) => (g.agent_ids as number[]).includes(agent.id as number))
      .map((g) => g.id);
  const tiers = ['Basic', 'Premium', 'Enterprise'];
  a.companies = Array.from({ length: 40 }, (_, i) => ({
    id: 9000 + i,
    name: `Customer ${i + 1}`,
    account_tier: i % 7 === 6 ? null : tiers[i % 3],
    custom_fields: { customer_success_manager: i % 3 === 2 ? 'Jane' : null },
    created_at: old,
    updated_at: old,
  }));
  const tierIds = (t: string) => a.companies.filter((c) => c.account_tier === t).map((c) => c.id);
  const target = (scale: number, hours: boolean) =>
    Object.fromEntries(
      [1, 2, 3, 4].map((p) => [
        `priority_${p}`,
        {
          respond_within: RESPOND[p]! * scale,
          resolve_within: RESOLVE[p]! * scale,
          business_hours: hours,
          escalation_enabled: false,
        },
      ]),
    );
  a.slaPolicies = [
    {
      id: 1,
      name: 'Default SLA Policy',
      active: true,
      is_default: true,
      sla_target: target(1, true),
      applicable_to: {},
      created_at: old,
      updated_at: old,
    },
    {
      id: 2,
      name: 'Premium',
      active: true,
      is_default: false,
      sla_target: target(0.5, false),
      applicable_to: { company_ids: tierIds('Premium') },
      created_at: old,
      updated_at: old,
    },
    {
      id: 3,
      name: 'Enterprise',
      active: true,
      is_default: false,
      sla_target: target(0.25, false),
      applicable_to: { company_ids: tierIds('Enterprise') },
      created_at: old,
      updated_at: old,
    },
    {
      id: 4,
      name: 'Retired',
      active: false,
      is_default: false,
      sla_target: target(2, true),
      applicable_to: {},
      created_at: old,
      updated_at: old,
    },
  ];
  // The team's rules, written over the months after the account opened and edited since.
  const made = (days: number) => ({
    created_at: fdTime(now - (600 - days) * DAY),
    updated_at: fdTime(now - (590 - days) * DAY),
  });
  a.rules = {
    1: [
      { id: 1, name: 'Route billing', active: true, ...made(5) },
      { id: 2, name: 'Tag VIPs', active: true, ...made(40) },
      { id: 3, name: 'Old routing', active: false, ...made(60) },
    ],
    4: [{ id: 1, name: 'Reopen on reply', active: true, ...made(90) }],
    3: [{ id: 1, name: 'Close resolved after 48h', active: true, ...made(120) }],
  };

  const bulk = now - 3 * DAY; // a bulk update: 250 tickets share this second
  for (let i = 0; i < o.tickets; i++) {
    const created = now - rnd() * days * DAY;
    const priority = 1 + Math.floor(rnd() * 4);
    const r = rnd();
    const status = r < 0.15 ? 2 : r < 0.22 ? 3 : r < 0.25 ? 6 : r < 0.6 ? 4 : 5;
    const replied = status !== 2 || rnd() < 0.5;
    const first = replied ? Math.min(created + around(90) * MIN, now) : undefined;
    const done = status === 4 || status === 5;
    const resolved = done ? Math.min((first ?? created) + around(20) * 60 * MIN, now) : undefined;
    const closed = status === 5 ? Math.min((resolved ?? created) + 2 * DAY, now) : undefined;
    const reopened = rnd() < 0.08 && first ? Math.min(first + 30 * MIN, now) : undefined;
    const company = rnd() < 0.85 ? pick(a.companies) : undefined;
    const scale =
      company?.account_tier === 'Enterprise' ? 0.25 : company?.account_tier === 'Premium' ? 0.5 : 1;
    let updated = Math.min(
      Math.max(created, first ?? 0, resolved ?? 0, closed ?? 0, reopened ?? 0) + 60_000,
      now,
    );
    if (i % 10 === 0 && i / 10 < 250 && created < bulk) updated = Math.max(updated, bulk);
    const fate = rnd();
    a.tickets.push({
      id: 100_000 + i,
      subject: `Ticket ${i}`,
      status,
      priority,
      source: pick([1, 1, 1, 2, 2, 3, 7, 9, 10]),
      type: 'Question',
      requester_id: 1,
      responder_id: rnd() < 0.9 ? pick(agentIds) : null,
      group_id: rnd() < 0.95 ? pick(a.groups).id : null,
      company_id: company?.id ?? null,
      tags: rnd() < 0.1 ? ['Login'] : [],
      fr_escalated: false,
      is_escalated: false,
      spam: fate > 0.99,
      deleted: fate > 0.97 && fate <= 0.99,
      fr_due_by: fdTime(created + RESPOND[priority]! * scale * 1000),
      due_by: fdTime(created + RESOLVE[priority]! * scale * 1000),
      created_at: fdTime(created),
      updated_at: fdTime(updated),
      stats: {
        agent_responded_at: first ? fdTime(first) : null,
        requester_responded_at: null,
        first_responded_at: first ? fdTime(first) : null,
        status_updated_at: fdTime(updated),
        reopened_at: reopened ? fdTime(reopened) : null,
        resolved_at: resolved ? fdTime(resolved) : null,
        closed_at: closed ? fdTime(closed) : null,
        pending_since: status === 3 ? fdTime(updated) : null,
      },
    });
  }

  a.categories = [
    { id: 1, name: 'Getting started' },
    { id: 2, name: 'Billing' },
  ];
  a.folders = {
    '1': [{ id: 11, name: 'Basics', sub_folders_count: 1 }],
    '2': [{ id: 21, name: 'Invoices', sub_folders_count: 0 }],
  };
  a.subfolders = { '11': [{ id: 12, name: 'Advanced', sub_folders_count: 0 }] };
  let article = 0;
  for (const folder of ['11', '12', '21'])
    a.articles[folder] = Array.from({ length: 45 }, () => {
      const created = now - rnd() * 900 * DAY;
      const modified = Math.min(created + rnd() * 500 * DAY, now);
      return {
        id: 60_000 + ++article,
        title: article === 3 ? 'Support plans and response times' : `Article ${article}`,
        status: rnd() < 0.8 ? 2 : 1,
        hits: Math.floor(rnd() * 1000),
        thumbs_up: Math.floor(rnd() * 20),
        thumbs_down: Math.floor(rnd() * 5),
        agent_id: pick(agentIds),
        created_at: fdTime(created),
        updated_at: fdTime(Math.min(modified + DAY, now)),
        modified_at: fdTime(modified),
      };
    });

  let rating = 0;
  for (const t of a.tickets) {
    const resolved = (t.stats as { resolved_at: string | null }).resolved_at;
    if (!resolved || rnd() > 0.3) continue;
    a.ratings.push({
      id: 80_000 + ++rating,
      survey_id: 1,
      ticket_id: t.id,
      ratings: { default_question: pick([103, 103, 102, 101, 100, -101, -103]) },
      created_at: fdTime(Math.min(Date.parse(resolved) + 3_600_000, now)),
      updated_at: fdTime(Math.min(Date.parse(resolved) + 3_600_000, now)),
    });
  }
  return a;
}
