import type { Agent } from '../../../src/domain/records.js';
import {
  SourceUnavailable,
  type PageResult,
  type StreamDefinition,
} from '../../shared/define-connector.js';
import { agentRoleNames, userToAgent, type UserRoles } from '../map-records.js';
import type { ServiceNowConfig } from '../schemas.js';
import { bool } from '../values.js';
import { readTable } from './read-table.js';

const COMMIT_EVERY = 1000;

/**
 * Agents: users holding itil (or a knowledge role) from sys_user_has_role, with their groups from
 * sys_user_grmember. Both tables are read in full each sync (role and membership removals leave
 * no trace to read incrementally); records are committed at the end, a thousand per commit.
 * Without sys_user_grmember the agents come without groups (a warning); without
 * sys_user_has_role the agents evidence is unknown.
 */
export const agents: StreamDefinition<ServiceNowConfig> = {
  name: 'agents',
  kinds: ['agents'],
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
      warnings.push(`${(err as Error).message}: agents are stored without their groups`);
    }
    const all = [...users.values()];
    let records: Agent[] = [];
    let quarantined: NonNullable<PageResult['quarantined']> = [];
    for (let i = 0; i < all.length || i === 0; i++) {
      const u = all[i];
      if (u) {
        const r = userToAgent(u);
        if (r.ok === true) records.push(r.record);
        else if (r.ok === false)
          quarantined.push({
            sourceId: u.userId,
            error: r.error,
            payload: { ...u, roles: [...u.roles] },
          });
      }
      const last = i >= all.length - 1;
      if (records.length >= COMMIT_EVERY || last) {
        await ctx.commit({
          records: { agents: records },
          quarantined,
          cursor: null,
          done: last,
          warnings: warnings.splice(0),
        });
        records = [];
        quarantined = [];
      }
    }
  },
};
