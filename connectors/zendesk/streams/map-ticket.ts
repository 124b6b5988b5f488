import { MaturityError } from '../../../src/errors.js';
import type { Priority, Ticket } from '../../../src/domain/records.js';
import type { ZendeskMetricSet, ZendeskTicket } from '../schemas.js';

const STATUSES = new Set(['new', 'open', 'pending', 'hold', 'solved', 'closed']);
const PRIORITIES = new Set<string>(['urgent', 'high', 'normal', 'low']);
/** Zendesk `via.channel` names ► our channel names (the rest pass through in lower case). */
const CHANNELS: Record<string, string> = {
  voice: 'phone',
  native_messaging: 'messaging',
  chat_transcript: 'chat',
  mobile_sdk: 'mobile',
  web_widget: 'web',
  web_service: 'api',
};
/** Tags that Zendesk's integrations put on a ticket escalated to engineering (Jira, etc.). */
const ENGINEERING_TAGS =
  /^(jira_escalated|jira_linked|github_issue|linear_linked|escalated_to_engineering)$/i;
/** Default ticket tags that mean the ticket was answered with a knowledge article. */
export const DEFAULT_KNOWLEDGE_TAGS =
  /^(kb|kcs|knowledge|article)[_-]?(linked|used|attached|link|shared)$/i;

/**
 * Normalises one exported ticket and its sideloaded metric set. Reply and resolution times,
 * reopens and reassignments come from the metric set (calendar minutes); a deleted ticket is not a
 * ticket (the stream removes it).
 */
export function toTicket(
  t: ZendeskTicket,
  m: ZendeskMetricSet | undefined,
  o: { knowledgeTags?: string[] } = {},
): Ticket | undefined {
  if (!STATUSES.has(t.status))
    throw new MaturityError('E_CONNECTOR_RESPONSE', `status "${t.status}" is not a Zendesk status`);
  const tags = t.tags ?? [];
  const rawChannel = t.via?.channel == null ? undefined : String(t.via.channel).toLowerCase();
  const channel = rawChannel ? (CHANNELS[rawChannel] ?? rawChannel) : undefined;
  const knowledge = o.knowledgeTags?.length
    ? tags.some((g) => o.knowledgeTags!.includes(g))
    : tags.some((g) => DEFAULT_KNOWLEDGE_TAGS.test(g));
  const stations = Math.max(m?.group_stations ?? 0, m?.assignee_stations ?? 0);
  const reply = m?.reply_time_in_minutes?.calendar;
  // Zendesk timestamps are ISO-8601 with Z; anything else is left to the domain schema to reject.
  const solvedAt = m?.solved_at || undefined;
  return {
    sourceId: t.id,
    createdAt: t.created_at,
    ...(t.updated_at ? { updatedAt: t.updated_at } : {}),
    ...(solvedAt && (t.status === 'solved' || t.status === 'closed') ? { solvedAt } : {}),
    ...(t.priority && PRIORITIES.has(t.priority) ? { priority: t.priority as Priority } : {}),
    status: t.status as Ticket['status'],
    ...(channel ? { channel } : {}),
    ...(t.group_id ? { groupId: t.group_id } : {}),
    ...(t.assignee_id ? { assigneeId: t.assignee_id } : {}),
    ...(t.organization_id ? { organisationId: t.organization_id } : {}),
    ...(m && typeof m.reopens === 'number' ? { reopenCount: m.reopens } : {}),
    ...(m && (m.group_stations != null || m.assignee_stations != null)
      ? { reassignmentCount: Math.max(0, stations - 1) }
      : {}),
    knowledgeLinked: knowledge,
    problemLinked: Boolean(t.problem_id) || tags.some((g) => ENGINEERING_TAGS.test(g)),
    tags,
    ...(typeof reply === 'number' ? { firstResponseMinutes: reply } : {}),
    ...(m && typeof m.replies === 'number' ? { agentReplies: m.replies } : {}),
  };
}
