import { Agent } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { FreshdeskApi } from '../client.js';
import type { FreshdeskConfig } from '../config.js';
import { FreshdeskAgent, FreshdeskGroup, FreshdeskRole } from '../schemas.js';
import { ListCursor, listCursor, syncList } from './paged-list.js';

const ADMIN_ROLE = /administrator/i;
const KNOWLEDGE_ROLE = /knowledge|content|kb\b/i;

/**
 * An agent with its role and groups. Collaborators (`type: collaborator`) can only add notes: they
 * are light agents. An agent with an administrator role (Account Administrator, Administrator) is
 * an admin; one whose only roles are about knowledge or content is a knowledge role; the others
 * (occasional and field agents too) are agents. Groups come from the agent, and from the groups'
 * own member lists where they give them.
 */
export function toAgent(
  a: FreshdeskAgent,
  roles: Map<string, string>,
  members: Map<string, string[]>,
): Agent {
  const names = (a.role_ids ?? []).map((id) => roles.get(id) ?? '');
  const role =
    a.type === 'collaborator'
      ? 'light'
      : names.some((n) => ADMIN_ROLE.test(n))
        ? 'admin'
        : names.length && names.every((n) => KNOWLEDGE_ROLE.test(n))
          ? 'knowledge'
          : 'agent';
  const groupIds = [...new Set([...(a.group_ids ?? []), ...(members.get(a.id) ?? [])])];
  return {
    sourceId: a.id,
    ...(a.contact?.name ? { name: a.contact.name } : {}),
    role,
    groupIds,
    active: a.contact?.active !== false,
    ...(a.created_at ? { createdAt: a.created_at } : {}),
  };
}

/**
 * Agents (https://developers.freshdesk.com/api/#list_all_agents), their roles
 * (https://developers.freshdesk.com/api/#roles, small: read whole) and the groups' member lists.
 * The list of agents carries neither their groups nor their roles (only View an Agent does): each
 * listed agent without them is read once more by id, one request per agent, so an administrator
 * is told from an agent and knowledge-only roles are counted apart.
 */
export const agents = defineStream<FreshdeskConfig, ListCursor>({
  name: 'agents',
  kinds: ['agents'],
  cursor: ListCursor,
  fullRefresh: true,
  async sync(ctx) {
    const api = new FreshdeskApi(ctx.client);
    const roles = new Map(
      (await api.all('/api/v2/roles', FreshdeskRole, { optional: true })).items.map((r) => [
        r.id,
        r.name,
      ]),
    );
    const members = new Map<string, string[]>();
    // An API key that may not list groups still gets each agent's own (View an Agent).
    for (const g of (await api.all('/api/v2/groups', FreshdeskGroup, { optional: true })).items)
      for (const id of g.agent_ids ?? []) members.set(id, [...(members.get(id) ?? []), g.id]);
    await syncList(ctx, {
      path: '/api/v2/agents',
      schema: FreshdeskAgent,
      kind: 'agents',
      from: ctx.cursor?.next,
      cursor: listCursor,
      map: async (page) => {
        const items: FreshdeskAgent[] = [];
        const invalid = [...page.invalid];
        for (const a of page.items) {
          if (a.role_ids != null && a.group_ids != null) {
            items.push(a);
            continue;
          }
          const one = await api.agent(a.id);
          if (one.invalid) invalid.push(one.invalid);
          else if (one.agent) items.push({ ...a, ...one.agent });
        }
        return mapPage(
          { items, invalid },
          recordOrSkip((a) => toAgent(a, roles, members)),
          { domain: Agent },
        );
      },
    });
  },
});
