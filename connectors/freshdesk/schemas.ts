import { z } from 'zod';

/**
 * Freshdesk's vendor shapes, as the API v2 reference documents them
 * (https://developers.freshdesk.com/api/). Loose on purpose: unknown keys pass and only the
 * fields we read are checked. Every list answers with a bare JSON array; items are parsed one by
 * one so that a single bad record is quarantined instead of failing the page.
 */

const fid = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const nullableId = fid.nullish();
const time = z.string().min(1);
const ids = z.array(fid).nullish();

/** A list page: Freshdesk answers every list with a JSON array (the next page is in `link`). */
export const ListBody = z.array(z.unknown());

// https://developers.freshdesk.com/api/#me (View the currently authenticated agent) and
// https://developers.freshdesk.com/api/#list_all_agents
export const FreshdeskAgent = z.looseObject({
  id: fid,
  /** support_agent, field_agent or collaborator. */
  type: z.string().nullish(),
  occasional: z.boolean().nullish(),
  contact: z
    .looseObject({
      name: z.string().nullish(),
      email: z.string().nullish(),
      active: z.boolean().nullish(),
    })
    .nullish(),
  group_ids: ids,
  role_ids: ids,
  created_at: time.nullish(),
});
export type FreshdeskAgent = z.infer<typeof FreshdeskAgent>;

// https://developers.freshdesk.com/api/#list_all_tickets (include=stats)
export const FreshdeskStats = z.looseObject({
  first_responded_at: time.nullish(),
  agent_responded_at: time.nullish(),
  resolved_at: time.nullish(),
  closed_at: time.nullish(),
  reopened_at: time.nullish(),
});

/** The time the list is ordered by: it must read as a date, the sync's position depends on it. */
const orderTime = time.refine((t) => !Number.isNaN(Date.parse(t)), 'is not a date');

export const FreshdeskTicket = z.looseObject({
  id: fid,
  created_at: time,
  updated_at: orderTime,
  /** 2 open, 3 pending, 4 resolved, 5 closed; custom statuses from 6 on. */
  status: z.number().int(),
  /** 1 low, 2 medium, 3 high, 4 urgent. */
  priority: z.number().int().nullish(),
  /** 1 email, 2 portal, 3 phone, 7 chat, 9 feedback widget, 10 outbound email. */
  source: z.number().int().nullish(),
  group_id: nullableId,
  responder_id: nullableId,
  company_id: nullableId,
  tags: z.array(z.string()).nullish(),
  fr_due_by: time.nullish(),
  due_by: time.nullish(),
  fr_escalated: z.boolean().nullish(),
  is_escalated: z.boolean().nullish(),
  spam: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
  stats: FreshdeskStats.nullish(),
});
export type FreshdeskTicket = z.infer<typeof FreshdeskTicket>;

const target = z.looseObject({
  respond_within: z.number().nullish(),
  next_respond_within: z.number().nullish(),
  resolve_within: z.number().nullish(),
  business_hours: z.boolean().nullish(),
});

// https://developers.freshdesk.com/api/#sla-policies
export const FreshdeskSlaPolicy = z.looseObject({
  id: fid,
  name: z.string().min(1),
  active: z.boolean().nullish(),
  is_default: z.boolean().nullish(),
  /** priority_1 (low) … priority_4 (urgent): targets in seconds. */
  sla_target: z.record(z.string(), target).nullish(),
  applicable_to: z
    .looseObject({
      company_ids: ids,
      group_ids: ids,
      sources: z.array(z.number()).nullish(),
      ticket_types: z.array(z.string()).nullish(),
      product_ids: ids,
    })
    .nullish(),
  created_at: time.nullish(),
  updated_at: time.nullish(),
});
export type FreshdeskSlaPolicy = z.infer<typeof FreshdeskSlaPolicy>;

// https://developers.freshdesk.com/api/#groups
export const FreshdeskGroup = z.looseObject({
  id: fid,
  name: z.string().min(1),
  agent_ids: ids,
  created_at: time.nullish(),
});
export type FreshdeskGroup = z.infer<typeof FreshdeskGroup>;

// https://developers.freshdesk.com/api/#roles
export const FreshdeskRole = z.looseObject({ id: fid, name: z.string() });
export type FreshdeskRole = z.infer<typeof FreshdeskRole>;

// https://developers.freshdesk.com/api/#companies
export const FreshdeskCompany = z.looseObject({
  id: fid,
  name: z.string().nullish(),
  /** A default company field on current accounts (Basic, Premium, Enterprise…). */
  account_tier: z.string().nullish(),
  custom_fields: z.record(z.string(), z.unknown()).nullish(),
  created_at: time.nullish(),
});
export type FreshdeskCompany = z.infer<typeof FreshdeskCompany>;

// https://developers.freshdesk.com/api/#automations (1 ticket creation, 3 time triggers, 4 ticket updates)
export const FreshdeskRule = z.looseObject({
  id: fid,
  name: z.string().nullish(),
  active: z.boolean().nullish(),
  created_at: time.nullish(),
  updated_at: time.nullish(),
});
export type FreshdeskRule = z.infer<typeof FreshdeskRule>;
/** The rules list: documented as `{rules: […]}`; a bare array is read too. */
export const RulesBody = z.union([z.array(z.unknown()), z.object({ rules: z.array(z.unknown()) })]);

// https://developers.freshdesk.com/api/#solutions
export const FreshdeskCategory = z.looseObject({ id: fid, name: z.string().nullish() });
export const FreshdeskFolder = z.looseObject({
  id: fid,
  name: z.string().nullish(),
  sub_folders_count: z.number().int().nullish(),
});
export type FreshdeskFolder = z.infer<typeof FreshdeskFolder>;
export const FreshdeskArticle = z.looseObject({
  id: fid,
  title: z.string().nullish(),
  /** 1 draft, 2 published. */
  status: z.number().int(),
  hits: z.number().int().nullish(),
  thumbs_up: z.number().int().nullish(),
  thumbs_down: z.number().int().nullish(),
  agent_id: nullableId,
  created_at: time,
  updated_at: time.nullish(),
  modified_at: time.nullish(),
});
export type FreshdeskArticle = z.infer<typeof FreshdeskArticle>;

// https://developers.freshdesk.com/api/#satisfaction-ratings
export const FreshdeskRating = z.looseObject({
  id: fid,
  ticket_id: nullableId,
  /** Question id ► answer: 103 … 101 happy, 100 neutral, -101 … -103 unhappy. */
  ratings: z.record(z.string(), z.number()),
  created_at: time,
});
export type FreshdeskRating = z.infer<typeof FreshdeskRating>;
