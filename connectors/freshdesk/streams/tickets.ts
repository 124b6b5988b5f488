import { z } from 'zod';
import { SlaOutcome } from '../../../src/domain/records.js';
import { ticketCheck } from '../../../src/domain/ticket-check.js';
import { MaturityError } from '../../../src/errors.js';
import { defineStream, type PageResult } from '../../shared/define-connector.js';
import { mapPage, type Invalid } from '../../shared/map-page.js';
import { FreshdeskApi } from '../client.js';
import type { FreshdeskConfig } from '../config.js';
import type { FreshdeskTicket } from '../schemas.js';
import { EPOCH, firstStart, historyDate, isoSeconds, needsEarlier } from './history.js';
import { outcomeIds, toSlaOutcomes, toTicket } from './map-ticket.js';

/** Where a read of the ticket list stands: the updated_since it asks with, and the page. */
const Position = z.object({ since: z.string(), page: z.number().int().min(1) });
type Position = z.infer<typeof Position>;

export const TicketCursor = Position.extend({
  /** Where the tickets held start (ISO; null: all history). */
  from: z.string().nullable(),
  /** A backfill in progress: reads from an earlier start up to `until`, the start held before. */
  backfill: Position.extend({ from: z.string().nullable(), until: z.string() }).optional(),
  /** The deleted and spam lists being read after a pass. */
  purge: z
    .object({ filter: z.enum(['deleted', 'spam']), page: z.number().int().min(1) })
    .optional(),
});
export type TicketCursor = z.infer<typeof TicketCursor>;

/** What every listed ticket vouches for, its stats included (src/domain/fields.ts). */
const FAMILIES = [
  'priority',
  'channel',
  'tags',
  'assignee',
  'group',
  'organisation',
  'reopens',
  'firstResponse',
  'solved',
] as const;

/** One page of the list ► what to commit, and the latest updated_at it holds. */
function readPage(
  items: Awaited<ReturnType<FreshdeskApi['tickets']>>['items'],
  now: Date,
  until?: number,
): { result: Omit<PageResult, 'cursor'>; last?: number; reached: boolean } {
  const live: FreshdeskTicket[] = [];
  const bad: Invalid[] = [];
  const gone: string[] = [];
  let last: number | undefined;
  let reached = false;
  for (const item of items) {
    const at = item.updatedAt ? Date.parse(item.updatedAt) : undefined;
    if (at !== undefined) last = Math.max(last ?? at, at);
    // A backfill stops at the tickets the incremental pass holds and keeps current.
    if (until !== undefined && at !== undefined && at >= until) {
      reached = true;
      continue;
    }
    if ('invalid' in item) bad.push(item.invalid);
    else if (item.ticket.deleted || item.ticket.spam) gone.push(item.ticket.id);
    else live.push(item.ticket);
  }
  const tickets = mapPage(
    { items: live, invalid: bad },
    (t) => ({ ok: true, record: toTicket(t) }),
    {
      domain: ticketCheck,
    },
  );
  const kept = new Set(tickets.records.map((t) => t.sourceId));
  const outcomes = mapPage(
    { items: live.filter((t) => kept.has(t.id)).flatMap((t) => toSlaOutcomes(t, now)) },
    (o) => ({ ok: true, record: o }),
    { domain: SlaOutcome, id: (o) => o.sourceId },
  );
  return {
    result: {
      records: { tickets: tickets.records, slaOutcomes: outcomes.records },
      deletes: { tickets: gone, slaOutcomes: gone.flatMap(outcomeIds) },
      quarantined: [...tickets.quarantined, ...outcomes.quarantined],
    },
    ...(last !== undefined ? { last } : {}),
    reached,
  };
}

/**
 * Where the next request goes after a page, or null when the list is read to its end.
 *
 * Freshdesk pages by number over a list that moves: a ticket updated during the read jumps to the
 * end, the ones after it shift one place back, and the page that follows would skip one. So once a
 * page ends more than a second past its updated_since, the read starts again at page 1 from one
 * second before the page's last updated_at (the boundary is read twice: records are upserted, none
 * is lost whether updated_since is inclusive or not). Only while the tickets of a page all share
 * that second does it follow the `link` header to the next page of the same updated_since; the
 * documented ceiling (300 pages of one query) is never passed: a single second holding more
 * tickets than that is said, not skipped.
 */
function advance(
  at: Position,
  next: number | undefined,
  last: number | undefined,
  ceiling: number,
) {
  if (next === undefined) {
    const moved = last !== undefined && last - 1000 > Date.parse(at.since);
    return { done: true, position: { since: moved ? isoSeconds(last - 1000) : at.since, page: 1 } };
  }
  if (last !== undefined && last - 1000 > Date.parse(at.since))
    return { done: false, position: { since: isoSeconds(last - 1000), page: 1 } };
  if (next > ceiling)
    throw new MaturityError(
      'E_CONNECTOR_RESPONSE',
      `Freshdesk lists more than ${ceiling} pages of tickets updated at ${at.since}, past its page limit: they cannot be read by updated_since`,
    );
  return { done: false, position: { since: at.since, page: next } };
}

/**
 * Tickets with their stats, and their SLA outcomes, read by `updated_since` in updated order
 * (https://developers.freshdesk.com/api/#list_all_tickets). The incremental pass reads from the
 * saved position to the end of the list and keeps, for the next sync, the position one second
 * before the last ticket read. When a snapshot needs history from before the start held, a
 * backfill reads from that earlier start and stops at the first ticket updated at or after the
 * start held (those are held and kept current). Then the deleted and spam lists (which the plain
 * list leaves out) remove the tickets stored earlier that went there. Every page is committed with
 * its position: a killed sync resumes at the page it had not stored.
 */
export const tickets = defineStream<FreshdeskConfig, TicketCursor>({
  name: 'tickets',
  kinds: ['tickets', 'slaOutcomes'],
  cursor: TicketCursor,
  fields: () => ({ tickets: FAMILIES }),
  async sync(ctx) {
    const api = new FreshdeskApi(ctx.client);
    const now = ctx.now();
    const ceiling = ctx.config.pageCeiling;
    let state: TicketCursor =
      ctx.cursor ??
      (() => {
        const from = firstStart(ctx.config, now, ctx.historyFrom);
        return { since: from ?? EPOCH, page: 1, from };
      })();
    const commit = (result: Omit<PageResult, 'cursor'>) => ctx.commit({ ...result, cursor: state });

    // The incremental pass, always first: a purge a killed run left unfinished starts again after it.
    for (;;) {
      const page = await api.tickets({ since: state.since, page: state.page });
      if (page.beyond) throw beyond(state, page.beyond);
      const { result, last } = readPage(page.items, now);
      const step = advance(state, page.next, last, ceiling);
      state = { ...state, ...step.position };
      if (step.done) state = { ...state, purge: { filter: 'deleted', page: 1 } };
      await commit(result);
      if (step.done) break;
    }

    // A backfill of history from before the start held.
    while (state.backfill || needsEarlier(ctx.historyFrom, state.from)) {
      const needed = ctx.historyFrom === null ? null : isoSeconds(ctx.historyFrom!.getTime());
      const bf = state.backfill ?? {
        since: needed ?? EPOCH,
        page: 1,
        from: needed,
        until: state.from!,
      };
      const page = await api.tickets({ since: bf.since, page: bf.page });
      if (page.beyond) throw beyond(bf, page.beyond);
      const { result, last, reached } = readPage(page.items, now, Date.parse(bf.until));
      const step = advance(bf, page.next, last, ceiling);
      if (reached || step.done) {
        const { backfill: _, ...rest } = state;
        state = { ...rest, from: bf.from, purge: { filter: 'deleted', page: 1 } };
      } else state = { ...state, backfill: { ...bf, ...step.position } };
      await commit(result);
    }

    // The deleted and spam lists: the tickets stored earlier that went there are removed.
    while (state.purge) {
      const { filter, page: at } = state.purge;
      const page = await api.tickets({ since: state.from ?? EPOCH, page: at, filter });
      const warnings: string[] = [];
      if (page.beyond)
        warnings.push(
          `Freshdesk did not list its ${filter} tickets (${page.beyond}): tickets moved there since the last sync are still counted`,
        );
      const ids = page.items.flatMap((i) =>
        'ticket' in i ? [i.ticket.id] : i.invalid.sourceId ? [i.invalid.sourceId] : [],
      );
      let next = page.beyond ? undefined : page.next;
      if (next !== undefined && next > ceiling) {
        warnings.push(
          `Freshdesk lists more than ${ceiling} pages of ${filter} tickets: the rest are not removed`,
        );
        next = undefined;
      }
      const { purge: _, ...rest } = state;
      state = next
        ? { ...state, purge: { filter, page: next } }
        : filter === 'deleted'
          ? { ...state, purge: { filter: 'spam', page: 1 } }
          : rest;
      await ctx.commit({
        deletes: { tickets: ids, slaOutcomes: ids.flatMap(outcomeIds) },
        ...(warnings.length ? { warnings } : {}),
        cursor: state,
      });
    }
    return { historyFrom: historyDate(state.from) };
  },
});

const beyond = (at: Position, why: string) =>
  new MaturityError(
    'E_CONNECTOR_RESPONSE',
    `Freshdesk refused page ${at.page} of tickets updated since ${at.since} (${why})`,
  );
