import { MaturityError } from '../../../src/errors.js';
import type { Priority, SlaMetric, SlaOutcome, Ticket } from '../../../src/domain/records.js';
import {
  slaMs,
  type FieldIds,
  type JiraHistory,
  type JiraIssue,
  type SlaCycle,
  type SlaValue,
  type TeamValue,
} from '../schemas.js';

/** Jira priority names ► ours (the default scheme, and the usual alternatives). */
export function priorityOf(name: string | undefined): Priority | undefined {
  if (!name) return undefined;
  const n = name.trim().toLowerCase();
  if (/^(highest|critical|blocker|urgent|emergency|p0|p1)\b/.test(n)) return 'urgent';
  if (/^(high|major|p2)\b/.test(n)) return 'high';
  if (/^(medium|normal|moderate|p3)\b/.test(n)) return 'normal';
  if (/^(low|lowest|minor|trivial|p4|p5)\b/.test(n)) return 'low';
  return undefined;
}

/** The SLA fields ► our metrics. */
export const SLA_FIELDS: [keyof FieldIds, SlaMetric][] = [
  ['firstResponse', 'first_reply_time'],
  ['resolution', 'resolution_time'],
];

/** Status category keys by status id and by lower-case name, from /rest/api/3/status. */
export interface Statuses {
  byId: Map<string, string>;
  byName: Map<string, string>;
}

const minutes = (ms: number) => ms / 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A team field's value ► its id and name (an Atlassian team, a group, an option, a name). */
export function teamOf(
  v: TeamValue | TeamValue[] | null | undefined,
): { id: string; name: string } | undefined {
  const t = Array.isArray(v) ? v[0] : v;
  if (!t) return undefined;
  const name = t.name ?? t.title ?? t.value;
  const id = t.groupId ?? t.id ?? name;
  return id ? { id, name: name ?? id } : undefined;
}

/**
 * Reopenings from the changelog: status changes from a status of the done category to one that
 * is not. Null when a change names a status the site no longer lists (unknown, not zero).
 */
export function reopensIn(
  histories: readonly JiraHistory[],
  statuses: Statuses,
): number | undefined {
  const category = (id: string | null | undefined, name: string | null | undefined) =>
    (id ? statuses.byId.get(id) : undefined) ??
    (name ? statuses.byName.get(name.toLowerCase()) : undefined);
  let n = 0;
  for (const h of histories)
    for (const item of h.items) {
      if ((item.fieldId ?? item.field) !== 'status') continue;
      const from = category(item.from, item.fromString);
      const to = category(item.to, item.toName);
      if (from === undefined || to === undefined) return undefined;
      if (from === 'done' && to !== 'done') n++;
    }
  return n;
}

/**
 * One issue ► a ticket. Status from the status category (done: solved, or closed when the status
 * is named so; in progress: pending when waiting for the customer, else open; to do: open).
 * Resolution is `resolutiondate` while the issue is done (a reopened issue is open again). First
 * response is the stop of the first completed cycle of "Time to first response" minus creation
 * (JSM's default goal stops it at the first reply to the customer, or at resolution). Reopens come
 * from the changelog when it was read (`histories`), else stay unknown.
 */
export function toTicket(
  issue: JiraIssue,
  ids: FieldIds,
  histories: readonly JiraHistory[] | undefined,
  statuses: Statuses,
): Ticket {
  const f = issue.fields as JiraIssue['fields'] & Record<string, unknown>;
  if (!f.created)
    throw new MaturityError('E_CONNECTOR_RESPONSE', `issue ${issue.key} has no creation date`);
  const category =
    f.status?.statusCategory?.key ?? (f.status?.id ? statuses.byId.get(f.status.id) : undefined);
  const name = f.status?.name ?? '';
  const status: Ticket['status'] =
    category === 'done'
      ? /closed|cancel/i.test(name)
        ? 'closed'
        : 'solved'
      : /waiting for (customer|reporter)|pending|awaiting/i.test(name)
        ? 'pending'
        : 'open';
  const done = category === 'done';
  const priority = priorityOf(f.priority?.name);
  const team = ids.team
    ? teamOf(f[ids.team] as TeamValue | TeamValue[] | null | undefined)
    : undefined;
  const orgs = ids.organisations
    ? (f[ids.organisations] as { id?: string }[] | null | undefined)
    : undefined;
  const requestType = ids.requestType
    ? (f[ids.requestType] as { requestType?: { name?: string } } | null | undefined)?.requestType
        ?.name
    : undefined;
  const first = ids.firstResponse
    ? firstResponseAt(f[ids.firstResponse] as SlaValue | null | undefined)
    : undefined;
  const firstMinutes = first !== undefined ? minutes(first - Date.parse(f.created)) : undefined;
  const reopens = histories ? reopensIn(histories, statuses) : undefined;
  return {
    sourceId: issue.id,
    createdAt: f.created,
    updatedAt: f.updated,
    ...(done && f.resolutiondate ? { solvedAt: f.resolutiondate } : {}),
    ...(priority ? { priority } : {}),
    status,
    ...(team ? { groupId: team.id } : {}),
    ...(f.assignee?.accountId ? { assigneeId: f.assignee.accountId } : {}),
    ...(orgs?.[0]?.id ? { organisationId: orgs[0].id } : {}),
    ...(requestType ? { category: requestType.slice(0, 200) } : {}),
    ...(reopens !== undefined ? { reopenCount: reopens } : {}),
    tags: f.labels ?? [],
    ...(firstMinutes !== undefined && firstMinutes >= 0
      ? { firstResponseMinutes: firstMinutes }
      : {}),
  };
}

/** When the first completed cycle of an SLA stopped (ms), if one did. */
function firstResponseAt(v: SlaValue | null | undefined): number | undefined {
  return slaMs(v?.completedCycles?.[0]?.stopTime);
}

/**
 * The issue's SLA targets, one outcome per cycle of each SLA field (a reopened request starts a
 * new cycle of "Time to resolution"): a completed cycle is met, or breached when its `breached`
 * says so (completed at its breach time, else its stop); the ongoing cycle is breached when Jira
 * says so or when its breach time has passed while it runs (the search only returns issues that
 * changed, and an SLA running out changes nothing), else active. The goal (`goalDuration`) is the
 * target, the SLA clock's elapsed time (`elapsedTime`, in the SLA's calendar) the measure. Pure:
 * `now` decides "passed".
 */
export function toSlaOutcomes(issue: JiraIssue, ids: FieldIds, now: Date): SlaOutcome[] {
  const f = issue.fields as Record<string, unknown>;
  const out: SlaOutcome[] = [];
  for (const [key, metric] of SLA_FIELDS) {
    const id = ids[key];
    const v = id ? (f[id] as SlaValue | null | undefined) : undefined;
    if (!v) continue;
    const cycles: { c: SlaCycle; ongoing: boolean }[] = [
      ...(v.completedCycles ?? []).map((c) => ({ c, ongoing: false })),
      ...(v.ongoingCycle ? [{ c: v.ongoingCycle, ongoing: true }] : []),
    ];
    cycles.forEach(({ c, ongoing }, i) => {
      const goal = c.goalDuration?.millis;
      const elapsed = c.elapsedTime?.millis;
      const base = {
        sourceId: `${issue.id}:${metric}:${i + 1}`,
        ticketId: issue.id,
        metric,
        ...(goal !== undefined && goal > 0 ? { targetMinutes: minutes(goal) } : {}),
        ...(elapsed !== undefined && elapsed >= 0 ? { measuredMinutes: minutes(elapsed) } : {}),
      };
      const breach = slaMs(c.breachTime);
      const stop = slaMs(c.stopTime);
      if (!ongoing) {
        const at = c.breached ? (breach ?? stop) : stop;
        out.push({
          ...base,
          status: c.breached ? 'breached' : 'met',
          ...(at !== undefined ? { completedAt: iso(at) } : {}),
        });
      } else if (c.breached || (!c.paused && breach !== undefined && breach < now.getTime())) {
        out.push({
          ...base,
          status: 'breached',
          ...(breach !== undefined ? { completedAt: iso(breach) } : {}),
        });
      } else out.push({ ...base, status: 'active' });
    });
  }
  return out;
}

/**
 * The outcome ids to remove with an issue's page: cycles past those it has now (an SLA
 * recalculated to fewer cycles, or no longer applying), a few at most per metric.
 */
export function staleOutcomeIds(
  issue: JiraIssue,
  ids: FieldIds,
  kept: readonly SlaOutcome[],
): string[] {
  const out: string[] = [];
  for (const [key, metric] of SLA_FIELDS) {
    if (!ids[key]) continue;
    const n = kept.filter((o) => o.metric === metric).length;
    for (let i = n + 1; i <= n + STALE; i++) out.push(`${issue.id}:${metric}:${i}`);
  }
  return out;
}
/** How many cycles past the present ones are removed (a recalculation rarely drops more). */
const STALE = 3;
