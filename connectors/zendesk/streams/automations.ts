import { z } from 'zod';
import { Automation } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { PageRef } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { ZendeskRule } from '../schemas.js';
import { syncList } from './paged-list.js';

type Kind = 'macro' | 'trigger' | 'automation';

/** The business-rule lists read one after the other, and the kind each becomes. */
const LISTS: { kind: Kind; path: string; key: string }[] = [
  // https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/#list-macros
  { kind: 'macro', path: '/api/v2/macros.json', key: 'macros' },
  // https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/#list-ticket-triggers
  { kind: 'trigger', path: '/api/v2/triggers.json', key: 'triggers' },
  // https://developer.zendesk.com/api-reference/ticketing/business-rules/automations/#list-automations
  { kind: 'automation', path: '/api/v2/automations.json', key: 'automations' },
];

/** The list being read (index in LISTS) and its next page. */
export const AutomationCursor = z.object({
  list: z.number().int().min(0),
  next: PageRef.optional(),
});
export type AutomationCursor = z.infer<typeof AutomationCursor>;

/** Ids are unique per kind only, so the kind prefixes the source id. */
export function toAutomation(r: ZendeskRule, kind: Kind): Automation {
  return {
    sourceId: `${kind}-${r.id}`,
    kind,
    ...(r.title ? { name: r.title } : {}),
    active: r.active !== false,
    ...(r.created_at ? { createdAt: r.created_at } : {}),
    ...(r.updated_at ? { updatedAt: r.updated_at } : {}),
  };
}

export const automations = defineStream<ZendeskConfig, AutomationCursor>({
  name: 'automations',
  kinds: ['automations'],
  cursor: AutomationCursor,
  fullRefresh: true,
  async sync(ctx) {
    const start = ctx.cursor ?? { list: 0 };
    for (let i = start.list; i < LISTS.length; i++) {
      const l = LISTS[i]!;
      await syncList(ctx, {
        path: l.path,
        key: l.key,
        schema: ZendeskRule,
        kind: 'automations',
        from: i === start.list ? start.next : undefined,
        map: (page) => {
          const mapped = mapPage(
            page,
            recordOrSkip((r) => toAutomation(r, l.kind)),
            {
              domain: Automation,
            },
          );
          // Quarantined under the stored id, so the sweep keeps the last valid version.
          const quarantined = mapped.quarantined.map((q) =>
            q.sourceId ? { ...q, sourceId: `${l.kind}-${q.sourceId}` } : q,
          );
          return { ...mapped, quarantined };
        },
        cursor: (next) =>
          next ? { list: i, next } : i + 1 < LISTS.length ? { list: i + 1 } : null,
      });
    }
  },
});
