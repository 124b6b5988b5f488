import { z } from 'zod';
import { jsonTextProblem, textProblem } from './text.js';

/**
 * Normalised records: what every connector turns a helpdesk's API into.
 * Times are ISO-8601 strings with a zone; ids are the source tool's ids as strings.
 * Optional fields are absent when the tool does not know them (never guessed).
 */

/**
 * The rules every value follows at the boundary, so that what passes is what PostgreSQL stores:
 * - text: no NUL character and no lone surrogate (see textProblem); PostgreSQL refuses both;
 * - whole numbers: within PostgreSQL's int (−2,147,483,648 to 2,147,483,647), the columns' type;
 * - numbers of minutes: finite (JSON's 1e400 parses as Infinity);
 * - times: ISO-8601 with a zone, a real calendar day, from 1970 to 2100. No helpdesk record is
 *   older than 1970, and a year like 0000 (which PostgreSQL refuses) or 9999 is a typo or a
 *   placeholder, never evidence. A zone's offset is at most 15:59 either way, as PostgreSQL
 *   takes (no place on Earth is past +14:00).
 * A failure's message is a phrase that follows the field's name, quoting the value (`shown`).
 */
const text = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .superRefine((s, ctx) => {
      const problem = textProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: s });
    });

export const INT_MIN = -2_147_483_648;
export const INT_MAX = 2_147_483_647;
const whole = (min: number, max = INT_MAX) =>
  z
    .number({ error: (i) => `must be a whole number (got ${shown(i.input)})` })
    .int({ error: (i) => `must be a whole number (got ${shown(i.input)})` })
    .min(min, {
      error: (i) => `must be a whole number from ${min} to ${max} (got ${shown(i.input)})`,
    })
    .max(max, {
      error: (i) => `must be a whole number from ${min} to ${max} (got ${shown(i.input)})`,
    });

export const EARLIEST = Date.UTC(1970, 0, 1);
/** The first instant past the range: 2101-01-01T00:00:00Z. */
export const LATEST = Date.UTC(2101, 0, 1);

/** Why an instant (ms since the epoch) is outside 1970–2100, or undefined when it is inside. */
export function dateRangeProblem(ms: number): string | undefined {
  return ms >= EARLIEST && ms < LATEST ? undefined : 'must be a date from 1970 to 2100';
}

/** Why a date-time's zone offset is past what PostgreSQL takes (±15:59), or undefined. */
function offsetProblem(s: string): string | undefined {
  const hours = /[+-](\d\d):\d\d$/.exec(s)?.[1];
  return hours !== undefined && Number(hours) > 15
    ? 'must have a zone offset from -15:59 to +15:59'
    : undefined;
}

const time = z.iso
  .datetime({
    offset: true,
    error: (i) =>
      `must be an ISO-8601 date-time with a zone on a real calendar day, like 2026-06-01T09:12:00Z (got ${shown(i.input)})`,
  })
  .superRefine((s, ctx) => {
    const problem = dateRangeProblem(Date.parse(s)) ?? offsetProblem(s);
    if (problem)
      ctx.addIssue({ code: 'custom', message: `${problem} (got ${shown(s)})`, input: s });
  });

/** A number of minutes (float8 columns): finite, at least 0 (`positive`: above 0). */
const minutes = (o: { positive?: boolean } = {}) => {
  const n = z.number({ error: (i) => `must be a number of minutes (got ${shown(i.input)})` });
  return o.positive
    ? n.positive({ error: (i) => `must be above 0 (got ${shown(i.input)})` })
    : n.min(0, { error: (i) => `must be 0 or more (got ${shown(i.input)})` });
};

/** A value as a message quotes it: JSON (NUL and lone surrogates escaped), cut at 60 characters. */
export function shown(v: unknown): string {
  const s = typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

const id = text(1, 200);
const count = whole(0);

export const Priority = z.enum(['urgent', 'high', 'normal', 'low']);
export type Priority = z.infer<typeof Priority>;

export const TicketStatus = z.enum(['new', 'open', 'pending', 'hold', 'solved', 'closed']);

export const Ticket = z.strictObject({
  sourceId: id,
  createdAt: time,
  updatedAt: time.optional(),
  solvedAt: time.optional(),
  closedAt: time.optional(),
  priority: Priority.optional(),
  status: TicketStatus,
  /** email, web, phone, chat, api, messaging, monitoring, bot, ... (lower case) */
  channel: text(1, 50).optional(),
  groupId: id.optional(),
  assigneeId: id.optional(),
  organisationId: id.optional(),
  /** Product line, category or service the request is about (segments partner ownership). */
  category: text(1, 200).optional(),
  /** Country, location or region of the requester or of the team (segments partner ownership). */
  region: text(1, 200).optional(),
  reopenCount: count.optional(),
  reassignmentCount: count.optional(),
  /** The ticket was linked to, or resolved with, a knowledge article. */
  knowledgeLinked: z.boolean().optional(),
  /** The ticket is linked to a problem, change or engineering issue. */
  problemLinked: z.boolean().optional(),
  /** Stored in lower case: tags are matched by name, and Zendesk's are case-insensitive. */
  tags: z
    .array(text(0, 200).transform((t) => t.toLowerCase()))
    .max(500)
    .default([]),
  firstResponseMinutes: minutes().optional(),
  agentReplies: count.optional(),
  /** Tool-reported "made SLA" flag, where the tool has no per-target outcomes. */
  madeSla: z.boolean().optional(),
  slaPolicyId: id.optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const SlaMetric = z.enum([
  'first_reply_time',
  'next_reply_time',
  'requester_wait_time',
  'agent_work_time',
  'resolution_time',
  'periodic_update_time',
]);
export type SlaMetric = z.infer<typeof SlaMetric>;

export const SlaTarget = z.strictObject({
  priority: Priority,
  metric: SlaMetric,
  targetMinutes: minutes({ positive: true }),
  businessHours: z.boolean(),
});

export const SlaPolicy = z.strictObject({
  sourceId: id,
  name: text(1, 500),
  /** SLA with customers, OLA with internal teams, UC with external providers. */
  kind: z.enum(['sla', 'ola', 'uc']).default('sla'),
  targets: z.array(SlaTarget).max(200).default([]),
  /** Conditions the tool uses to apply the policy (e.g. organisation tier), kept as given. */
  conditions: z
    .array(
      z.record(z.string(), z.unknown()).superRefine((c, ctx) => {
        const problem = jsonTextProblem(c);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, input: c });
      }),
    )
    .max(200)
    .default([]),
  createdAt: time.optional(),
  updatedAt: time.optional(),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export const SlaOutcome = z.strictObject({
  sourceId: id,
  ticketId: id,
  metric: SlaMetric,
  targetMinutes: minutes({ positive: true }).optional(),
  status: z.enum(['met', 'breached', 'active']),
  measuredMinutes: minutes().optional(),
  /** When the target was fulfilled or breached (absent while active). */
  completedAt: time.optional(),
});
export type SlaOutcome = z.infer<typeof SlaOutcome>;

export const PlanService = z.enum([
  'onboarding',
  'csm',
  'proactive_alerts',
  'recommendations',
  'consulting',
  'training',
]);

export const Plan = z.strictObject({
  sourceId: id,
  name: text(1, 500),
  /** Rank of the plan among the portfolio: 1 is the base plan, higher is premium. */
  tier: whole(1, 20).optional(),
  slaPolicyId: id.optional(),
  customerCount: count.optional(),
  /** Published to customers (help-centre page, contract annex). */
  documented: z.boolean().optional(),
  services: z.array(PlanService).default([]),
  /**
   * Found only by a name (an organisation field or tags named like plans), with no SLA policy or
   * catalogue saying so: it may be a sales tier rather than a support plan.
   */
  guessed: z.boolean().optional(),
  createdAt: time.optional(),
  updatedAt: time.optional(),
});
export type Plan = z.infer<typeof Plan>;

export const Organisation = z.strictObject({
  sourceId: id,
  name: text(0, 500).optional(),
  planId: id.optional(),
  tags: z.array(text(0, 200)).max(500).default([]),
  /** A named customer-success manager is assigned. */
  hasCsm: z.boolean().optional(),
  createdAt: time.optional(),
});
export type Organisation = z.infer<typeof Organisation>;

export const Agent = z.strictObject({
  sourceId: id,
  name: text(0, 500).optional(),
  role: z.enum(['agent', 'admin', 'light', 'knowledge', 'other']).default('agent'),
  groupIds: z.array(id).max(500).default([]),
  active: z.boolean().default(true),
  /** Works for a support partner / outsourcer rather than the company itself. */
  partner: z.boolean().optional(),
  createdAt: time.optional(),
});
export type Agent = z.infer<typeof Agent>;

export const Group = z.strictObject({
  sourceId: id,
  name: text(1, 500),
  /** Vendor or partner team. */
  partner: z.boolean().optional(),
  createdAt: time.optional(),
});
export type Group = z.infer<typeof Group>;

export const Automation = z.strictObject({
  sourceId: id,
  kind: z.enum(['macro', 'trigger', 'automation', 'workflow', 'form', 'bot']),
  name: text(0, 500).optional(),
  active: z.boolean().default(true),
  createdAt: time.optional(),
  updatedAt: time.optional(),
});
export type Automation = z.infer<typeof Automation>;

export const KbArticle = z.strictObject({
  sourceId: id,
  title: text(0, 1000).optional(),
  state: z.enum(['draft', 'published', 'outdated', 'retired']),
  createdAt: time,
  updatedAt: time.optional(),
  views: count.optional(),
  votes: whole(INT_MIN).optional(),
  authorId: id.optional(),
  /** Written by a partner / outsourcer. */
  partnerAuthored: z.boolean().optional(),
});
export type KbArticle = z.infer<typeof KbArticle>;

export const SatisfactionRating = z.strictObject({
  sourceId: id,
  ticketId: id.optional(),
  /** offered = survey sent, not answered; good/bad = answered. */
  score: z.enum(['offered', 'good', 'bad']),
  createdAt: time,
});
export type SatisfactionRating = z.infer<typeof SatisfactionRating>;

/** The record kinds, by the key they take in an import file and in the store. */
export const recordSchemas = {
  tickets: Ticket,
  slaPolicies: SlaPolicy,
  slaOutcomes: SlaOutcome,
  plans: Plan,
  organisations: Organisation,
  agents: Agent,
  groups: Group,
  automations: Automation,
  kbArticles: KbArticle,
  satisfactionRatings: SatisfactionRating,
} as const;

export type RecordKind = keyof typeof recordSchemas;
export const recordKinds = Object.keys(recordSchemas) as RecordKind[];
export type RecordOf<K extends RecordKind> = z.infer<(typeof recordSchemas)[K]>;
export type RecordInputOf<K extends RecordKind> = z.input<(typeof recordSchemas)[K]>;

export type RecordBatch = { [K in RecordKind]?: RecordOf<K>[] };
