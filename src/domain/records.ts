import { z } from 'zod';

/**
 * Normalised records: what every connector turns a helpdesk's API into.
 * Times are ISO-8601 strings with a zone; ids are the source tool's ids as strings.
 * Optional fields are absent when the tool does not know them (never guessed).
 */

const id = z.string().min(1).max(200);
const time = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);

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
  channel: z.string().min(1).max(50).optional(),
  groupId: id.optional(),
  assigneeId: id.optional(),
  organisationId: id.optional(),
  /** Product line, category or service the request is about (segments partner ownership). */
  category: z.string().min(1).max(200).optional(),
  /** Country, location or region of the requester or of the team (segments partner ownership). */
  region: z.string().min(1).max(200).optional(),
  reopenCount: count.optional(),
  reassignmentCount: count.optional(),
  /** The ticket was linked to, or resolved with, a knowledge article. */
  knowledgeLinked: z.boolean().optional(),
  /** The ticket is linked to a problem, change or engineering issue. */
  problemLinked: z.boolean().optional(),
  /** Stored in lower case: tags are matched by name, and Zendesk's are case-insensitive. */
  tags: z
    .array(
      z
        .string()
        .max(200)
        .transform((t) => t.toLowerCase()),
    )
    .max(500)
    .default([]),
  firstResponseMinutes: z.number().min(0).optional(),
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
  targetMinutes: z.number().positive(),
  businessHours: z.boolean(),
});

export const SlaPolicy = z.strictObject({
  sourceId: id,
  name: z.string().min(1).max(500),
  /** SLA with customers, OLA with internal teams, UC with external providers. */
  kind: z.enum(['sla', 'ola', 'uc']).default('sla'),
  targets: z.array(SlaTarget).max(200).default([]),
  /** Conditions the tool uses to apply the policy (e.g. organisation tier), kept as given. */
  conditions: z.array(z.record(z.string(), z.unknown())).max(200).default([]),
  createdAt: time.optional(),
  updatedAt: time.optional(),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export const SlaOutcome = z.strictObject({
  sourceId: id,
  ticketId: id,
  metric: SlaMetric,
  targetMinutes: z.number().positive().optional(),
  status: z.enum(['met', 'breached', 'active']),
  measuredMinutes: z.number().min(0).optional(),
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
  name: z.string().min(1).max(500),
  /** Rank of the plan among the portfolio: 1 is the base plan, higher is premium. */
  tier: z.number().int().min(1).max(20).optional(),
  slaPolicyId: id.optional(),
  customerCount: count.optional(),
  /** Published to customers (help-centre page, contract annex). */
  documented: z.boolean().optional(),
  services: z.array(PlanService).default([]),
  createdAt: time.optional(),
  updatedAt: time.optional(),
});
export type Plan = z.infer<typeof Plan>;

export const Organisation = z.strictObject({
  sourceId: id,
  name: z.string().max(500).optional(),
  planId: id.optional(),
  tags: z.array(z.string().max(200)).max(500).default([]),
  /** A named customer-success manager is assigned. */
  hasCsm: z.boolean().optional(),
  createdAt: time.optional(),
});
export type Organisation = z.infer<typeof Organisation>;

export const Agent = z.strictObject({
  sourceId: id,
  name: z.string().max(500).optional(),
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
  name: z.string().min(1).max(500),
  /** Vendor or partner team. */
  partner: z.boolean().optional(),
  createdAt: time.optional(),
});
export type Group = z.infer<typeof Group>;

export const Automation = z.strictObject({
  sourceId: id,
  kind: z.enum(['macro', 'trigger', 'automation', 'workflow', 'form', 'bot']),
  name: z.string().max(500).optional(),
  active: z.boolean().default(true),
  createdAt: time.optional(),
  updatedAt: time.optional(),
});
export type Automation = z.infer<typeof Automation>;

export const KbArticle = z.strictObject({
  sourceId: id,
  title: z.string().max(1000).optional(),
  state: z.enum(['draft', 'published', 'outdated', 'retired']),
  createdAt: time,
  updatedAt: time.optional(),
  views: count.optional(),
  votes: z.number().int().optional(),
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
