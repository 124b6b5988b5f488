import type { RecordKind } from './records.js';

/**
 * Field families: the groups of optional record fields a source may or may not deliver. A source
 * that never delivers a family leaves every metric built on it unknown; a source that delivers it
 * and leaves it empty on a record says "none" for that record (a real zero).
 *
 * Only tickets have families: the other kinds' optional fields are judged record by record (a
 * null is unknown), because no store default hides their absence.
 */
export const ticketFieldFamilies = {
  priority: ['priority'],
  channel: ['channel'],
  /** Tags: the store keeps an empty list for a ticket without tags, so delivery must be declared. */
  tags: ['tags'],
  assignee: ['assigneeId'],
  group: ['groupId'],
  organisation: ['organisationId'],
  category: ['category'],
  region: ['region'],
  /** An SLA applied to the ticket (policy id or made-SLA flag); SLA outcome records count too. */
  sla: ['slaPolicyId', 'madeSla'],
  reopens: ['reopenCount'],
  reassignments: ['reassignmentCount'],
  knowledge: ['knowledgeLinked'],
  problem: ['problemLinked'],
  firstResponse: ['firstResponseMinutes'],
  replies: ['agentReplies'],
  solved: ['solvedAt'],
} as const;

export type TicketFieldFamily = keyof typeof ticketFieldFamilies;

/**
 * Families of other kinds, with what a source that lacks one does not say:
 * - satisfaction ratings `offered`: the surveys sent and not answered. A source that lists only
 *   answers (Freshdesk, JSM) leaves the response rate unknown: every rating it lists is one;
 * - agents `memberships`: the groups each agent belongs to (JSM's licence groups say nothing of
 *   teams), without which the share of agents in several groups is unknown, not 0.
 */
export const kindFieldFamilies = {
  satisfactionRatings: { offered: 'the source lists only answered surveys, not the surveys sent' },
  agents: { memberships: 'the source does not say which groups each agent belongs to' },
} as const;
export type KindFamilies = {
  [K in keyof typeof kindFieldFamilies]?: (keyof (typeof kindFieldFamilies)[K])[];
};
export const ticketFamilyNames = Object.keys(ticketFieldFamilies) as TicketFieldFamily[];

/** Every family of a kind (`*` stands for "all", as for sources that predate field coverage). */
export const ALL_FIELDS = '*';

/** Field families per record kind, as a source declares them. */
export type FieldCoverage = Partial<Record<RecordKind, readonly string[]>>;

/**
 * The ticket families a set of raw records delivers: a family is delivered when at least one
 * record carries one of its keys (an empty list or `false` counts: it is a value).
 */
export function ticketFamiliesIn(raw: readonly unknown[]): TicketFieldFamily[] {
  const found = new Set<TicketFieldFamily>();
  for (const r of raw) {
    if (typeof r !== 'object' || r === null) continue;
    for (const f of ticketFamilyNames) {
      if (found.has(f)) continue;
      if (ticketFieldFamilies[f].some((k) => (r as Record<string, unknown>)[k] !== undefined))
        found.add(f);
    }
    if (found.size === ticketFamilyNames.length) break;
  }
  return ticketFamilyNames.filter((f) => found.has(f));
}
