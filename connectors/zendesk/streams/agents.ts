import { Agent } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { ZendeskApi, type PageRef } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { ZendeskGroupMembership, ZendeskUser } from '../schemas.js';
import { ListCursor, listCursor, syncList } from './paged-list.js';

/** Zendesk role_type 1 is a light agent (can comment, cannot solve). */
const LIGHT_AGENT = 1;

export function toAgent(u: ZendeskUser, groupIds: string[]): Agent | undefined {
  if (u.role !== 'agent' && u.role !== 'admin') return undefined;
  return {
    sourceId: u.id,
    ...(u.name ? { name: u.name } : {}),
    role: u.role === 'admin' ? 'admin' : u.role_type === LIGHT_AGENT ? 'light' : 'agent',
    groupIds,
    active: u.active !== false && u.suspended !== true,
    ...(u.created_at ? { createdAt: u.created_at } : {}),
  };
}

/**
 * Agents and admins with the groups they belong to. Memberships are read first (one row per
 * agent and group: small), then the users filtered by role; the cursor resumes the users.
 */
export const agents = defineStream<ZendeskConfig, ListCursor>({
  name: 'agents',
  kinds: ['agents'],
  cursor: ListCursor,
  fullRefresh: true,
  async sync(ctx) {
    const api = new ZendeskApi(ctx.client);
    const memberships = new Map<string, string[]>();
    let next: PageRef | undefined;
    do {
      // https://developer.zendesk.com/api-reference/ticketing/groups/group_memberships/#list-memberships
      const page = await api.listPage(
        '/api/v2/group_memberships.json',
        'group_memberships',
        ZendeskGroupMembership,
        next,
      );
      for (const m of page.items) {
        const list = memberships.get(m.user_id) ?? [];
        if (!list.includes(m.group_id)) list.push(m.group_id);
        memberships.set(m.user_id, list);
      }
      next = page.next;
    } while (next);
    // https://developer.zendesk.com/api-reference/ticketing/users/users/#list-users
    await syncList(ctx, {
      path: '/api/v2/users.json?role%5B%5D=agent&role%5B%5D=admin',
      key: 'users',
      schema: ZendeskUser,
      kind: 'agents',
      from: ctx.cursor?.next,
      cursor: listCursor,
      map: (page) =>
        mapPage(
          page,
          recordOrSkip((u) => toAgent(u, memberships.get(u.id) ?? [])),
          { domain: Agent },
        ),
    });
  },
});
