import { z } from 'zod';
import type { TicketFieldFamily } from '../../../src/domain/fields.js';
import { ticketCheck } from '../../../src/domain/ticket-check.js';
import { MaturityError } from '../../../src/errors.js';
import { defineStream, type PageResult } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip, type Invalid } from '../../shared/map-page.js';
import { ZendeskApi, type ExportedTicket } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import type { ZendeskMetricSet, ZendeskTicket } from '../schemas.js';
import { exportStart, heldStart, historyDate, neededStart } from './export-start.js';
import { toTicket } from './map-ticket.js';

export const TicketCursor = z.object({
  /** The incremental export's position: the last page's after_cursor. */
  cursor: z.string().optional(),
  /** Epoch seconds where the tickets held start (0: all history); absent in older cursors. */
  from: z.number().optional(),
  /** A backfill in progress: exports from `from` and stops at `until`, the start held before. */
  backfill: z
    .object({ from: z.number(), until: z.number(), cursor: z.string().optional() })
    .optional(),
});
export type TicketCursor = z.infer<typeof TicketCursor>;

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

/**
 * One export page ► what to commit. With `until`, only tickets last changed before it are taken
 * (a backfill: those from `until` on are held already) and `reached` says the page got there.
 */
function readPage(
  page: {
    tickets: ExportedTicket[];
    metricSets: { items: ZendeskMetricSet[]; invalid: Invalid[] };
  },
  config: ZendeskConfig,
  until?: number,
): { result: Omit<PageResult, 'cursor'>; reached: boolean } {
  const byTicket = new Map(page.metricSets.items.map((m) => [m.ticket_id, m]));
  const deleted: string[] = [];
  const live: ZendeskTicket[] = [];
  const bad: Invalid[] = [];
  let reached = false;
  for (const t of page.tickets) {
    if (until !== undefined && t.stamp !== undefined && t.stamp >= until) {
      reached = true;
      continue;
    }
    if ('deleted' in t) deleted.push(t.deleted);
    else if ('ticket' in t) live.push(t.ticket);
    else bad.push(t.invalid);
  }
  const { records, quarantined } = mapPage(
    { items: live, invalid: bad },
    recordOrSkip((t) => toTicket(t, byTicket.get(t.id), config)),
    { domain: ticketCheck },
  );
  // Without configured knowledge tags, a default one on some ticket shows the convention is used.
  const knowledge = !config.knowledgeTags?.length && records.some((t) => t.knowledgeLinked);
  return {
    result: {
      records: { tickets: records },
      deletes: { tickets: deleted },
      quarantined: [...quarantined, ...page.metricSets.invalid],
      ...(knowledge ? { fields: { tickets: ['knowledge'] } } : {}),
    },
    reached,
  };
}

const endless = () =>
  new MaturityError(
    'E_CONNECTOR_RESPONSE',
    'Zendesk ended a ticket export page without end_of_stream or after_cursor',
  );

/**
 * The incremental pass follows the saved cursor to end_of_stream. When the caller needs history
 * from before the start held (`from`), a backfill exports from the needed start and stops at the
 * first ticket last changed at or after the held start: those are stored and kept current by the
 * incremental cursor. The backfill keeps its own cursor, so a killed one resumes where it stopped
 * and the incremental cursor is never disturbed; once done, the held start moves back.
 */
export const tickets = defineStream<ZendeskConfig, TicketCursor>({
  name: 'tickets',
  kinds: ['tickets'],
  cursor: TicketCursor,
  fields: (config) => ({
    tickets: config.knowledgeTags?.length ? [...FAMILIES, 'knowledge'] : FAMILIES,
  }),
  async sync(ctx) {
    const api = new ZendeskApi(ctx.client);
    const saved = ctx.cursor ?? {};
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
      if (page.afterCursor) state = { ...state, cursor: page.afterCursor };
      await ctx.commit({ ...result, cursor: state });
      if (page.endOfStream) break;
      if (!page.afterCursor) throw endless();
    }
    while (state.backfill || (needed !== undefined && needed < state.from!)) {
      const bf = state.backfill ?? { from: needed!, until: state.from! };
      const page = await api.ticketsExport(
        bf.cursor ? { cursor: bf.cursor } : { startTime: bf.from },
      );
      const { result, reached } = readPage(page, ctx.config, bf.until);
      if (reached || page.endOfStream) {
        const { backfill: _, ...rest } = state;
        state = { ...rest, from: bf.from };
      } else if (page.afterCursor) {
        state = { ...state, backfill: { ...bf, cursor: page.afterCursor } };
      } else {
        throw endless();
      }
      await ctx.commit({ ...result, cursor: state });
    }
    return { historyFrom: historyDate(state.from!) };
  },
});
