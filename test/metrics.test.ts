import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toAutomation } from '../connectors/zendesk/streams/automations.js';
import { ZendeskRule } from '../connectors/zendesk/schemas.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric } from '../src/domain/evidence.js';
import type { Ticket } from '../src/domain/records.js';
import { importRecords, parseRecordsWithFields } from '../src/jobs/import-records.js';
import { wilson } from '../src/metrics/helpers.js';
import { computeEvidence, metricCatalogue, metricDefinitions } from '../src/metrics/index.js';
import { parseWindow } from '../src/metrics/window.js';
import type { Store } from '../src/store/store.js';
import { backends } from './helpers/backends.js';
import { FIXTURES } from './zendesk/helpers.js';

/**
 * Every metric of the catalogue, keyed by id: small hand-made record sets imported as
 * `maturity import records` would, and what each metric must then be — its value and sample
 * size, or why it is absent. Adding a metric adds a row here (the guard below says so).
 */

const AS_OF = '2026-06-30'; // the window ends 2026-06-30T23:59:59.999Z; 90d starts 2026-04-01
const IN = '2026-06-01T10:00:00Z';
const BEFORE = '2026-03-01T10:00:00Z';

type Records = Record<string, unknown[]>;
type Want = Partial<Metric> & { value: number; sampleSize: number };
interface Case {
  /** What the case shows, in words (the test's name). */
  does: string;
  records: Records;
  /** --window (default 90d). */
  window?: string;
  /** The metric as computed, or the reason it is absent (whyAbsent's words). */
  want: Want | { absent: string };
}

const t = (i: number | string, extra: Partial<Ticket> = {}) => ({
  sourceId: String(i),
  createdAt: IN,
  status: 'solved',
  ...extra,
});
const many = (n: number, from: number, extra: (i: number) => Partial<Ticket> = () => ({})) =>
  Array.from({ length: n }, (_, i) => t(from + i, extra(i)));

/** A count (or minutes, hours…): its value and sample size. */
const count = (value: number, sampleSize: number, more: Partial<Metric> = {}): Want => ({
  value,
  sampleSize,
  ...more,
});
/** A proportion: successes out of n, with its Wilson 95% interval. */
const share = (successes: number, n: number, more: Partial<Metric> = {}): Want => ({
  value: Math.round((successes / n) * 10_000) / 10_000,
  sampleSize: n,
  interval: wilson(successes, n),
  ...more,
});
const absent = (reason: string) => ({ absent: reason });

const NEVER = (kinds: string) => `no ${kinds} were synced or imported`;
const NO_FIELD = (family: string) => `the source never delivers the tickets' ${family} field`;
const TOO_LITTLE = 'the records delivered do not hold what it needs in this window';

// Record sets several metrics share (each is imported once per backend).

/** Nothing delivered at all: every kind unknown. */
const NOTHING: Records = {};
/** Every kind delivered, and empty: real zeros where a count makes sense. */
const EMPTY: Records = {
  tickets: [],
  slaPolicies: [],
  slaOutcomes: [],
  plans: [],
  organisations: [],
  agents: [],
  groups: [],
  automations: [],
  kbArticles: [],
  satisfactionRatings: [],
};
/** Tickets that carry no optional field: every field family never delivered. */
const BARE_TICKETS: Records = { tickets: many(40, 1) };

const SLA_OUTCOMES: Records = {
  tickets: [t(1), t(2), t(3), t(4), t(5), t(6)],
  slaOutcomes: [
    { sourceId: 'a', ticketId: '1', metric: 'first_reply_time', status: 'met', completedAt: IN },
    {
      sourceId: 'b',
      ticketId: '1',
      metric: 'resolution_time',
      status: 'breached',
      completedAt: '2026-06-03T11:00:00Z',
    },
    {
      sourceId: 'c',
      ticketId: '2',
      metric: 'first_reply_time',
      status: 'met',
      completedAt: '2026-06-04T11:00:00Z',
    },
    // Still running: not completed, not measured.
    { sourceId: 'd', ticketId: '3', metric: 'first_reply_time', status: 'active' },
    // Completed before the window.
    {
      sourceId: 'e',
      ticketId: '4',
      metric: 'first_reply_time',
      status: 'breached',
      completedAt: '2025-01-01T00:00:00Z',
    },
  ],
};
const MADE_SLA: Records = {
  tickets: [t(1, { madeSla: true }), t(2, { madeSla: true }), t(3, { madeSla: false }), t(4)],
};
const MADE_SLA_SOURCE =
  'tickets.made_sla (no per-target SLA outcomes: share of tickets flagged as having made their SLA)';

const target = (priority: string, targetMinutes: number, businessHours: boolean) => ({
  priority,
  metric: 'first_reply_time',
  targetMinutes,
  businessHours,
});
const SLA_POLICIES: Records = {
  slaPolicies: [
    {
      sourceId: 's1',
      name: 'Standard',
      targets: [target('urgent', 120, true), target('high', 240, true)],
    },
    { sourceId: 's2', name: 'Premium', targets: [target('urgent', 30, false)] },
    { sourceId: 'o1', name: 'OLA', kind: 'ola', targets: [target('urgent', 5, false)] },
    { sourceId: 'u1', name: 'Carrier', kind: 'uc', targets: [] },
  ],
};
/** Freshdesk's default policy as a new account has it (unchanged since), beside the team's own. */
const DEFAULT_POLICY = (updatedAt: string) => ({
  sourceId: 'd1',
  name: 'Default SLA Policy',
  targets: [target('urgent', 60, true), target('high', 240, true)],
  conditions: [{ field: 'is_default', value: true }],
  createdAt: '2024-03-01T09:00:00Z',
  updatedAt,
});
const SLA_STOCK_DEFAULT: Records = {
  slaPolicies: [
    DEFAULT_POLICY('2024-03-01T09:00:00Z'),
    { sourceId: 's2', name: 'Premium', targets: [target('high', 120, false)] },
  ],
};
const SLA_ONLY_STOCK_DEFAULT: Records = { slaPolicies: [DEFAULT_POLICY('2024-03-01T09:00:20Z')] };
const SLA_EDITED_DEFAULT: Records = { slaPolicies: [DEFAULT_POLICY('2025-06-12T14:30:00Z')] };
const STOCK_TARGETS =
  "measured against the helpdesk's default SLA policy, unchanged since it was created and the only customer policy: a reviewer says whether the team adopted it";
/** A tight office-hours promise in one policy, a loose 24x7 one in another. */
const SLA_MIXED: Records = {
  slaPolicies: [
    { sourceId: 's1', name: 'Premium', targets: [target('urgent', 30, true)] },
    { sourceId: 's2', name: 'Standard', targets: [target('urgent', 480, false)] },
  ],
};
/** Nothing is ever urgent: high is the top priority in use (1 urgent ticket in 200 is under 1%). */
const SLA_TOP_PRIORITY: Records = {
  slaPolicies: [
    {
      sourceId: 's1',
      name: 'Standard',
      targets: [target('urgent', 30, false), target('high', 120, true)],
    },
  ],
  tickets: [
    t(0, { priority: 'urgent' }),
    ...many(99, 1, () => ({ priority: 'high' })),
    ...many(100, 100, () => ({ priority: 'normal' })),
  ],
};
/** Tickets use urgent; the only target is for low. */
const SLA_TOP_PRIORITY_UNTARGETED: Records = {
  slaPolicies: [{ sourceId: 's1', name: 'Standard', targets: [target('low', 480, true)] }],
  tickets: many(10, 1, () => ({ priority: 'urgent' })),
};

const PLANS: Records = {
  plans: [
    { sourceId: 'basic', name: 'Basic', tier: 1, documented: true, services: ['onboarding'] },
    { sourceId: 'pro', name: 'Pro', tier: 2, documented: false },
    { sourceId: 'ent', name: 'Enterprise', tier: 3 },
    { sourceId: 'x', name: 'Legacy' },
  ],
  organisations: [
    // pro: 4 of 5 customers with a known CSM field have one — a CSM that comes with the plan.
    ...['o1', 'o2', 'o3', 'o4'].map((sourceId) => ({ sourceId, planId: 'pro', hasCsm: true })),
    { sourceId: 'o5', planId: 'pro', hasCsm: false },
    { sourceId: 'o6', planId: 'pro' },
    // ent: 1 of 2 — a CSM sold apart.
    { sourceId: 'o7', planId: 'ent', hasCsm: true },
    { sourceId: 'o8', planId: 'ent', hasCsm: false },
    ...['o9', 'o10'].map((sourceId) => ({ sourceId, planId: 'basic' })),
    { sourceId: 'o11' },
  ],
};
const PLAN_CUSTOMER_COUNTS: Records = {
  plans: [
    { sourceId: 'basic', name: 'Basic', tier: 1, customerCount: 60 },
    { sourceId: 'pro', name: 'Pro', tier: 2, customerCount: 30 },
    { sourceId: 'ent', name: 'Enterprise', tier: 3, customerCount: 10 },
  ],
};
/** Plans read from tags named like plans, one of them named by an SLA policy. */
const GUESSED_PLANS: Records = {
  plans: [
    {
      sourceId: 'plan:gold',
      name: 'Gold',
      tier: 2,
      slaPolicyId: 'sla-gold',
      services: ['proactive_alerts'],
    },
    { sourceId: 'plan:premium', name: 'Premium', tier: 1, guessed: true },
    {
      sourceId: 'plan:enterprise',
      name: 'Enterprise',
      tier: 3,
      guessed: true,
      services: ['onboarding'],
    },
  ],
  organisations: [
    { sourceId: 'o1', planId: 'plan:premium' },
    { sourceId: 'o2', planId: 'plan:gold' },
    { sourceId: 'o3', planId: 'plan:enterprise' },
  ],
};
/** Only the base tier was found by its name; the tiers above it have their SLA policies. */
const GUESSED_BASE: Records = {
  plans: [
    { sourceId: 'plan:basic', name: 'Basic', tier: 1, guessed: true },
    { sourceId: 'plan:pro', name: 'Pro', tier: 2, slaPolicyId: 'sla-pro' },
  ],
  organisations: [
    ...['o1', 'o2', 'o3'].map((sourceId) => ({ sourceId, planId: 'plan:basic' })),
    { sourceId: 'o4', planId: 'plan:pro' },
  ],
};
const BARE_PLANS: Records = {
  plans: [
    { sourceId: 'a', name: 'A' },
    { sourceId: 'b', name: 'B' },
  ],
};
const REVISIONS: Records = {
  plans: [
    {
      sourceId: 'p1',
      name: 'Revised',
      createdAt: '2023-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    },
    { sourceId: 'p2', name: 'Old', createdAt: '2024-01-01T00:00:00Z' },
    { sourceId: 'p3', name: 'Later', createdAt: '2026-07-10T00:00:00Z' },
    { sourceId: 'p4', name: 'Undated' },
  ],
  slaPolicies: [
    { sourceId: 's1', name: 'New', createdAt: '2025-12-01T00:00:00Z' },
    { sourceId: 's2', name: 'Undated' },
  ],
};

const AGENTS: Records = {
  agents: [
    { sourceId: 'a1', role: 'agent', groupIds: ['g1', 'g2'] },
    { sourceId: 'a2', role: 'admin', groupIds: ['g1'] },
    { sourceId: 'a3', role: 'light', groupIds: ['g1', 'g2'] },
    { sourceId: 'a4', role: 'agent', active: false, groupIds: ['g1', 'g2'] },
    { sourceId: 'k1', role: 'knowledge' },
    { sourceId: 'k2', role: 'knowledge', active: false },
  ],
  tickets: [...many(30, 1), t(99, { createdAt: BEFORE })],
};
const ASSIGNEES: Records = {
  tickets: [
    t(1, { assigneeId: 'u1' }),
    t(2, { assigneeId: 'u1' }),
    t(3, { assigneeId: 'u2' }),
    t(4, { assigneeId: 'u3' }),
    t(5),
    t(6, { assigneeId: 'u4', createdAt: BEFORE }),
  ],
};

const GROUPS: Records = {
  groups: [
    { sourceId: '1', name: 'Tier 1' },
    { sourceId: '2', name: 'L2 Support' },
    { sourceId: '3', name: 'Support Operations' },
    { sourceId: '4', name: 'Escalations' },
    { sourceId: '5', name: 'Customer Success' },
    { sourceId: '6', name: 'Acme BPO Manila' },
    { sourceId: '7', name: 'Billing' },
    { sourceId: '8', name: 'Knowledge Management' },
    { sourceId: '9', name: 'Night shift', partner: true },
    // Anonymised: says nothing, so every role count may be one higher.
    { sourceId: '10', name: 'Group 70' },
  ],
};

const KB: Records = {
  kbArticles: [
    {
      sourceId: '1',
      title: 'Our SLAs and support hours',
      state: 'published',
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      partnerAuthored: true,
    },
    {
      sourceId: '2',
      title: 'Reset a password',
      state: 'published',
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-06-01T00:00:00Z',
      partnerAuthored: false,
    },
    {
      sourceId: '3',
      title: 'Support plans',
      state: 'published',
      createdAt: '2026-05-01T00:00:00Z',
    },
    { sourceId: '4', title: 'Premium support', state: 'draft', createdAt: '2026-05-01T00:00:00Z' },
    {
      sourceId: '5',
      title: 'Response times',
      state: 'published',
      createdAt: '2026-07-05T00:00:00Z',
    },
  ],
};
const KB_UNATTRIBUTED: Records = {
  kbArticles: [
    {
      sourceId: '1',
      title: 'Reset a password',
      state: 'published',
      createdAt: '2026-05-01T00:00:00Z',
    },
  ],
};

const AUTOMATIONS: Records = {
  automations: [
    { sourceId: '1', kind: 'macro' },
    { sourceId: '2', kind: 'macro' },
    { sourceId: '3', kind: 'trigger' },
    { sourceId: '4', kind: 'bot' },
    { sourceId: '5', kind: 'workflow', active: false },
  ],
};
const NO_BOTS: Records = { automations: [{ sourceId: '1', kind: 'macro' }] };
/**
 * A Zendesk account as it comes (its standard triggers and macros, real ones from the shared
 * fixtures: one batch, never changed) plus the rules its team wrote later.
 */
const zendeskRules = (file: string, key: string, kind: 'macro' | 'trigger') =>
  (JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, ZendeskRule[]>)[
    key
  ]!.map((r) => toAutomation(ZendeskRule.parse(r), kind));
const STOCK = [
  ...zendeskRules('triggers.json', 'triggers', 'trigger'),
  ...zendeskRules('macros.json', 'macros', 'macro'),
].map((a) => ({ ...a, createdAt: '2025-01-01T09:00:00Z', updatedAt: '2025-01-01T09:00:02Z' }));
const teamRule = (sourceId: string, kind: string, createdAt: string, updatedAt = createdAt) => ({
  sourceId,
  kind,
  active: true,
  createdAt,
  updatedAt,
});
const STOCK_AND_TEAM: Records = {
  automations: [
    ...STOCK,
    teamRule('macro-team1', 'macro', '2025-03-01T10:00:00Z'),
    teamRule('trigger-team1', 'trigger', '2025-04-01T10:00:00Z', '2025-05-01T10:00:00Z'),
  ],
};
/** A standard rule the team edited since is theirs too. */
const STOCK_EDITED: Records = {
  automations: STOCK.map((a, i) => (i === 0 ? { ...a, updatedAt: '2025-06-01T00:00:00Z' } : a)),
};
/** Two rules made in the account's first minutes are not a shipped batch. */
const EARLY_PAIR: Records = {
  automations: [
    teamRule('m1', 'macro', '2025-01-01T09:00:00Z'),
    teamRule('m2', 'macro', '2025-01-01T09:05:00Z'),
  ],
};

const rating = (sourceId: string, score: string, createdAt = IN) => ({
  sourceId,
  score,
  createdAt,
});
const CSAT: Records = {
  satisfactionRatings: [
    ...['o1', 'o2', 'o3', 'o4', 'o5', 'o6'].map((id) => rating(id, 'offered')),
    ...['g1', 'g2', 'g3'].map((id) => rating(id, 'good')),
    rating('b1', 'bad'),
    rating('old', 'bad', '2025-01-01T00:00:00Z'),
  ],
};
const CSAT_UNANSWERED: Records = {
  satisfactionRatings: [rating('o1', 'offered'), rating('o2', 'offered')],
};

/**
 * Channels; monitoring and bot tickets are not customer intake. Shares and rates over customer
 * requests leave them out too.
 */
const CHANNELS: Records = {
  tickets: [
    ...many(70, 0, () => ({ channel: 'email' })),
    ...many(28, 100, () => ({ channel: 'web' })),
    ...many(2, 200, () => ({ channel: 'phone' })),
    ...many(10, 300, () => ({ channel: 'monitoring' })),
    ...many(5, 400, () => ({ channel: 'bot' })),
  ],
};

/** Tickets per assignee, month by month over six months. */
const month = (m: string, n: number, people: number, from: number) =>
  many(n, from, (i) => ({
    createdAt: `2026-${m}-10T10:00:00Z`,
    assigneeId: `u${i % people}`,
  }));
const STAFFING: Records = {
  tickets: [
    ...month('01', 30, 3, 0), // 10 per person; wholly inside a 6-month window, partial in 5 months
    ...month('02', 30, 3, 100), // 10 per person
    ...month('03', 40, 2, 200), // 20
    ...month('04', 5, 1, 300), // a gap in the data (under 30 requests), left out
    ...month('05', 30, 1, 400), // 30
    ...month('06', 30, 3, 500), // 10: the as-of month, whole as of its last day
  ],
};

/** Solved customer requests spread over 12 of the 24 UTC hours (10 each), and one stray. */
const HOURS: Records = {
  tickets: [
    ...Array.from({ length: 12 }, (_, h) =>
      many(10, h * 100, () => ({
        solvedAt: `2026-06-02T${String(h * 2).padStart(2, '0')}:30:00Z`,
      })),
    ).flat(),
    t(9999, { solvedAt: '2026-06-02T01:30:00Z' }),
    // Proactive work is not a customer request.
    ...many(30, 5000, () => ({ channel: 'monitoring', solvedAt: '2026-06-02T03:30:00Z' })),
  ],
};
const FEW_SOLVED: Records = { tickets: many(99, 1, () => ({ solvedAt: '2026-06-02T10:00:00Z' })) };

/** Partner groups: one tier, one partner team, one anonymised group. */
const PARTNER_GROUPS = [
  { sourceId: 'g1', name: 'Tier 1 Support' },
  { sourceId: 'g2', name: 'Acme BPO' },
  { sourceId: 'g3', name: 'Group 70' },
];
const PARTNER: Records = {
  groups: PARTNER_GROUPS,
  tickets: [
    ...many(40, 0, () => ({ groupId: 'g2', category: 'billing' })),
    ...many(40, 100, () => ({ groupId: 'g1', category: 'hardware' })),
    // A group whose partner status cannot be read: left out.
    ...many(25, 200, () => ({ groupId: 'g3', category: 'billing' })),
    t(300),
  ],
};
/**
 * The partner takes every ticket of one customer and every phone call, but only some of each
 * category, region and shift: no part of the work the seed names (a tier, products, a geography,
 * a time zone) is theirs.
 */
const PARTNER_CUSTOMER_AND_CHANNEL: Records = {
  groups: PARTNER_GROUPS,
  tickets: [
    ...many(40, 0, (i) => ({
      groupId: 'g2',
      organisationId: 'acme',
      channel: i % 2 ? 'phone' : 'email',
      category: i % 2 ? 'billing' : 'hardware',
    })),
    ...many(60, 100, (i) => ({
      groupId: 'g1',
      organisationId: `o${i}`,
      channel: 'email',
      category: i % 2 ? 'billing' : 'hardware',
    })),
  ],
};
const PARTNER_SMALL: Records = {
  groups: PARTNER_GROUPS,
  tickets: [
    ...many(4, 0, () => ({ groupId: 'g2', category: 'billing' })),
    ...many(6, 100, () => ({ groupId: 'g1', category: 'hardware' })),
  ],
};
const NO_PARTNER_WORK: Records = {
  groups: PARTNER_GROUPS,
  tickets: many(12, 0, () => ({ groupId: 'g1' })),
};

const ORGANISATIONS: Records = {
  organisations: [
    { sourceId: 'o1', hasCsm: true },
    { sourceId: 'o2', hasCsm: false },
    { sourceId: 'o3' },
  ],
};

const c = (does: string, records: Records, want: Case['want'], window?: string): Case => ({
  does,
  records,
  want,
  ...(window ? { window } : {}),
});
/** Absent, and why, when the kinds a metric rests on were never delivered. */
const never = (kinds: string, reason = NEVER(kinds)) =>
  c(`is absent when ${kinds} were never delivered`, NOTHING, absent(reason));
/** A real zero when the kind was delivered and holds nothing. */
const zero = (kinds: string, more: Partial<Metric> = {}) =>
  c(`is zero when ${kinds} were delivered and none exists`, EMPTY, count(0, 0, more));
const noField = (family: string, what: string) =>
  c(`is absent when ${what} are never delivered`, BARE_TICKETS, absent(NO_FIELD(family)));

const table: Record<string, Case[]> = {
  'tickets.count': [
    c(
      'counts only the tickets created inside the window',
      {
        tickets: [
          t(1),
          t(2, { createdAt: '2026-04-02T00:00:00Z' }),
          t(3, { createdAt: BEFORE }),
          t(4, { createdAt: '2026-07-02T00:00:00Z' }),
        ],
      },
      count(2, 2, { sources: ['tickets'] }),
    ),
    c(
      'takes every ticket up to the as-of date with --window all',
      {
        tickets: [
          t(1, { createdAt: '2010-01-01T00:00:00Z' }),
          t(2),
          t(3, { createdAt: '2027-01-01T00:00:00Z' }),
        ],
      },
      count(2, 2, { window: 'all' }),
      'all',
    ),
    zero('tickets'),
    never('tickets'),
  ],
  'tickets.backlog': [
    c(
      'counts the tickets open at the as-of instant, whenever they were created',
      {
        tickets: [
          t(1, { status: 'open' }),
          t(2, { status: 'pending', createdAt: '2025-01-01T00:00:00Z' }),
          t(3, { status: 'solved', solvedAt: '2026-07-05T00:00:00Z' }), // solved after the as-of
          t(4, { status: 'solved', solvedAt: '2026-06-02T00:00:00Z' }),
          t(5, { status: 'closed', closedAt: '2026-06-10T00:00:00Z' }),
          t(6, { status: 'open', createdAt: '2026-07-02T00:00:00Z' }), // created after the as-of
        ],
      },
      // The sample is the tickets created by the as-of date.
      count(3, 5),
    ),
    zero('tickets'),
    never('tickets'),
  ],
  'tickets.reopen_rate': [
    c(
      'is the share of customer requests reopened, over those whose reopens are known',
      {
        tickets: [
          ...many(40, 0, (i) => ({ reopenCount: i < 10 ? 1 : 0 })),
          t(99), // reopens unknown: not in the denominator
          t(100, { channel: 'monitoring', reopenCount: 3 }), // proactive: not a customer request
        ],
      },
      share(10, 40, { interval: [0.1419, 0.4019], sources: ['tickets'] }),
    ),
    noField('reopens', 'reopens'),
    c(
      'is absent when reopens are delivered but no ticket falls in the window',
      { tickets: [t(1, { reopenCount: 1, createdAt: BEFORE })] },
      absent(TOO_LITTLE),
    ),
  ],
  'tickets.reassignment_rate': [
    c(
      'is the share of customer requests reassigned at least once',
      {
        tickets: [
          t(1, { reassignmentCount: 0 }),
          t(2, { reassignmentCount: 1 }),
          t(3, { reassignmentCount: 2 }),
          t(4, { reassignmentCount: 0 }),
          t(5, { channel: 'bot', reassignmentCount: 3 }), // handled by a bot: left out
          t(6),
        ],
      },
      share(2, 4),
    ),
    noField('reassignments', 'reassignments'),
  ],
  'kb.linked_ticket_share': [
    c(
      'is the share of customer requests linked to an article',
      {
        tickets: [
          ...many(3, 0, () => ({ knowledgeLinked: true })),
          ...many(2, 10, () => ({ knowledgeLinked: false })),
          t(20),
        ],
      },
      share(3, 5),
    ),
    noField('knowledge', 'knowledge links'),
  ],
  'sla.coverage': [
    c(
      'is the share of customer requests carrying an SLA policy or a made-SLA flag',
      {
        tickets: [
          t(1, { slaPolicyId: 'p1' }),
          t(2, { madeSla: false }),
          t(3, { channel: 'email' }),
          t(4),
          t(5, { channel: 'monitoring', slaPolicyId: 'p1' }), // proactive: left out
          t(6, { slaPolicyId: 'p1', createdAt: BEFORE }),
        ],
      },
      share(2, 4),
    ),
    c(
      'counts tickets with SLA outcomes when the tickets carry no SLA field',
      SLA_OUTCOMES,
      share(4, 6),
    ),
    c(
      'is absent when neither an SLA field nor SLA outcomes were delivered',
      BARE_TICKETS,
      absent(`${NO_FIELD('sla')}; nor: ${NEVER('SLA outcomes')}`),
    ),
  ],
  'tickets.problem_linked_share': [
    c(
      'is the share of customer requests linked to a problem',
      {
        tickets: [t(1, { problemLinked: true }), ...many(3, 10, () => ({ problemLinked: false }))],
      },
      share(1, 4),
    ),
    noField('problem', 'problem links'),
  ],
  'tickets.proactive_share': [
    c(
      'is the share of tickets with a channel opened by monitoring, alerts or outbound work',
      {
        tickets: [
          t(1, { channel: 'email' }),
          t(2, { channel: 'email' }),
          t(3, { channel: 'monitoring' }),
          t(4, { channel: 'outbound' }),
          t(5), // no channel: not known
        ],
      },
      share(2, 4),
    ),
    c(
      'holds tickets opened through the API undetermined, unless a proactive tag settles them',
      {
        tickets: [
          t(1, { channel: 'email' }),
          t(2, { channel: 'alert' }),
          t(3, { channel: 'api' }),
          t(4, { channel: 'api' }),
          t(5, { channel: 'api', tags: ['monitoring'] }),
        ],
      },
      share(2, 5, { undetermined: 2 }),
    ),
    c(
      'reads tags where the source delivers them, over every ticket',
      {
        tickets: [t(1, { tags: ['proactive'] }), t(2, { tags: ['vip'] }), t(3, { tags: [] }), t(4)],
      },
      share(1, 4),
    ),
    noField('channel or tags', 'channels and tags'),
  ],
  'tickets.bot_resolved_share': [
    c(
      'is the share of customer-opened tickets a bot handled',
      {
        tickets: [
          t(1, { channel: 'bot' }),
          t(2, { channel: 'email' }),
          t(3, { channel: 'email' }),
          t(4, { channel: 'monitoring' }), // opened by monitoring: left out
        ],
      },
      share(1, 3),
    ),
    c(
      'is a real zero when tags are delivered empty',
      { tickets: [t(1, { tags: [] }), t(2, { tags: [] })] },
      share(0, 2),
    ),
    noField('channel or tags', 'channels and tags'),
  ],
  'tickets.onboarding_share': [
    c(
      'is the share of tickets about onboarding; proactive outreach counts only when it is onboarding',
      {
        tickets: [
          t(1, { tags: ['onboarding'] }),
          t(2, { tags: ['go-live'] }),
          t(3, { tags: ['billing'] }),
          t(4, { tags: [] }),
          t(5, { tags: ['proactive'] }),
          t(6, { tags: ['proactive', 'kickoff'] }),
        ],
      },
      share(3, 5),
    ),
    noField('tags', 'tags'),
  ],
  'tickets.fcr_rate': [
    c(
      'is the share of solved customer requests closed with exactly one reply, never reopened',
      {
        tickets: [
          t(1, { agentReplies: 1 }),
          t(2, { agentReplies: 0 }),
          t(3, { agentReplies: 3 }),
          t(4, { agentReplies: 1, reopenCount: 1 }),
          t(5, { agentReplies: 1, status: 'open' }), // not solved yet
          t(6, { agentReplies: 1, status: 'closed' }),
          t(7), // replies unknown
        ],
      },
      // t2 was closed without a reply: not resolved by contact.
      share(2, 5),
    ),
    noField('replies', 'reply counts'),
  ],
  'tickets.first_response_minutes.median': [
    c(
      "is the median first reply over the window's tickets that have one",
      {
        tickets: [
          t(1, { firstResponseMinutes: 10 }),
          t(2, { firstResponseMinutes: 20 }),
          t(3, { firstResponseMinutes: 30 }),
          t(4, { firstResponseMinutes: 90 }),
          t(5),
          t(6, { firstResponseMinutes: 1000, createdAt: BEFORE }),
        ],
      },
      count(25, 4),
    ),
    noField('firstResponse', 'first replies'),
    c(
      'is absent when no ticket of the window has a first reply',
      { tickets: [t(1, { firstResponseMinutes: 5, createdAt: BEFORE }), t(2)] },
      absent(TOO_LITTLE),
    ),
  ],
  'tickets.resolution_hours.median': [
    c(
      'is the median of resolved minus opened, never the close time; unresolved counted apart',
      {
        tickets: [
          t(1, { solvedAt: '2026-06-01T12:00:00Z' }),
          t(2, { solvedAt: '2026-06-01T14:00:00Z' }),
          t(3, { solvedAt: '2026-06-02T10:00:00Z' }),
          t(4, { status: 'open' }),
          t(5, { status: 'closed', closedAt: '2026-06-20T10:00:00Z' }),
        ],
      },
      count(4, 3, { breakdown: { resolved: 3, unresolved: 2 } }),
    ),
    noField('solved', 'resolution times'),
  ],
  'sla.attainment': [
    c(
      'is SLA targets met out of those completed in the window, per SLA metric too',
      SLA_OUTCOMES,
      share(2, 3, {
        sources: ['sla_outcomes'],
        breakdown: { first_reply_time: 1, resolution_time: 0 },
      }),
    ),
    c(
      "says when the targets were the helpdesk's unchanged default",
      { ...SLA_OUTCOMES, ...SLA_ONLY_STOCK_DEFAULT },
      share(2, 3, {
        sources: ['sla_outcomes', STOCK_TARGETS],
        breakdown: { first_reply_time: 1, resolution_time: 0 },
      }),
    ),
    c(
      'falls back to the made-SLA flag without per-target outcomes, and says so',
      MADE_SLA,
      share(2, 3, { sources: [MADE_SLA_SOURCE] }),
    ),
    c(
      'falls back to the made-SLA flag when SLA outcomes were delivered empty',
      { ...MADE_SLA, slaOutcomes: [] },
      share(2, 3, { sources: [MADE_SLA_SOURCE] }),
    ),
    c(
      'is absent when SLA outcomes were delivered and none was completed',
      EMPTY,
      absent(TOO_LITTLE),
    ),
    c(
      'is absent when neither SLA outcomes nor an SLA field were delivered',
      BARE_TICKETS,
      absent(`${NEVER('SLA outcomes')}; nor: ${NO_FIELD('sla')}`),
    ),
  ],
  'sla.measured.count': [
    c(
      'counts the SLA targets completed in the window',
      SLA_OUTCOMES,
      count(3, 3, { sources: ['sla_outcomes'] }),
    ),
    c(
      'counts the tickets with a made-SLA flag without per-target outcomes',
      MADE_SLA,
      count(3, 3, { sources: [MADE_SLA_SOURCE] }),
    ),
    c('is zero when SLA outcomes were delivered and none was completed', EMPTY, count(0, 0)),
    c(
      "holds targets undetermined when the helpdesk's unchanged default is the only customer policy",
      { ...SLA_OUTCOMES, ...SLA_ONLY_STOCK_DEFAULT },
      count(0, 3, { undetermined: 3, sources: ['sla_outcomes', STOCK_TARGETS] }),
    ),
    c(
      'counts them once the team has a policy of its own beside the default',
      { ...SLA_OUTCOMES, ...SLA_STOCK_DEFAULT },
      count(3, 3, { sources: ['sla_outcomes'] }),
    ),
    c(
      'counts them once the team has edited the default',
      { ...SLA_OUTCOMES, ...SLA_EDITED_DEFAULT },
      count(3, 3, { sources: ['sla_outcomes'] }),
    ),
    never('SLA outcomes or tickets', `${NEVER('SLA outcomes')}; nor: ${NEVER('tickets')}`),
  ],
  'sla.policies.count': [
    c('counts customer SLA policies, not OLAs or UCs', SLA_POLICIES, count(2, 2)),
    c(
      "holds the helpdesk's default policy undetermined while nobody has changed it",
      SLA_STOCK_DEFAULT,
      count(1, 2, {
        breakdown: { shipped: 1 },
        undetermined: 1,
        sources: [
          'sla_policies',
          "1 default policy unchanged since the helpdesk created it: a reviewer says whether it is the team's promise",
        ],
      }),
    ),
    c(
      'is zero known and one undetermined when the only policy is the unchanged default',
      SLA_ONLY_STOCK_DEFAULT,
      count(0, 1, {
        breakdown: { shipped: 1 },
        undetermined: 1,
        sources: [
          'sla_policies',
          "1 default policy unchanged since the helpdesk created it: a reviewer says whether it is the team's promise",
        ],
      }),
    ),
    c('counts the default policy once the team has edited it', SLA_EDITED_DEFAULT, count(1, 1)),
    zero('SLA policies'),
    never('SLA policies'),
  ],
  'sla.ola.count': [
    c('counts OLAs and underpinning contracts', SLA_POLICIES, count(2, 2)),
    zero('SLA policies'),
    never('SLA policies'),
  ],
  'sla.first_response_target_minutes.urgent': [
    c(
      'is the tightest urgent first-reply target of customer policies, and whether it runs 24x7',
      SLA_POLICIES,
      count(30, 2, { breakdown: { urgent: 30, high: 240, calendar: 1 } }),
    ),
    c(
      'says calendar 0 when the tightest target counts office hours, whatever another policy runs',
      SLA_MIXED,
      count(30, 1, { breakdown: { urgent: 30, calendar: 0 } }),
    ),
    c(
      "reads no target from the helpdesk's unchanged default policy",
      SLA_STOCK_DEFAULT,
      absent(TOO_LITTLE),
    ),
    c(
      'is absent when no customer policy has an urgent target',
      SLA_TOP_PRIORITY_UNTARGETED,
      absent(TOO_LITTLE),
    ),
    never('SLA policies'),
  ],
  'sla.first_response_target_minutes.top_priority': [
    c(
      'judges the highest priority used by 1%+ of prioritised tickets',
      SLA_TOP_PRIORITY,
      count(120, 2, {
        breakdown: { urgent: 30, high: 120, rank: 2, share: 0.495, calendar: 0 },
        sources: ['sla_policies', 'top priority in use: high (49.5% of 200 prioritised tickets)'],
      }),
    ),
    c(
      'judges the highest priority with a target when tickets carry no priority',
      SLA_POLICIES,
      count(30, 2, {
        breakdown: { urgent: 30, high: 240, rank: 1, calendar: 1 },
        sources: [
          'sla_policies',
          'no ticket priorities to judge by: the highest priority with a target (urgent)',
        ],
      }),
    ),
    c(
      "judges the tightest around-the-clock promise, never another policy's office-hours minutes",
      SLA_MIXED,
      count(480, 1, {
        breakdown: { urgent: 30, rank: 1, calendar: 1 },
        sources: [
          'sla_policies',
          'no ticket priorities to judge by: the highest priority with a target (urgent)',
        ],
      }),
    ),
    c(
      "judges the team's own policy, not the helpdesk's unchanged default",
      SLA_STOCK_DEFAULT,
      count(120, 1, {
        breakdown: { high: 120, rank: 2, calendar: 1 },
        sources: [
          'sla_policies',
          'no ticket priorities to judge by: the highest priority with a target (high)',
        ],
      }),
    ),
    c(
      'is absent when the top priority in use has no target',
      SLA_TOP_PRIORITY_UNTARGETED,
      absent(TOO_LITTLE),
    ),
    never('SLA policies'),
  ],
  'plans.count': [
    c('counts the plans', PLANS, count(4, 4, { sources: ['plans'] })),
    c(
      'leaves plans found only by their names undetermined: they may be sales tiers',
      GUESSED_PLANS,
      count(1, 3, {
        undetermined: 2,
        sources: [
          'plans',
          'plans found only by their names (a field or tags named like plans, or a tier field no SLA policy confirms): a reviewer says whether they are support plans',
        ],
      }),
    ),
    zero('plans'),
    never('plans'),
  ],
  'plans.documented.count': [
    c(
      'counts the plans published to customers; those that do not say are undetermined',
      PLANS,
      count(1, 4, { undetermined: 2 }),
    ),
    c(
      'is zero with every plan undetermined when no plan says whether it is published',
      BARE_PLANS,
      count(0, 2, { undetermined: 2 }),
    ),
    never('plans'),
  ],
  'plans.proactive_services.count': [
    c(
      'counts plans listing services or bundling a CSM for 80%+ of their customers',
      PLANS,
      count(2, 4),
    ),
    c(
      'leaves a plan found only by its name undetermined: it may be a sales tier',
      GUESSED_PLANS,
      count(1, 3, { undetermined: 1 }),
    ),
    zero('plans'),
    never('plans'),
  ],
  'plans.premium_customer_share': [
    c(
      'is the share of customers on a plan above the base tier',
      PLANS,
      share(8, 10, { sources: ['organisations', 'plans'] }),
    ),
    c(
      "reads the plans' customer counts without organisations",
      PLAN_CUSTOMER_COUNTS,
      share(40, 100, { sources: ['plans.customer_count'] }),
    ),
    c('is absent when plans carry neither tiers nor customers', BARE_PLANS, absent(TOO_LITTLE)),
    c(
      'is absent while a tier above the base was found only by its name, and says so',
      GUESSED_PLANS,
      absent(
        'plans above the base tier were found only by their names and may be sales tiers; naming the plan field or tags, or a reviewer, settles which customers are on a premium support plan',
      ),
    ),
    c(
      'is the share on the tiers above a base found by its name',
      GUESSED_BASE,
      share(1, 4, { sources: ['organisations', 'plans'] }),
    ),
    never('plans', `${NEVER('plans or organisations')}; nor: ${NEVER('plans')}`),
  ],
  'offerings.revised_12m.count': [
    c(
      'counts plans and SLA policies created or revised in the 12 months to the as-of date',
      REVISIONS,
      // p3 is dated after the as-of date and p4, s2 are undated: none is in the sample.
      count(2, 3),
    ),
    c('is absent when no plan or policy is dated', BARE_PLANS, absent(TOO_LITTLE)),
    never('plans or SLA policies', `${NEVER('plans')}; nor: ${NEVER('SLA policies')}`),
  ],
  'agents.count': [
    c('counts active agents and admins, not light agents', AGENTS, count(2, 2)),
    zero('agents'),
    never('agents'),
  ],
  'agents.multi_group_share': [
    c('is the share of active agents in two or more groups', AGENTS, share(1, 2)),
    c('is absent when there is no active agent', EMPTY, absent(TOO_LITTLE)),
    never('agents'),
  ],
  'agents.knowledge_roles.count': [
    c('counts active knowledge authors and managers, out of the active users', AGENTS, count(1, 4)),
    zero('agents'),
    never('agents'),
  ],
  'tickets.per_agent_month': [
    c(
      "is the window's tickets per active agent per 30 days",
      AGENTS,
      count(5, 30, { sources: ['tickets', 'agents'] }),
    ),
    c('is absent when there is no active agent', EMPTY, absent(TOO_LITTLE)),
    c(
      'is absent when tickets were never delivered',
      { agents: AGENTS.agents! },
      absent(NEVER('tickets')),
    ),
  ],
  'people.count': [
    c(
      'counts the active agents and admins the tool lists',
      AGENTS,
      count(2, 2, { sources: ['agents (active agents and admins)'] }),
    ),
    c(
      "counts the window's distinct assignees where the tool lists no agents",
      ASSIGNEES,
      count(3, 5, { sources: ['tickets.assignee_id (distinct assignees in the window)'] }),
    ),
    c(
      'is absent when neither agents nor assignees were delivered',
      BARE_TICKETS,
      absent(`${NEVER('agents')}; nor: ${NO_FIELD('assignee')}`),
    ),
  ],
  'groups.count': [c('counts the groups', GROUPS, count(10, 10)), zero('groups'), never('groups')],
  'groups.tiered.count': [
    c(
      'counts support tiers by name; an anonymised group is undetermined',
      GROUPS,
      count(2, 10, { undetermined: 1 }),
    ),
    zero('groups'),
    never('groups'),
  ],
  'groups.ops.count': [
    c('counts support-operations groups', GROUPS, count(1, 10, { undetermined: 1 })),
    zero('groups'),
    never('groups'),
  ],
  'groups.escalation.count': [
    c('counts escalation teams', GROUPS, count(1, 10, { undetermined: 1 })),
    zero('groups'),
    never('groups'),
  ],
  'groups.success.count': [
    c('counts customer-success groups', GROUPS, count(1, 10, { undetermined: 1 })),
    zero('groups'),
    never('groups'),
  ],
  'groups.success_working.count': [
    c(
      "counts the customer-success groups holding the window's tickets",
      {
        ...GROUPS,
        tickets: [t(1, { groupId: '5' }), t(2, { groupId: '1' }), t(3, { groupId: '10' })],
      },
      // The anonymised group at work might be one.
      count(1, 1, { undetermined: 1 }),
    ),
    c(
      'leaves out a success group that exists by name only',
      {
        ...GROUPS,
        tickets: [t(1, { groupId: '1' }), t(2, { groupId: '5', createdAt: BEFORE })],
      },
      count(0, 1),
    ),
    c(
      'is absent when the tickets never say their group',
      { ...GROUPS, tickets: many(3, 1) },
      absent(NO_FIELD('group')),
    ),
    never('groups or tickets'),
  ],
  'groups.partner.count': [
    c('counts partner teams by name or flag', GROUPS, count(2, 10, { undetermined: 1 })),
    zero('groups'),
    never('groups'),
  ],
  'groups.specialist.count': [
    c('counts knowledge and content groups', GROUPS, count(1, 10, { undetermined: 1 })),
    zero('groups'),
    never('groups'),
  ],
  'groups.product_specialist.count': [
    c('counts product and technology specialist teams', GROUPS, count(1, 10, { undetermined: 1 })),
    zero('groups'),
    never('groups'),
  ],
  'groups.tier_levels.count': [
    c(
      'counts distinct tier levels (L1 and L2 make two)',
      GROUPS,
      count(2, 10, { undetermined: 1 }),
    ),
    zero('groups'),
    never('groups'),
  ],
  'kb.articles.count': [
    c('counts articles published by the as-of date', KB, count(3, 3, { sources: ['kb_articles'] })),
    zero('knowledge articles'),
    never('knowledge articles'),
  ],
  'kb.freshness': [
    c('is the share of published articles touched in the last 12 months', KB, share(2, 3)),
    c('is absent when no article is published', EMPTY, absent(TOO_LITTLE)),
    never('knowledge articles'),
  ],
  'kb.partner_authored_share': [
    c('is the share of published articles a partner wrote, of those that say', KB, share(1, 2)),
    c('is absent when no article says who wrote it', KB_UNATTRIBUTED, absent(TOO_LITTLE)),
    never('knowledge articles'),
  ],
  'kb.partner_authored.count': [
    c('counts the published articles a partner wrote', KB, count(1, 3)),
    c('is absent when no article says who wrote it', KB_UNATTRIBUTED, absent(TOO_LITTLE)),
    never('knowledge articles'),
  ],
  'kb.plans_article.count': [
    c('counts published articles describing plans or SLAs', KB, count(2, 3)),
    c('is zero when no published article describes them', KB_UNATTRIBUTED, count(0, 1)),
    never('knowledge articles'),
  ],
  'automations.count': [
    c(
      'counts active automations, per kind',
      AUTOMATIONS,
      count(4, 4, { breakdown: { bot: 1, macro: 2, trigger: 1 } }),
    ),
    c(
      "leaves out the rules a new Zendesk account ships with, unchanged, and counts the team's",
      STOCK_AND_TEAM,
      count(2, 13, { breakdown: { macro: 1, trigger: 1, shipped: 11 } }),
    ),
    c(
      'counts a shipped rule once the team has changed it',
      STOCK_EDITED,
      count(1, 11, { breakdown: { trigger: 1, shipped: 10 } }),
    ),
    c(
      'counts rules made early when they are too few to be a shipped batch',
      EARLY_PAIR,
      count(2, 2, { breakdown: { macro: 2 } }),
    ),
    zero('automations', { breakdown: {} }),
    never('automations'),
  ],
  'automations.bots.count': [
    c('counts active bots', AUTOMATIONS, count(1, 4)),
    c('is zero when no automation is a bot', NO_BOTS, count(0, 1)),
    never('automations'),
  ],
  'csat.response_rate': [
    c('is the share of surveys sent in the window that were answered', CSAT, share(4, 10)),
    c('is absent when no survey was sent', EMPTY, absent(TOO_LITTLE)),
    never('satisfaction ratings'),
  ],
  'csat.score': [
    c('is the share of answered surveys rated good', CSAT, share(3, 4)),
    c('is absent when no survey was answered', CSAT_UNANSWERED, absent(TOO_LITTLE)),
    never('satisfaction ratings'),
  ],
  'csat.answered.count': [
    c('counts the surveys answered in the window', CSAT, count(4, 10)),
    c('is zero when surveys were sent and none was answered', CSAT_UNANSWERED, count(0, 2)),
    never('satisfaction ratings'),
  ],
  'tickets.channels.count': [
    c(
      'counts channels carrying 5%+ of customer requests (not monitoring or bots)',
      CHANNELS,
      count(2, 100, { breakdown: { email: 0.7, web: 0.28, phone: 0.02 } }),
    ),
    noField('channel', 'channels'),
  ],
  'tickets.per_agent_monthly_cv': [
    c(
      'is the variation of monthly requests per assignee over whole months, gaps left out',
      STAFFING,
      count(0.559, 5, {
        window: 'P6M',
        breakdown: { '2026-01': 10, '2026-02': 10, '2026-03': 20, '2026-05': 30, '2026-06': 10 },
      }),
      '6m',
    ),
    c(
      'counts only the months inside the window',
      STAFFING,
      count(0.5471, 4, {
        window: 'P5M',
        breakdown: { '2026-02': 10, '2026-03': 20, '2026-05': 30, '2026-06': 10 },
      }),
      '5m',
    ),
    c('is absent with fewer than three full months', STAFFING, absent(TOO_LITTLE)),
    noField('assignee', 'assignees'),
  ],
  'tickets.hour_coverage': [
    c(
      'is the share of UTC hours holding a meaningful part of the solves',
      HOURS,
      count(0.5, 121, { sources: ['tickets.solved_at'] }),
    ),
    c('is absent under 100 solved customer requests', FEW_SOLVED, absent(TOO_LITTLE)),
    noField('solved', 'resolution times'),
  ],
  'tickets.partner_share': [
    c(
      'is the share of requests in groups of known status that partner groups handle',
      PARTNER,
      share(40, 80),
    ),
    c('is a real zero when partner groups handle nothing', NO_PARTNER_WORK, share(0, 12)),
    c('is absent when groups were never delivered', BARE_TICKETS, absent(NEVER('groups'))),
  ],
  'partner.segment_ownership': [
    c(
      'is the largest share of a 30+ ticket segment that partner groups handle',
      PARTNER,
      count(1, 40, {
        breakdown: {
          'category:billing': 1,
          'hours:8-16': 0.5,
          'category:hardware': 0,
          'tier:1': 0,
        },
        sources: [
          'tickets',
          'groups (partner by flag, mapping or name)',
          'largest: category:billing (40 tickets)',
        ],
      }),
    ),
    c(
      "does not take one customer's or one channel's tickets for a segment the partner owns",
      PARTNER_CUSTOMER_AND_CHANNEL,
      count(0.4, 100, {
        breakdown: {
          'hours:8-16': 0.4,
          'category:billing': 0.4,
          'category:hardware': 0.4,
          'tier:1': 0,
        },
        sources: [
          'tickets',
          'groups (partner by flag, mapping or name)',
          'largest: hours:8-16 (100 tickets)',
        ],
      }),
    ),
    c('is absent when no segment holds 30 tickets', PARTNER_SMALL, absent(TOO_LITTLE)),
    c('is absent when partner groups handle nothing', NO_PARTNER_WORK, absent(TOO_LITTLE)),
    c('is absent when groups were never delivered', BARE_TICKETS, absent(NEVER('groups'))),
  ],
  'organisations.count': [
    c('counts customer organisations', ORGANISATIONS, count(3, 3)),
    zero('organisations'),
    never('organisations'),
  ],
  'organisations.csm_share': [
    c('is the share of organisations with a CSM, of those that say', ORGANISATIONS, share(1, 2)),
    c(
      'is absent when no organisation says',
      { organisations: [{ sourceId: 'o1' }] },
      absent(TOO_LITTLE),
    ),
    never('organisations'),
  ],
};

const rows = Object.entries(table).flatMap(([id, cases]) => cases.map((c) => ({ id, ...c })));

describe('the metrics table', () => {
  it('has a row for every metric of the catalogue, and none for a metric it lacks', () => {
    expect(Object.keys(table).sort()).toEqual([...metricCatalogue.keys()].sort());
  });

  it('checks a value and an absence for every metric', () => {
    for (const [id, cases] of Object.entries(table)) {
      expect(
        cases.some((c) => !('absent' in c.want)),
        `${id}: a case with a value`,
      ).toBe(true);
      expect(
        cases.some((c) => 'absent' in c.want),
        `${id}: a case where it is absent`,
      ).toBe(true);
    }
  });

  // An id built from a template string cannot be found by searching for it.
  it.each(metricDefinitions)('finds every id of $name written literally in its file', (def) => {
    const source = readFileSync(new URL(`../src/metrics/${def.name}.ts`, import.meta.url), 'utf8');
    for (const { id } of def.metrics) expect(source, id).toContain(`'${id}'`);
  });
});

describe.each(backends)('evidence metrics on $name', (backend) => {
  let store: Store;
  let n = 0;
  /** Each record set is imported once per window, into an account of its own. */
  const computed = new Map<string, ReturnType<typeof evidenceFor>>();
  async function evidenceFor(records: Records, window: string) {
    // `import records` refuses a file with no kinds; the store can still hold an account
    // that delivered nothing, which is what these rows measure.
    const { batch, fields } =
      Object.keys(records).length === 0
        ? { batch: {}, fields: {} }
        : parseRecordsWithFields(records);
    const { account } = await importRecords(store, `m${n++}`, batch, 'import', fields);
    const coverage = await store.coverage(account.id);
    const { metrics, absent } = await computeEvidence({
      db: store.queryDb(),
      accountId: account.id,
      window: parseWindow(window, AS_OF),
      covered: coverage.kinds,
      fields: coverage.fields,
      derived: coverage.derived,
    });
    return { metrics: new Map(metrics.map((m) => [m.id, m])), absent };
  }
  const evidence = (records: Records, window = '90d') => {
    const key = `${window} ${JSON.stringify(records)}`;
    if (!computed.has(key)) computed.set(key, evidenceFor(records, window));
    return computed.get(key)!;
  };

  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => store.close());

  it.each(rows)('$id $does', async ({ id, records, window, want }) => {
    const { metrics, absent } = await evidence(records, window);
    if ('absent' in want) {
      expect(metrics.get(id)).toBeUndefined();
      expect(absent[id]).toBe(want.absent);
    } else {
      const m = metrics.get(id);
      expect(m).toMatchObject({ unit: metricCatalogue.get(id)?.unit, window: 'P90D', ...want });
      // What a case leaves out, the metric must not carry: only proportions have an interval.
      expect(m?.interval).toEqual(want.interval);
      expect(m?.breakdown).toEqual(want.breakdown);
      expect(m?.undetermined).toEqual(want.undetermined);
      expect(absent[id]).toBeUndefined();
    }
  });
});

describe('window parsing', () => {
  it.each([
    ['90d', 'P90D', 90],
    ['30d', 'P30D', 30],
    ['P7D', 'P7D', 7],
  ])('reads %s as %s', (spec, iso, days) => {
    const w = parseWindow(spec, '2026-06-30');
    expect(w.spec).toBe(iso);
    expect((w.to.getTime() - w.from!.getTime()) / 86_400_000).toBe(days);
  });

  it.each(['ninety', '0d', '-3d', '90y'])('rejects --window %s with a clear message', (spec) => {
    expect(() => parseWindow(spec, undefined)).toThrow(/--window must/);
  });

  it('rejects an --as-of that is not a date', () => {
    expect(() => parseWindow('90d', 'yesterday')).toThrow(/--as-of must be a date/);
  });
});
