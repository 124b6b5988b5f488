import { Ticket, type Priority } from '../../../src/domain/records.js';
import type { StreamDefinition } from '../../shared/define-connector.js';
import { parseItems, ZendeskApi } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { isoOrUndefined, mapPage } from '../map-page.js';
import { ZendeskMetricSet, ZendeskTicket } from '../schemas.js';

const DAY_MS = 86_400_000;
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

export interface TicketCursor {
  cursor?: string;
}

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
  if (!STATUSES.has(t.status)) throw new Error(`status "${t.status}" is not a Zendesk status`);
  const tags = t.tags ?? [];
  const rawChannel = t.via?.channel == null ? undefined : String(t.via.channel).toLowerCase();
  const channel = rawChannel ? (CHANNELS[rawChannel] ?? rawChannel) : undefined;
  const knowledge = o.knowledgeTags?.length
    ? tags.some((g) => o.knowledgeTags!.includes(g))
    : tags.some((g) => DEFAULT_KNOWLEDGE_TAGS.test(g));
  const stations = Math.max(m?.group_stations ?? 0, m?.assignee_stations ?? 0);
  const reply = m?.reply_time_in_minutes?.calendar;
  const solvedAt = isoOrUndefined(m?.solved_at);
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

/** Where the first export starts: the configured date, or two years back. */
export function exportStart(config: ZendeskConfig, now: Date): number {
  const from = config.since ? Date.parse(config.since) : now.getTime() - 730 * DAY_MS;
  return Math.floor(from / 1000);
}

export const tickets: StreamDefinition<ZendeskConfig> = {
  name: 'tickets',
  kinds: ['tickets'],
  async sync(ctx) {
    const api = new ZendeskApi(ctx.client);
    let state = (ctx.cursor ?? {}) as TicketCursor;
    for (;;) {
      const page = await api.ticketsExport(
        state.cursor ? { cursor: state.cursor } : { startTime: exportStart(ctx.config, ctx.now()) },
      );
      const sets = parseItems(ZendeskMetricSet, page.metric_sets ?? []);
      const byTicket = new Map(sets.items.map((m) => [m.ticket_id, m]));
      const deleted: string[] = [];
      const live = page.tickets.filter((raw) => {
        const r = raw as { id?: unknown; status?: unknown } | null;
        if (r?.status === 'deleted' && r.id != null) {
          deleted.push(String(r.id));
          return false;
        }
        return true;
      });
      const { records, invalid } = mapPage(
        live,
        ZendeskTicket,
        (t) => toTicket(t, byTicket.get(t.id), ctx.config),
        Ticket,
      );
      state = page.after_cursor ? { cursor: page.after_cursor } : state;
      await ctx.commit({
        records: { tickets: records },
        deletes: { tickets: deleted },
        quarantined: [...invalid, ...sets.invalid],
        cursor: state,
      });
      if (page.end_of_stream) return;
      if (!page.after_cursor) {
        throw new Error('Zendesk ended a ticket export page without end_of_stream or after_cursor');
      }
    }
  },
};
