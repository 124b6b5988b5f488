import { Group } from '../../../src/domain/records.js';
import type { StreamDefinition } from '../../shared/define-connector.js';
import type { ZendeskConfig } from '../config.js';
import { mapPage } from '../map-page.js';
import { ZendeskGroup } from '../schemas.js';
import { syncList } from './paged-list.js';

export function toGroup(g: ZendeskGroup): Group {
  return {
    sourceId: g.id,
    name: g.name,
    ...(g.created_at ? { createdAt: g.created_at } : {}),
  };
}

// https://developer.zendesk.com/api-reference/ticketing/groups/groups/#list-groups
export const groups: StreamDefinition<ZendeskConfig> = {
  name: 'groups',
  kinds: ['groups'],
  fullRefresh: true,
  sync: (ctx) =>
    syncList(ctx, {
      path: '/api/v2/groups.json',
      key: 'groups',
      kind: 'groups',
      map: (items) => {
        const deletes = items
          .filter((g) => (g as { deleted?: unknown } | null)?.deleted === true)
          .map((g) => String((g as { id: unknown }).id));
        const live = items.filter((g) => (g as { deleted?: unknown } | null)?.deleted !== true);
        return { ...mapPage(live, ZendeskGroup, toGroup, Group), deletes };
      },
    }),
};
