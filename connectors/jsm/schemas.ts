import { z } from 'zod';

/**
 * Jira Cloud and Jira Service Management shapes: only the parts the connector reads, each with
 * the reference page it follows. Objects are loose (Jira adds fields over time); ids arrive as
 * strings (numbers are accepted and kept as strings).
 */

const Id = z.union([z.string().min(1), z.number().int()]).transform(String);

/**
 * A Jira timestamp (`2026-01-05T09:12:44.123+0100`: the offset has no colon) ► ISO-8601 in UTC.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#timestamps (fields render
 * date-times this way in issue JSON).
 */
export const JiraTime = z.string().transform((s, ctx) => {
  const ms = Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `is not a Jira date-time (got ${JSON.stringify(s)})` });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
export const JiraMyself = z.looseObject({
  accountId: z.string().min(1).optional(),
  accountType: z.string().optional(),
  emailAddress: z.string().optional(),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
  timeZone: z.string().optional(),
});
export type JiraMyself = z.infer<typeof JiraMyself>;

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get
export const JiraField = z.looseObject({
  id: z.string().min(1),
  key: z.string().optional(),
  name: z.string(),
  custom: z.boolean().optional(),
  schema: z.looseObject({ type: z.string().optional(), custom: z.string().optional() }).optional(),
});
export type JiraField = z.infer<typeof JiraField>;
export const JiraFieldList = z.array(z.unknown());

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflow-statuses/#api-rest-api-3-status-get
export const JiraStatus = z.looseObject({
  id: Id,
  name: z.string(),
  statusCategory: z.looseObject({ key: z.string() }).optional(),
});
export type JiraStatus = z.infer<typeof JiraStatus>;

/**
 * An SLA field's value on an issue, the same shape as the service desk API's SlaInformation
 * (https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-sla-get):
 * zero or more completed cycles and at most one ongoing cycle, times as `{iso8601, epochMillis}`
 * and durations as `{millis, friendly}`.
 */
const SlaDate = z.looseObject({
  iso8601: z.string().optional(),
  epochMillis: z.number().optional(),
});
const SlaDuration = z.looseObject({ millis: z.number().optional() });
export const SlaCycle = z.looseObject({
  startTime: SlaDate.optional(),
  stopTime: SlaDate.optional(),
  breachTime: SlaDate.optional(),
  breached: z.boolean().optional(),
  paused: z.boolean().optional(),
  withinCalendarHours: z.boolean().optional(),
  goalDuration: SlaDuration.optional(),
  elapsedTime: SlaDuration.optional(),
  remainingTime: SlaDuration.optional(),
});
export type SlaCycle = z.infer<typeof SlaCycle>;
export const SlaValue = z.looseObject({
  name: z.string().optional(),
  completedCycles: z.array(SlaCycle).optional(),
  ongoingCycle: SlaCycle.nullish(),
});
export type SlaValue = z.infer<typeof SlaValue>;

/** An instant of an SLA cycle, in ms since the epoch (epochMillis first, else iso8601). */
export const slaMs = (d: z.infer<typeof SlaDate> | undefined): number | undefined => {
  if (!d) return undefined;
  if (typeof d.epochMillis === 'number' && Number.isFinite(d.epochMillis)) return d.epochMillis;
  const ms = d.iso8601 ? Date.parse(d.iso8601.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

// Changelog entries, inline (expand=changelog on the search) and per issue:
// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-changelog-get
// `toString` is read as an own property: a schema key of that name would find
// Object.prototype.toString on an item that lacks it.
const ChangeItem = z
  .looseObject({
    field: z.string().optional(),
    fieldId: z.string().optional(),
    from: z.string().nullish(),
    fromString: z.string().nullish(),
    to: z.string().nullish(),
  })
  .transform((item) => {
    const to = Object.hasOwn(item, 'toString')
      ? (item as { toString?: unknown }).toString
      : undefined;
    return { ...item, toName: typeof to === 'string' ? to : undefined };
  });
export const JiraHistory = z.looseObject({
  id: Id.optional(),
  created: JiraTime,
  items: z.array(ChangeItem).default([]),
});
export type JiraHistory = z.infer<typeof JiraHistory>;
export const InlineChangelog = z.looseObject({
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  histories: z.array(JiraHistory).default([]),
});

/** The issue fields the connector asks for, by their ids on this site (fields.ts finds them). */
export interface FieldIds {
  firstResponse?: string;
  resolution?: string;
  team?: string;
  organisations?: string;
  requestType?: string;
  satisfaction?: string;
  satisfactionDate?: string;
}

const Named = z.looseObject({ id: Id.optional(), name: z.string().optional() });
/**
 * A team field's value: an Atlassian team (`{id, name}` or `{id, title}`), a group
 * (`{groupId, name}`) or a select option (`{id, value}`).
 */
const TeamValue = z.looseObject({
  id: Id.optional(),
  groupId: Id.optional(),
  name: z.string().optional(),
  title: z.string().optional(),
  value: z.string().optional(),
});
export type TeamValue = z.infer<typeof TeamValue>;

/** The issue's system fields the connector reads, and the site's custom ones by id. */
export function issueSchema(ids: FieldIds) {
  const custom: Record<string, z.ZodType> = {};
  if (ids.firstResponse) custom[ids.firstResponse] = SlaValue.nullish();
  if (ids.resolution) custom[ids.resolution] = SlaValue.nullish();
  if (ids.team) custom[ids.team] = z.union([TeamValue, z.array(TeamValue)]).nullish();
  if (ids.organisations) custom[ids.organisations] = z.array(Named).nullish();
  if (ids.requestType)
    custom[ids.requestType] = z.looseObject({ requestType: Named.optional() }).nullish();
  if (ids.satisfaction) custom[ids.satisfaction] = z.unknown().optional();
  if (ids.satisfactionDate) custom[ids.satisfactionDate] = JiraTime.nullish();
  return z.looseObject({
    id: Id,
    key: z.string().min(1),
    fields: z.looseObject({
      created: JiraTime.optional(),
      updated: JiraTime,
      resolutiondate: JiraTime.nullish(),
      status: z
        .looseObject({
          id: Id.optional(),
          name: z.string(),
          statusCategory: z.looseObject({ key: z.string() }).optional(),
        })
        .nullish(),
      priority: z.looseObject({ name: z.string() }).nullish(),
      assignee: z.looseObject({ accountId: z.string().min(1) }).nullish(),
      labels: z.array(z.string()).nullish(),
      project: z.looseObject({ key: z.string() }).nullish(),
      ...custom,
    }),
    changelog: InlineChangelog.optional(),
  });
}
export type JiraIssue = z.infer<ReturnType<typeof issueSchema>>;

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get
export const SearchBody = z.looseObject({
  issues: z.array(z.unknown()).default([]),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

/** Jira's paged lists (PageBean): startAt, maxResults, total, isLast, values. */
export const PageBean = z.looseObject({
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
  values: z.array(z.unknown()).default([]),
});

/**
 * The service desk API's paged lists (PagedDTO): size, start, limit, isLastPage, values
 * (https://developer.atlassian.com/cloud/jira/service-desk/rest/intro/#pagination).
 */
export const PagedDto = z.looseObject({
  size: z.number().optional(),
  start: z.number().optional(),
  limit: z.number().optional(),
  isLastPage: z.boolean().optional(),
  values: z.array(z.unknown()).default([]),
});

// https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/#api-rest-servicedeskapi-servicedesk-get
export const ServiceDesk = z.looseObject({
  id: Id,
  projectId: Id.optional(),
  projectKey: z.string().min(1),
  projectName: z.string().optional(),
});
export type ServiceDesk = z.infer<typeof ServiceDesk>;

// https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/#api-rest-servicedeskapi-servicedesk-servicedeskid-queue-get

// https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/#api-rest-servicedeskapi-servicedesk-servicedeskid-requesttype-get
export const RequestType = z.looseObject({
  id: Id,
  name: z.string(),
  description: z.string().optional(),
  issueTypeId: Id.optional(),
  serviceDeskId: Id.optional(),
});
export type RequestType = z.infer<typeof RequestType>;

// https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-organization/#api-rest-servicedeskapi-organization-get
export const Organization = z.looseObject({ id: Id, name: z.string() });
export type Organization = z.infer<typeof Organization>;

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-application-roles/#api-rest-api-3-applicationrole-key-get
export const ApplicationRole = z.looseObject({
  key: z.string(),
  groups: z.array(z.string()).optional(),
  groupDetails: z
    .array(z.looseObject({ name: z.string().optional(), groupId: z.string().optional() }))
    .optional(),
});
export type ApplicationRole = z.infer<typeof ApplicationRole>;

// https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-groups/#api-rest-api-3-group-member-get
export const GroupMember = z.looseObject({
  accountId: z.string().min(1),
  accountType: z.string().optional(),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
});
export type GroupMember = z.infer<typeof GroupMember>;

// https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-requestidorkey-feedback-get
export const Feedback = z.looseObject({
  type: z.string().optional(),
  rating: z.number().int().min(1).max(5),
  comment: z.looseObject({ body: z.string().optional() }).optional(),
});
export type Feedback = z.infer<typeof Feedback>;
