import { Group } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import type { ZendeskConfig } from '../config.js';
import { ZendeskGroup } from '../schemas.js';
import { ListCursor, listCursor, syncList } from './paged-list.js';

export function toGroup(g: ZendeskGroup): Group {
  return {
    sourceId: g.id,
    name: g.name,
    ...(g.created_at ? { createdAt: g.created_at } : {}),
  };
}

// https://developer.zendesk.com/api-reference/ticketing/groups/groups/#list-groups
// Groups marked `deleted` are removed at once.
export const groups = defineStream<ZendeskConfig, ListCursor>({
  name: 'groups',
  kinds: ['groups'],
  cursor: ListCursor,
  fullRefresh: true,
  sync: (ctx) =>
    syncList(ctx, {
      path: '/api/v2/groups.json',
      key: 'groups',
      schema: ZendeskGroup,
      kind: 'groups',
      deletions: true,
      from: ctx.cursor?.next,
      cursor: listCursor,
      map: (page) => mapPage(page, recordOrSkip(toGroup), { domain: Group }),
    }),
});
