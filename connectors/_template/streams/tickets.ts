import { z } from 'zod';
import { TicketStatus, type Ticket } from '../../../src/domain/records.js';
import { ticketCheck } from '../../../src/domain/ticket-check.js';
import { defineStream } from '../../shared/define-connector.js';
import { checked, mapPage, type Mapped } from '../../shared/map-page.js';
import { TemplateApi } from '../client.js';
import type { TemplateConfig } from '../config.js';
import type { TemplateTicket } from '../schemas.js';

/** Where a pass stopped: the next page to read. */
export const TicketsCursor = z.object({ page: z.number().int().min(1) });
export type TicketsCursor = z.infer<typeof TicketsCursor>;

/** Vendor ticket ► domain ticket. Pure: no I/O, no clock; test it with a plain object. */
export function toTicket(t: TemplateTicket): Mapped<Ticket> {
  const status = TicketStatus.safeParse(t.status);
  if (!status.success) return { ok: false, error: `status "${t.status}" is not a ticket status` };
  return checked(ticketCheck, {
    sourceId: t.id,
    createdAt: t.created_at,
    status: status.data,
    ...(t.priority ? { priority: t.priority } : {}),
  });
}

/**
 * Every ticket, page by page, each page committed with the next page's number: a killed sync
 * resumes there. A full pass (`fullRefresh`): what it did not see again is deleted at its end.
 */
export const tickets = defineStream<TemplateConfig, TicketsCursor>({
  name: 'tickets',
  kinds: ['tickets'],
  cursor: TicketsCursor,
  fullRefresh: true,
  // The ticket field families it delivers (src/domain/fields.ts): the metrics over the others
  // (tags, first response, reopens…) stay unknown rather than zero.
  fields: () => ({ tickets: ['priority'] }),
  async sync(ctx) {
    const api = new TemplateApi(ctx.client);
    let page = ctx.cursor?.page ?? 1;
    for (;;) {
      const res = await api.ticketsPage(page);
      const { records, quarantined } = mapPage(res, toTicket);
      await ctx.commit({
        records: { tickets: records },
        quarantined,
        cursor: res.next ? { page: res.next } : null,
      });
      if (!res.next) return;
      page = res.next;
    }
  },
});
