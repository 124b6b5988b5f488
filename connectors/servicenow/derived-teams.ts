import { Agent, Group } from '../../src/domain/records.js';

/** What one incident row says about who works tickets (values as exported, missing = absent). */
export interface TeamEvidence {
  group?: string | undefined;
  assignee?: string | undefined;
  resolver?: string | undefined;
}

/**
 * Groups and ticket-working people seen on incidents, gathered row by row while an export
 * streams: memory grows with the number of distinct groups and people, never with rows. Every row
 * counts, not only each incident's latest one: an event log shows every group an incident went
 * through and everyone who held it.
 *
 * - Groups: the `assignment_group` values; source id and name are the value as exported.
 * - People: the `assigned_to` and `resolved_by` values, as active agents. A person's groups are
 *   the assignment groups of the rows where they were the assignee. ServiceNow ties the assignee
 *   to the group: the form offers only members of the assignment group for Assigned to (the field
 *   depends on it) and clears Assigned to when the group changes, so an assignee is a member of
 *   the row's group and the membership read here is sound. Nothing ties a resolver to the group
 *   of the row, so resolving adds no membership.
 *
 * The same person must be written the same way in both columns to be counted once (a real export
 * shows the user's display name in both). An export where no resolver is ever an assignee (10 or
 * more names on each side) has been pseudonymised column by column — in a real instance most
 * incidents are resolved by their assignee — so its resolvers are left out rather than counted
 * as a second set of people (`resolversLeftOut`).
 */
export class DerivedTeams {
  private readonly groupNames = new Set<string>();
  private readonly people = new Map<string, Set<string>>();
  private readonly resolvers = new Set<string>();

  add(row: TeamEvidence): void {
    const { group, assignee, resolver } = row;
    if (group) this.groupNames.add(group);
    if (assignee) {
      const groups = this.person(assignee);
      if (group) groups.add(group);
    }
    if (resolver) this.resolvers.add(resolver);
  }

  /** Resolvers and assignees never overlap: the columns carry separate pseudonyms. */
  get resolversLeftOut(): boolean {
    if (this.resolvers.size < 10 || this.people.size < 10) return false;
    for (const r of this.resolvers) if (this.people.has(r)) return false;
    return true;
  }

  /** The derived groups (values that are not valid ids, e.g. over 200 characters, are left out). */
  groups(): Group[] {
    const out: Group[] = [];
    for (const name of this.groupNames) {
      const g = Group.safeParse({ sourceId: name, name });
      if (g.success) out.push(g.data);
    }
    return out;
  }

  /**
   * The derived agents. `earlier` holds the groups already stored for a person (an earlier import
   * into the same account): memberships add up, as the account's incidents do.
   */
  agents(earlier: ReadonlyMap<string, readonly string[]> = new Map()): Agent[] {
    const out: Agent[] = [];
    const everyone = new Map(this.people);
    if (!this.resolversLeftOut)
      for (const r of this.resolvers) if (!everyone.has(r)) everyone.set(r, new Set());
    for (const [person, groups] of everyone) {
      const all = new Set([...(earlier.get(person) ?? []), ...groups]);
      const a = Agent.safeParse({
        sourceId: person,
        name: person,
        role: 'agent',
        active: true,
        groupIds: [...all].sort().slice(0, 500),
      });
      if (a.success) out.push(a.data);
    }
    return out;
  }

  private person(id: string): Set<string> {
    let groups = this.people.get(id);
    if (!groups) this.people.set(id, (groups = new Set()));
    return groups;
  }
}
