import { generateOrganisation } from '../demo/generate-org.js';
import type { Profile } from '../demo/profiles.js';
import type { RecordBatch } from '../domain/records.js';

/**
 * A profile's organisation (src/demo) dressed as a Zendesk account: the same facts, in the
 * shapes Zendesk's API documents. Ids become numbers in Zendesk's style; channels, plans, CSMs,
 * knowledge links and reassignments are expressed the way a real account records them (via
 * channel, an organisation dropdown field keyed by SLA policies, a lookup field, a tag, metric
 * sets). Pure and deterministic: the same profile, size, seed and clock give the same account.
 */
export interface ZendeskData {
  me: Record<string, unknown>;
  tickets: Record<string, unknown>[];
  /** Sideloaded with the ticket export, by ticket id. */
  metricSets: Map<number, Record<string, unknown>>;
  metricEvents: Record<string, unknown>[];
  slaPolicies: Record<string, unknown>[];
  groupSlaPolicies: Record<string, unknown>[];
  organizationFields: Record<string, unknown>[];
  organizations: Record<string, unknown>[];
  groups: Record<string, unknown>[];
  groupMemberships: Record<string, unknown>[];
  users: Record<string, unknown>[];
  macros: Record<string, unknown>[];
  triggers: Record<string, unknown>[];
  automations: Record<string, unknown>[];
  articles: Record<string, unknown>[];
  satisfactionRatings: Record<string, unknown>[];
}

export interface ZendeskDataOptions {
  tickets: number;
  now: Date;
  seed?: number;
  /** Days of history the tickets spread over (default 180). */
  days?: number;
}

const OFFSETS = {
  group: 360_000_000_000,
  user: 370_000_000_000,
  org: 380_000_000_000,
  sla: 390_000_000,
  ola: 391_000_000,
  macro: 400_000_000,
  trigger: 410_000_000,
  automation: 420_000_000,
  article: 430_000_000_000,
  rating: 440_000_000_000,
  field: 450_000_000,
  membership: 460_000_000,
} as const;

/** `g3` ► 360000000003: the generator's ids with Zendesk-sized numbers. */
const num = (kind: keyof typeof OFFSETS, id: string) =>
  OFFSETS[kind] + Number(id.replace(/^\D+/, ''));
/** Zendesk timestamps have whole seconds. */
export const zTime = (iso: string | number) =>
  new Date(typeof iso === 'number' ? iso : Date.parse(iso)).toISOString().replace(/\.\d{3}Z$/, 'Z');
const planValue = (name: string) => name.toLowerCase().replace(/\s+/g, '_');
const CHANNEL_TO_ZENDESK: Record<string, string> = { phone: 'voice', monitoring: 'api' };

export function buildZendeskData(profile: Profile, o: ZendeskDataOptions): ZendeskData {
  const org = generateOrganisation(profile, {
    tickets: o.tickets,
    now: o.now,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.days !== undefined ? { days: o.days } : {}),
  });
  return toZendeskData(org, o.now);
}

export function toZendeskData(org: Required<RecordBatch>, now: Date): ZendeskData {
  const base = 'https://demo.zendesk.com/api/v2';
  const old = zTime(now.getTime() - 400 * 86_400_000);

  const groups = org.groups.map((g) => ({
    url: `${base}/groups/${num('group', g.sourceId)}.json`,
    id: num('group', g.sourceId),
    name: g.name,
    description: '',
    default: g.sourceId === 'g1',
    deleted: false,
    created_at: zTime(g.createdAt ?? old),
    updated_at: zTime(g.createdAt ?? old),
  }));
  const users = org.agents.map((a, i) => ({
    url: `${base}/users/${num('user', a.sourceId)}.json`,
    id: num('user', a.sourceId),
    name: a.name ?? `Agent ${i + 1}`,
    email: `agent${i + 1}@demo.example`,
    role: a.role === 'admin' ? 'admin' : 'agent',
    role_type: a.role === 'admin' ? 4 : null,
    custom_role_id: null,
    active: a.active,
    suspended: false,
    verified: true,
    time_zone: 'UTC',
    locale: 'en-US',
    default_group_id: a.groupIds[0] ? num('group', a.groupIds[0]) : null,
    organization_id: null,
    tags: [],
    user_fields: {},
    created_at: zTime(a.createdAt ?? old),
    updated_at: zTime(a.createdAt ?? old),
  }));
  let membershipId = 0;
  const groupMemberships = org.agents.flatMap((a) =>
    a.groupIds.map((g, k) => ({
      url: `${base}/group_memberships/${OFFSETS.membership + ++membershipId}.json`,
      id: OFFSETS.membership + membershipId,
      user_id: num('user', a.sourceId),
      group_id: num('group', g),
      default: k === 0,
      created_at: zTime(a.createdAt ?? old),
      updated_at: zTime(a.createdAt ?? old),
    })),
  );

  // Plans live in an organisation dropdown field; each SLA policy filters on its value.
  const planOfId = new Map(org.plans.map((p) => [p.sourceId, planValue(p.name)]));
  const organizationFields: Record<string, unknown>[] = [];
  if (org.plans.length) {
    organizationFields.push({
      url: `${base}/organization_fields/${OFFSETS.field + 1}.json`,
      id: OFFSETS.field + 1,
      type: 'dropdown',
      key: 'support_plan',
      title: 'Support plan',
      raw_title: 'Support plan',
      description: 'The support plan the customer bought',
      active: true,
      position: 0,
      custom_field_options: org.plans.map((p, i) => ({
        id: OFFSETS.field + 100 + i,
        name: p.name,
        raw_name: p.name,
        value: planValue(p.name),
      })),
      created_at: old,
      updated_at: old,
    });
  }
  const withCsm = org.organisations.some((x) => x.hasCsm !== undefined);
  if (withCsm) {
    organizationFields.push({
      url: `${base}/organization_fields/${OFFSETS.field + 2}.json`,
      id: OFFSETS.field + 2,
      type: 'lookup',
      key: 'customer_success_manager',
      title: 'Customer success manager',
      raw_title: 'Customer success manager',
      relationship_target_type: 'zen:user',
      active: true,
      position: 1,
      created_at: old,
      updated_at: old,
    });
  }
  const csmUser = users[0]?.id ?? null;
  const organizations = org.organisations.map((x) => ({
    url: `${base}/organizations/${num('org', x.sourceId)}.json`,
    id: num('org', x.sourceId),
    name: x.name ?? null,
    shared_tickets: false,
    shared_comments: false,
    external_id: null,
    domain_names: [],
    details: null,
    notes: null,
    group_id: null,
    tags: x.tags,
    organization_fields: {
      ...(org.plans.length
        ? { support_plan: x.planId ? (planOfId.get(x.planId) ?? null) : null }
        : {}),
      ...(withCsm ? { customer_success_manager: x.hasCsm ? csmUser : null } : {}),
    },
    created_at: zTime(x.createdAt ?? old),
    updated_at: zTime(x.createdAt ?? old),
  }));

  const policyOf = (p: (typeof org.slaPolicies)[number], i: number, group: boolean) => ({
    url: `${base}/${group ? 'group_slas' : 'slas'}/policies/${num(group ? 'ola' : 'sla', p.sourceId)}.json`,
    id: num(group ? 'ola' : 'sla', p.sourceId),
    title: p.name,
    description: `${p.name} targets`,
    position: i + 1,
    filter: group
      ? {
          all: [{ field: 'group_id', operator: 'includes', value: groups.map((g) => g.id) }],
          any: [],
        }
      : {
          all: [
            {
              field: 'organization.custom_fields.support_plan',
              operator: 'is',
              value: planValue(org.plans.find((x) => x.slaPolicyId === p.sourceId)?.name ?? p.name),
            },
          ],
          any: [],
        },
    policy_metrics: p.targets.map((t) => ({
      priority: t.priority,
      metric: group ? 'group_ownership_time' : t.metric,
      target: t.targetMinutes,
      business_hours: t.businessHours,
    })),
    created_at: zTime(p.createdAt ?? old),
    updated_at: zTime(p.updatedAt ?? p.createdAt ?? old),
  });
  const slaPolicies = org.slaPolicies
    .filter((p) => p.kind === 'sla')
    .map((p, i) => policyOf(p, i, false));
  const groupSlaPolicies = org.slaPolicies
    .filter((p) => p.kind !== 'sla')
    .map((p, i) => policyOf(p, i, true));
  const slaById = new Map(org.slaPolicies.map((p) => [p.sourceId, p]));

  const rule = (kind: 'macro' | 'trigger' | 'automation') =>
    org.automations
      .filter((a) => a.kind === kind)
      .map((a, i) => ({
        url: `${base}/${kind}s/${num(kind, a.sourceId)}.json`,
        id: num(kind, a.sourceId),
        title: a.name ?? `${kind} ${i + 1}`,
        raw_title: a.name ?? `${kind} ${i + 1}`,
        active: a.active,
        position: i,
        description: null,
        actions: [{ field: 'status', value: 'open' }],
        ...(kind === 'macro' ? { restriction: null } : { conditions: { all: [], any: [] } }),
        // A team rule without dates: made the day after the account, edited the day after.
        created_at: zTime(a.createdAt ?? now.getTime() - 399 * 86_400_000),
        updated_at: zTime(a.updatedAt ?? a.createdAt ?? now.getTime() - 398 * 86_400_000),
      }));

  // What every new Zendesk account holds before anyone configures it: the standard rules,
  // created with the account and (here) never changed. Their ids sit apart from the team's.
  const standard: Record<'macro' | 'trigger' | 'automation', [string, boolean][]> = {
    macro: [
      ['Close and redirect to topics', true],
      ['Customer not responding', true],
      ['Downgrade and inform', true],
      ['Take it!', true],
    ],
    trigger: [
      ['Notify requester of received request', true],
      ['Notify requester of comment update', true],
      ['Notify assignee of comment update', true],
      ['Notify assignee of assignment', true],
      ['Notify assignee of reopened ticket', true],
      ['Notify group of assignment', true],
      ['Notify all agents of received request', true],
      ['Auto-assign to first email responding agent', false],
    ],
    automation: [
      ['Close ticket 4 days after status is set to solved', true],
      ['Pending notification 24 hours', false],
      ['Pending notification 5 days', false],
    ],
  };
  const shipped = (kind: 'macro' | 'trigger' | 'automation') =>
    standard[kind].map(([title, active], i) => ({
      url: `${base}/${kind}s/${num(kind, `s${900_000 + i}`)}.json`,
      id: num(kind, `s${900_000 + i}`),
      title,
      raw_title: title,
      active,
      position: 1000 + i,
      description: null,
      actions: [{ field: 'status', value: 'open' }],
      ...(kind === 'macro' ? { restriction: null } : { conditions: { all: [], any: [] } }),
      created_at: old,
      updated_at: old,
    }));

  const articles = org.kbArticles.map((k, i) => ({
    id: num('article', k.sourceId),
    url: `https://demo.zendesk.com/api/v2/help_center/en-us/articles/${num('article', k.sourceId)}.json`,
    html_url: `https://demo.zendesk.com/hc/en-us/articles/${num('article', k.sourceId)}`,
    author_id: k.authorId ? num('user', k.authorId) : null,
    comments_disabled: false,
    draft: k.state === 'draft',
    promoted: false,
    position: i,
    vote_sum: k.votes ?? 0,
    vote_count: Math.abs(k.votes ?? 0),
    section_id: 470_000_000_001,
    created_at: zTime(k.createdAt),
    updated_at: zTime(k.updatedAt ?? k.createdAt),
    edited_at: zTime(k.updatedAt ?? k.createdAt),
    name: k.title ?? `Article ${i + 1}`,
    title: k.title ?? `Article ${i + 1}`,
    source_locale: 'en-us',
    locale: 'en-us',
    outdated: k.state === 'outdated',
    outdated_locales: [],
    permission_group_id: 1,
    user_segment_id: null,
    label_names: [],
    body: '<p>…</p>',
  }));

  const outcomeOf = new Map(org.slaOutcomes.map((x) => [x.ticketId, x]));
  const metricSets = new Map<number, Record<string, unknown>>();
  const metricEvents: Record<string, unknown>[] = [];
  let eventId = 480_000_000_000;
  const event = (ticketId: number, type: string, time: string, extra: object = {}) =>
    metricEvents.push({
      id: ++eventId,
      ticket_id: ticketId,
      metric: 'reply_time',
      instance_id: 1,
      type,
      time: zTime(time),
      ...extra,
    });
  const firstProblem = org.tickets.find((t) => t.problemLinked);
  const tickets = org.tickets.map((t) => {
    const id = Number(t.sourceId);
    const tags = [...t.tags];
    if (t.channel === 'monitoring') tags.push('monitoring');
    if (t.knowledgeLinked) tags.push('kb_linked');
    const assignee = t.assigneeId ? num('user', t.assigneeId) : null;
    const created = zTime(t.createdAt);
    const solved = t.solvedAt ? zTime(t.solvedAt) : null;
    const reply = t.firstResponseMinutes ?? null;
    const resolution = solved
      ? Math.round((Date.parse(solved) - Date.parse(created)) / 60_000)
      : null;
    metricSets.set(id, {
      url: `${base}/ticket_metrics/${id + 9_000_000}.json`,
      id: id + 9_000_000,
      ticket_id: id,
      created_at: created,
      updated_at: zTime(t.updatedAt ?? t.createdAt),
      group_stations: 1,
      assignee_stations: 1 + (t.reassignmentCount ?? 0),
      reopens: t.reopenCount ?? 0,
      replies: t.agentReplies ?? 0,
      assignee_updated_at: created,
      requester_updated_at: created,
      status_updated_at: zTime(t.updatedAt ?? t.createdAt),
      initially_assigned_at: created,
      assigned_at: created,
      solved_at: solved,
      latest_comment_added_at: zTime(t.updatedAt ?? t.createdAt),
      reply_time_in_minutes: { calendar: reply, business: reply },
      first_resolution_time_in_minutes: { calendar: resolution, business: resolution },
      full_resolution_time_in_minutes: { calendar: resolution, business: resolution },
      agent_wait_time_in_minutes: { calendar: 0, business: 0 },
      requester_wait_time_in_minutes: { calendar: resolution, business: resolution },
      on_hold_time_in_minutes: { calendar: 0, business: 0 },
    });
    // Metric events: reply_time starts at creation; an SLA applies when the plan has one.
    event(id, 'activate', t.createdAt);
    const outcome = outcomeOf.get(t.sourceId);
    const policy = t.slaPolicyId ? slaById.get(t.slaPolicyId) : undefined;
    if (outcome && policy) {
      const target = policy.targets.find(
        (x) => x.priority === (t.priority ?? 'normal') && x.metric === 'first_reply_time',
      );
      event(id, 'apply_sla', t.createdAt, {
        sla: {
          target: target?.targetMinutes ?? 60,
          business_hours: target?.businessHours ?? false,
          policy: {
            id: num('sla', policy.sourceId),
            title: policy.name,
            description: `${policy.name} targets`,
          },
        },
      });
      const done = Date.parse(outcome.completedAt ?? t.createdAt);
      if (outcome.status === 'breached') {
        const due = Date.parse(t.createdAt) + (target?.targetMinutes ?? 60) * 60_000;
        const at = Math.max(Date.parse(t.createdAt) + 1000, Math.min(due, done - 1000));
        event(id, 'breach', zTime(at), { deleted: false });
      }
      event(id, 'fulfill', zTime(done));
      event(id, 'update_status', zTime(done), {
        status: { calendar: outcome.measuredMinutes ?? 0, business: outcome.measuredMinutes ?? 0 },
      });
    } else if (reply !== null && t.status !== 'open') {
      event(
        id,
        'fulfill',
        zTime(Math.min(now.getTime(), Date.parse(t.createdAt) + reply * 60_000)),
      );
    }
    return {
      url: `${base}/tickets/${id}.json`,
      id,
      external_id: null,
      via: {
        channel: t.channel ? (CHANNEL_TO_ZENDESK[t.channel] ?? t.channel) : 'web',
        source: { from: {}, to: {}, rel: null },
      },
      created_at: created,
      updated_at: zTime(t.updatedAt ?? t.createdAt),
      generated_timestamp: Math.floor(Date.parse(t.updatedAt ?? t.createdAt) / 1000),
      type: t.problemLinked ? 'incident' : null,
      subject: `Request ${id}`,
      raw_subject: `Request ${id}`,
      description: 'Generated by the maturity simulator',
      priority: t.priority ?? null,
      status: t.status,
      recipient: null,
      requester_id: 490_000_000_000 + (id % 5000),
      submitter_id: 490_000_000_000 + (id % 5000),
      assignee_id: assignee,
      organization_id: t.organisationId ? num('org', t.organisationId) : null,
      group_id: t.groupId ? num('group', t.groupId) : null,
      collaborator_ids: [],
      follower_ids: [],
      email_cc_ids: [],
      forum_topic_id: null,
      problem_id: t.problemLinked && firstProblem ? Number(firstProblem.sourceId) : null,
      has_incidents: false,
      is_public: true,
      due_at: null,
      tags,
      custom_fields: [],
      satisfaction_rating: null,
      sharing_agreement_ids: [],
      fields: [],
      followup_ids: [],
      ticket_form_id: 360_000_389_592,
      brand_id: 360_002_256_672,
      allow_channelback: false,
      allow_attachments: true,
    };
  });
  metricEvents.sort((a, b) =>
    a.time === b.time
      ? (a.id as number) - (b.id as number)
      : String(a.time) < String(b.time)
        ? -1
        : 1,
  );
  tickets.sort((a, b) =>
    a.generated_timestamp === b.generated_timestamp
      ? a.id - b.id
      : a.generated_timestamp - b.generated_timestamp,
  );

  const satisfactionRatings = org.satisfactionRatings.map((r) => {
    const ticket = r.ticketId ? Number(r.ticketId) : null;
    return {
      url: `${base}/satisfaction_ratings/${OFFSETS.rating + Number(r.ticketId ?? 0)}.json`,
      id: OFFSETS.rating + Number(r.sourceId.replace(/^\D+/, '')),
      assignee_id: null,
      group_id: null,
      requester_id: ticket ? 490_000_000_000 + (ticket % 5000) : null,
      ticket_id: ticket,
      score: r.score,
      comment: null,
      created_at: zTime(r.createdAt),
      updated_at: zTime(r.createdAt),
    };
  });

  const admin = users.find((u) => u.role === 'admin') ?? users[0];
  return {
    me: admin ?? {},
    tickets,
    metricSets,
    metricEvents,
    slaPolicies,
    groupSlaPolicies,
    organizationFields,
    organizations,
    groups,
    groupMemberships,
    users,
    macros: [...shipped('macro'), ...rule('macro')],
    triggers: [...shipped('trigger'), ...rule('trigger')],
    automations: [...shipped('automation'), ...rule('automation')],
    articles,
    satisfactionRatings,
  };
}
