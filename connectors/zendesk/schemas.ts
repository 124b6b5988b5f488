import { z } from 'zod';

/**
 * Zendesk's vendor shapes, as documented on developer.zendesk.com. Loose on purpose: Zendesk adds
 * fields often, so unknown keys pass and only the fields we read are checked. Envelopes (the page
 * around the items) are parsed strictly enough to paginate; items are parsed one by one so that a
 * single bad record is quarantined instead of failing the page.
 */

const zid = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const nullableId = zid.nullish();
const time = z.string().min(1);
/** An event's time: the export's position depends on it, so it must read as a date. */
const eventTime = time.refine((t) => !Number.isNaN(Date.parse(t)), 'is not a date');
const minutes = z.object({ calendar: z.number().nullish(), business: z.number().nullish() });

// https://developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user
export const ZendeskMe = z.object({
  user: z.looseObject({
    id: z.number().int().nullable(),
    name: z.string().nullish(),
    email: z.string().nullish(),
    role: z.string().nullish(),
  }),
});

// https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/
export const ZendeskTicket = z.looseObject({
  id: zid,
  created_at: time,
  updated_at: time.nullish(),
  status: z.string(),
  priority: z.string().nullish(),
  type: z.string().nullish(),
  via: z.looseObject({ channel: z.union([z.string(), z.number()]).nullish() }).nullish(),
  group_id: nullableId,
  assignee_id: nullableId,
  organization_id: nullableId,
  problem_id: nullableId,
  has_incidents: z.boolean().nullish(),
  tags: z.array(z.string()).nullish(),
});
export type ZendeskTicket = z.infer<typeof ZendeskTicket>;

// https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metrics/
export const ZendeskMetricSet = z.looseObject({
  ticket_id: zid,
  solved_at: time.nullish(),
  reopens: z.number().int().nullish(),
  replies: z.number().int().nullish(),
  group_stations: z.number().int().nullish(),
  assignee_stations: z.number().int().nullish(),
  reply_time_in_minutes: minutes.nullish(),
  full_resolution_time_in_minutes: minutes.nullish(),
});
export type ZendeskMetricSet = z.infer<typeof ZendeskMetricSet>;

// https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
export const ZendeskTicketCursorPage = z.object({
  tickets: z.array(z.unknown()),
  metric_sets: z.array(z.unknown()).nullish(),
  after_cursor: z.string().nullish(),
  end_of_stream: z.boolean(),
});
export type ZendeskTicketCursorPage = z.infer<typeof ZendeskTicketCursorPage>;

// https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metric_events/
export const ZendeskMetricEvent = z.looseObject({
  id: zid,
  ticket_id: zid,
  metric: z.string(),
  instance_id: z.number().int().nullish(),
  type: z.string(),
  time: eventTime,
  sla: z
    .looseObject({
      target: z.number().nullish(),
      target_in_seconds: z.number().nullish(),
      business_hours: z.boolean().nullish(),
      policy: z.looseObject({ id: nullableId, title: z.string().nullish() }).nullish(),
    })
    .nullish(),
  status: minutes.nullish(),
  deleted: z.boolean().nullish(),
});
export type ZendeskMetricEvent = z.infer<typeof ZendeskMetricEvent>;

// https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/ (time-based)
export const ZendeskMetricEventPage = z.object({
  ticket_metric_events: z.array(z.unknown()),
  next_page: z.string().nullish(),
  count: z.number().int().nullish(),
  end_time: z.number().nullish(),
  end_of_stream: z.boolean().nullish(),
});
export type ZendeskMetricEventPage = z.infer<typeof ZendeskMetricEventPage>;

const condition = z.looseObject({
  field: z.string(),
  operator: z.string().nullish(),
  value: z.unknown(),
});
const conditions = z
  .object({ all: z.array(condition).nullish(), any: z.array(condition).nullish() })
  .nullish();

// https://developer.zendesk.com/api-reference/ticketing/business-rules/sla_policies/
export const ZendeskSlaPolicy = z.looseObject({
  id: zid,
  title: z.string().min(1),
  description: z.string().nullish(),
  filter: conditions,
  policy_metrics: z
    .array(
      z.looseObject({
        priority: z.string(),
        metric: z.string(),
        target: z.number().nullish(),
        target_in_seconds: z.number().nullish(),
        business_hours: z.boolean().nullish(),
      }),
    )
    .nullish(),
  created_at: time.nullish(),
  updated_at: time.nullish(),
});
export type ZendeskSlaPolicy = z.infer<typeof ZendeskSlaPolicy>;

// https://developer.zendesk.com/api-reference/ticketing/organizations/organization_fields/
export const ZendeskOrganizationField = z.looseObject({
  id: zid,
  key: z.string(),
  title: z.string().nullish(),
  type: z.string().nullish(),
  active: z.boolean().nullish(),
  custom_field_options: z.array(z.looseObject({ name: z.string(), value: z.string() })).nullish(),
});
export type ZendeskOrganizationField = z.infer<typeof ZendeskOrganizationField>;

// https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/
export const ZendeskOrganization = z.looseObject({
  id: zid,
  name: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  organization_fields: z.record(z.string(), z.unknown()).nullish(),
  created_at: time.nullish(),
});
export type ZendeskOrganization = z.infer<typeof ZendeskOrganization>;

// https://developer.zendesk.com/api-reference/ticketing/groups/groups/
export const ZendeskGroup = z.looseObject({
  id: zid,
  name: z.string(),
  deleted: z.boolean().nullish(),
  created_at: time.nullish(),
});
export type ZendeskGroup = z.infer<typeof ZendeskGroup>;

// https://developer.zendesk.com/api-reference/ticketing/groups/group_memberships/
export const ZendeskGroupMembership = z.looseObject({ user_id: zid, group_id: zid });

// https://developer.zendesk.com/api-reference/ticketing/users/users/
export const ZendeskUser = z.looseObject({
  id: zid,
  name: z.string().nullish(),
  role: z.string(),
  role_type: z.number().int().nullish(),
  active: z.boolean().nullish(),
  suspended: z.boolean().nullish(),
  created_at: time.nullish(),
});
export type ZendeskUser = z.infer<typeof ZendeskUser>;

// https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/ (triggers, automations alike)
export const ZendeskRule = z.looseObject({
  id: zid,
  title: z.string().nullish(),
  active: z.boolean().nullish(),
  created_at: time.nullish(),
  updated_at: time.nullish(),
});
export type ZendeskRule = z.infer<typeof ZendeskRule>;

// https://developer.zendesk.com/api-reference/help_center/help-center-api/articles/
export const ZendeskArticle = z.looseObject({
  id: zid,
  title: z.string().nullish(),
  draft: z.boolean().nullish(),
  outdated: z.boolean().nullish(),
  created_at: time,
  updated_at: time.nullish(),
  edited_at: time.nullish(),
  vote_sum: z.number().int().nullish(),
  author_id: nullableId,
});
export type ZendeskArticle = z.infer<typeof ZendeskArticle>;

// https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/
export const ZendeskSatisfactionRating = z.looseObject({
  id: zid,
  ticket_id: nullableId,
  score: z.string(),
  created_at: time,
});
export type ZendeskSatisfactionRating = z.infer<typeof ZendeskSatisfactionRating>;

/** A list page: cursor pagination (meta/links) or offset pagination (next_page). */
export const listEnvelope = (key: string) =>
  z.object({
    [key]: z.array(z.unknown()),
    meta: z.object({ has_more: z.boolean(), after_cursor: z.string().nullish() }).nullish(),
    next_page: z.string().nullish(),
  });
