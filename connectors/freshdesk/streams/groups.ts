import { Group } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import type { FreshdeskConfig } from '../config.js';
import { FreshdeskGroup } from '../schemas.js';
import { ListCursor, listCursor, syncList } from './paged-list.js';

export const toGroup = (g: FreshdeskGroup): Group => ({
  sourceId: g.id,
  name: g.name,
  ...(g.created_at ? { createdAt: g.created_at } : {}),
});

// https://developers.freshdesk.com/api/#list_all_groups
export const groups = defineStream<FreshdeskConfig, ListCursor>({
  name: 'groups',
  kinds: ['groups'],
  cursor: ListCursor,
  fullRefresh: true,
  sync: (ctx) =>
    syncList(ctx, {
      path: '/api/v2/groups',
      schema: FreshdeskGroup,
      kind: 'groups',
      from: ctx.cursor?.next,
      cursor: listCursor,
      map: (page) => mapPage(page, recordOrSkip(toGroup), { domain: Group }),
    }),
});
