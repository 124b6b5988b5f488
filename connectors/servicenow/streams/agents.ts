import { Agent } from '../../../src/domain/records.js';
import { defineStream, noCursor, SourceUnavailable } from '../../shared/define-connector.js';
import { checked, mapPage, skip, type Mapped } from '../../shared/map-page.js';
import type { ServiceNowConfig } from '../config.js';
import { bool, date, opt } from '../values.js';
import { readTable } from './read-table.js';

const COMMIT_EVERY = 1000;

/** What the agents stream gathers per user from sys_user_has_role and sys_user_grmember. */
export interface UserRoles {
  userId: string;
  name?: string;
  active?: boolean;
  createdAt?: string;
  roles: Set<string>;
  groupIds: string[];
}

const KNOWLEDGE_ROLES = ['knowledge', 'knowledge_manager', 'knowledge_admin'];
export const agentRoleNames = ['itil', 'admin', ...KNOWLEDGE_ROLES];

/**
 * Agents are users with the itil role (admins carry it too); users with only a knowledge role
 * count as knowledge authors. Anyone else is not an agent.
 */
export function userToAgent(u: UserRoles): Mapped<Agent> {
  const itil = u.roles.has('itil');
  const role =
    u.roles.has('admin') && itil
      ? 'admin'
      : itil
        ? 'agent'
        : KNOWLEDGE_ROLES.some((r) => u.roles.has(r))
          ? 'knowledge'
          : undefined;
  if (!role) return skip;
  return checked(Agent, {
    sourceId: u.userId,
    ...opt('name', u.name),
    role,
    groupIds: u.groupIds.slice(0, 500),
    active: u.active ?? true,
    ...opt('createdAt', u.createdAt ? date(u.createdAt) : undefined),
  });
}

/**
 * Agents: users holding itil (or a knowledge role) from sys_user_has_role, with their groups from
 * sys_user_grmember. Both tables are read in full each sync (role and membership removals leave
 * no trace to read incrementally); records are committed at the end, a thousand per commit.
 * Without sys_user_grmember the agents come without groups (a warning); without
 * sys_user_has_role the agents evidence is unknown.
 */
export const agents = defineStream<ServiceNowConfig, never>({
  name: 'agents',
  kinds: ['agents'],
  cursor: noCursor,
  fullRefresh: true,
  async sync(ctx) {
    const warnings: string[] = [];
    const users = new Map<string, UserRoles>();
    const user = (id: string) => {
      let u = users.get(id);
      if (!u) users.set(id, (u = { userId: id, roles: new Set(), groupIds: [] }));
      return u;
    };
    for await (const batch of readTable(
      ctx,
      {
        table: 'sys_user_has_role',
        fields: [
          'sys_id',
          'user',
          'user.sys_id',
          'user.name',
          'user.active',
          'user.sys_created_on',
          'role.name',
        ],
        required: ['user', 'role.name'],
        filter: `role.nameIN${agentRoleNames.join(',')}`,
        mode: 'full',
      },
      undefined,
    )) {
      warnings.push(...batch.warnings);
      for (const r of batch.rows) {
        // A reference shows its display value when the instance forces display values.
        const id = r['user.sys_id'] ?? r.user;
        if (!id || !r['role.name']) continue;
        const u = user(id);
        u.roles.add(r['role.name']);
        if (r['user.name']) u.name = r['user.name'];
        const active = bool(r['user.active']);
        if (active !== undefined) u.active = active;
        if (r['user.sys_created_on']) u.createdAt = r['user.sys_created_on'];
      }
    }
    try {
      for await (const batch of readTable(
        ctx,
        {
          table: 'sys_user_grmember',
          fields: ['sys_id', 'user', 'group'],
          required: ['user', 'group'],
          mode: 'full',
        },
        undefined,
      )) {
        warnings.push(...batch.warnings);
        for (const r of batch.rows) {
          const u = r.user ? users.get(r.user) : undefined;
          if (u && r.group && !u.groupIds.includes(r.group)) u.groupIds.push(r.group);
        }
      }
    } catch (err) {
      if (!(err instanceof SourceUnavailable)) throw err;
      warnings.push(`${err.message}: agents are stored without their groups`);
    }
    const all = [...users.values()];
    // At least one commit, so an empty table still completes the pass.
    for (let i = 0; i === 0 || i < all.length; i += COMMIT_EVERY) {
      const { records, quarantined } = mapPage(
        { items: all.slice(i, i + COMMIT_EVERY) },
        userToAgent,
        {
          id: (u) => u.userId,
          payload: (u) => ({ ...u, roles: [...u.roles] }),
        },
      );
      const last = i + COMMIT_EVERY >= all.length;
      await ctx.commit({
        records: { agents: records },
        quarantined,
        cursor: null,
        done: last,
        warnings: warnings.splice(0),
      });
    }
  },
});
