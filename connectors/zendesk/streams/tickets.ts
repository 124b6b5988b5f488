import type { TicketFieldFamily } from '../../../src/domain/fields.js';
import { Ticket, type Priority } from '../../../src/domain/records.js';
import type { PageResult, StreamDefinition } from '../../shared/define-connector.js';
import { parseItems, ZendeskApi } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { isoOrUndefined, mapPage } from '../map-page.js';
import { ZendeskMetricSet, ZendeskTicket, type ZendeskTicketCursorPage } from '../schemas.js';
import { exportStart, heldStart, historyDate, neededStart } from './export-start.js';
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
  /** The incremental export's position: the last page's after_cursor. */
  cursor?: string;
  /** Epoch seconds where the tickets held start (0: all history); absent in older cursors. */
  from?: number;
  /** A backfill in progress: exports from `from` and stops at `until`, the start held before. */
  backfill?: { from: number; until: number; cursor?: string };
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

/** Field families every exported ticket carries (the metric set is sideloaded with it). */
const FAMILIES: TicketFieldFamily[] = [
  'priority',
  'channel',
  'tags',
  'assignee',
  'group',
  'organisation',
  'reopens',
  'reassignments',
  'firstResponse',
  'replies',
  'solved',
  'problem',
];

/** The epoch second Zendesk orders the export by (generated_timestamp, else updated_at). */
function stampOf(raw: unknown): number | undefined {
  const r = raw as { generated_timestamp?: unknown; updated_at?: unknown } | null;
  if (typeof r?.generated_timestamp === 'number') return r.generated_timestamp;
  const t = typeof r?.updated_at === 'string' ? Date.parse(r.updated_at) : NaN;
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

/**
 * One export page ► what to commit. With `until`, only tickets last changed before it are taken
 * (a backfill: those from `until` on are held already) and `reached` says the page got there.
 */
function readPage(
  page: ZendeskTicketCursorPage,
  config: ZendeskConfig,
  until?: number,
): { result: Omit<PageResult, 'cursor'>; reached: boolean } {
  const sets = parseItems(ZendeskMetricSet, page.metric_sets ?? []);
  const byTicket = new Map(sets.items.map((m) => [m.ticket_id, m]));
  const deleted: string[] = [];
  const live: unknown[] = [];
  let reached = false;
  for (const raw of page.tickets) {
    const at = until === undefined ? undefined : stampOf(raw);
    if (at !== undefined && at >= until!) {
      reached = true;
      continue;
    }
    const r = raw as { id?: unknown; status?: unknown } | null;
    if (r?.status === 'deleted' && r.id != null) deleted.push(String(r.id));
    else live.push(raw);
  }
  const { records, invalid } = mapPage(
    live,
    ZendeskTicket,
    (t) => toTicket(t, byTicket.get(t.id), config),
    Ticket,
  );
  // Without configured knowledge tags, a default one on some ticket shows the convention is used.
  const knowledge = !config.knowledgeTags?.length && records.some((t) => t.knowledgeLinked);
  return {
    result: {
      records: { tickets: records },
      deletes: { tickets: deleted },
      quarantined: [...invalid, ...sets.invalid],
      ...(knowledge ? { fields: { tickets: ['knowledge'] } } : {}),
    },
    reached,
  };
}

const endless = () =>
  new Error('Zendesk ended a ticket export page without end_of_stream or after_cursor');

/**
 * The incremental pass follows the saved cursor to end_of_stream. When the caller needs history
 * from before the start held (`from`), a backfill exports from the needed start and stops at the
 * first ticket last changed at or after the held start: those are stored and kept current by the
 * incremental cursor. The backfill keeps its own cursor, so a killed one resumes where it stopped
 * and the incremental cursor is never disturbed; once done, the held start moves back.
 */
export const tickets: StreamDefinition<ZendeskConfig> = {
  name: 'tickets',
  kinds: ['tickets'],
  fields: (config) => ({
    tickets: config.knowledgeTags?.length ? [...FAMILIES, 'knowledge'] : FAMILIES,
  }),
  async sync(ctx) {
    const api = new ZendeskApi(ctx.client);
    const saved = (ctx.cursor ?? {}) as TicketCursor;
    const needed = neededStart(ctx.historyFrom);
    const now = ctx.now();
    let state: TicketCursor = {
      ...saved,
      from: saved.cursor
        ? heldStart(saved.from, ctx.config, now)
        : (saved.from ?? exportStart(ctx.config, now, needed)),
    };
    for (;;) {
      const page = await api.ticketsExport(
        state.cursor ? { cursor: state.cursor } : { startTime: state.from! },
      );
      const { result } = readPage(page, ctx.config);
      if (page.after_cursor) state = { ...state, cursor: page.after_cursor };
      await ctx.commit({ ...result, cursor: state });
      if (page.end_of_stream) break;
      if (!page.after_cursor) throw endless();
    }
    while (state.backfill || (needed !== undefined && needed < state.from!)) {
      const bf = state.backfill ?? { from: needed!, until: state.from! };
      const page = await api.ticketsExport(
        bf.cursor ? { cursor: bf.cursor } : { startTime: bf.from },
      );
      const { result, reached } = readPage(page, ctx.config, bf.until);
      if (reached || page.end_of_stream) {
        const { backfill: _, ...rest } = state;
        state = { ...rest, from: bf.from };
      } else if (page.after_cursor) {
        state = { ...state, backfill: { ...bf, cursor: page.after_cursor } };
      } else {
        throw endless();
      }
      await ctx.commit({ ...result, cursor: state });
    }
    return { historyFrom: historyDate(state.from!) };
  },
};
