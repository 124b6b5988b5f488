import { Automation } from '../../../src/domain/records.js';
import type { StreamDefinition } from '../../shared/define-connector.js';
import type { PageRef } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { mapPage } from '../map-page.js';
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

interface AutomationCursor {
  list: number;
  next?: PageRef;
}

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

export const automations: StreamDefinition<ZendeskConfig> = {
  name: 'automations',
  kinds: ['automations'],
  fullRefresh: true,
  async sync(ctx) {
    const start = (ctx.cursor as AutomationCursor | null | undefined) ?? { list: 0 };
    for (let i = start.list; i < LISTS.length; i++) {
      const l = LISTS[i]!;
      await syncList(ctx, {
        path: l.path,
        key: l.key,
        kind: 'automations',
        ...(i === start.list && start.next ? { resumeFrom: start.next } : {}),
        map: (items) => {
          const page = mapPage(items, ZendeskRule, (r) => toAutomation(r, l.kind), Automation);
          // Quarantined under the stored id, so the sweep keeps the last valid version.
          const invalid = page.invalid.map((i) =>
            i.sourceId ? { ...i, sourceId: `${l.kind}-${i.sourceId}` } : i,
          );
          return { records: page.records, invalid };
        },
        onPage: (next) =>
          next ? { list: i, next } : i + 1 < LISTS.length ? { list: i + 1 } : null,
      });
    }
  },
};
