import { z } from 'zod';
import { Agent } from '../../../src/domain/records.js';
import { SourceUnavailable, defineStream } from '../../shared/define-connector.js';
import { mapPage, skip, type Mapped } from '../../shared/map-page.js';
import { JsmApi } from '../client.js';
import type { JsmConfig } from '../config.js';
import { GroupMember } from '../schemas.js';

/** The application role of Jira Service Management: its groups hold the agent licences. */
export const AGENT_ROLE = 'jira-servicedesk';

/** The licence group being read (its index) and the next member page. */
export const AgentCursor = z.object({
  group: z.number().int().min(0),
  startAt: z.number().int().min(0),
});
export type AgentCursor = z.infer<typeof AgentCursor>;

/**
 * A member of a licence group ► an agent. App accounts (automation, integrations) are not people:
 * skipped. Group membership in teams is not on the licence group: `groupIds` stays empty.
 */
export function toAgent(m: GroupMember): Mapped<Agent> {
  if (m.accountType && m.accountType !== 'atlassian') return skip;
  return {
    ok: true,
    record: {
      sourceId: m.accountId,
      ...(m.displayName ? { name: m.displayName } : {}),
      role: 'agent',
      groupIds: [],
      active: m.active !== false,
    },
  };
}

/**
 * Agents: the members of the groups that give the Jira Service Management licence
 * (GET /rest/api/3/applicationrole/jira-servicedesk ► groupDetails, then
 * GET /rest/api/3/group/member for each, inactive members included), not the assignable-users
 * search, which stops at 1,000. Only a Jira administrator may read the role: otherwise agents stay
 * unknown. Resumable per member page; a complete pass sweeps the agents who left.
 */
export const agents = defineStream<JsmConfig, AgentCursor>({
  name: 'agents',
  kinds: ['agents'],
  // Licence-group members carry no team memberships: the multi-group share stays unknown.
  fields: () => ({ agents: [] }),
  cursor: AgentCursor,
  fullRefresh: true,
  async sync(ctx) {
    const api = new JsmApi(ctx.client);
    const role = await api.applicationRole(AGENT_ROLE);
    if (!role)
      throw new SourceUnavailable(
        'only a Jira administrator may read which groups hold the Jira Service Management licences (GET /rest/api/3/applicationrole/jira-servicedesk): agents stay unknown',
      );
    const groups: { groupId?: string; name?: string }[] = role.groupDetails?.length
      ? role.groupDetails.filter((g) => g.groupId || g.name)
      : (role.groups ?? []).map((name) => ({ name }));
    if (!groups.length)
      throw new SourceUnavailable(
        'no group holds the Jira Service Management licence: agents stay unknown',
      );
    let at: AgentCursor = ctx.cursor ?? { group: 0, startAt: 0 };
    while (at.group < groups.length) {
      const page = await api.groupMembers(groups[at.group]!, at.startAt, GroupMember);
      const { records, quarantined } = mapPage(page, toAgent, {
        domain: Agent,
        id: (m) => m.accountId,
      });
      at =
        page.next !== undefined
          ? { group: at.group, startAt: page.next }
          : { group: at.group + 1, startAt: 0 };
      await ctx.commit({
        records: { agents: records },
        quarantined,
        cursor: at.group < groups.length ? at : null,
      });
    }
  },
});
