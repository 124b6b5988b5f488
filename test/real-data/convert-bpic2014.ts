import { z } from 'zod';
import type { Priority, RecordInputOf } from '../../src/domain/records.js';
import { byTime, groupBy, readCsv, type RecordDocument } from './read-csv.js';

/**
 * BPI Challenge 2014, Rabobank ITIL incidents: eventdataR's 4,000-incident sample (closed
 * incidents only, priorities 2 to 5). Two files: one row per incident
 * (`bpic14_incident_case_attributes_sample4000.csv`) and its activity log
 * (`bpic14_incident_activity_sample4000.csv`, 39,911 events). Times are `YYYY-MM-DD HH:MM:SS` in
 * UTC and are written out with a `Z`.
 *
 * Per incident (`incident_id`):
 * - createdAt: `open_time`; solvedAt: `resolved_time` (empty for 155 incidents, left out);
 *   closedAt: `close_time`; updatedAt: the latest of close_time and the activity stamps.
 * - status: `status` (every incident in the sample is Closed → closed).
 * - priority: `priority` 1 → urgent, 2 → high, 3 → normal, 4 and 5 → low.
 * - reopenCount: 1 when `reopen_time` is set, else 0. The field holds one time only, so an
 *   incident reopened twice still counts 1 (the activity log's "Reopen" events are not merged in).
 * - reassignmentCount: `x_reassignments` (the original "# Reassignments").
 * - knowledgeLinked: `km_number` holds a knowledge document (it does on all 4,000).
 * - problemLinked: a related change (`x_related_changes` > 0 or `related_change` set); both
 *   columns are always delivered, so an empty pair is a real false.
 * - category: `service_component_wbs_aff` (WBS000088…), the service component of the affected
 *   CI: it says which service the incident is about, which is what category segments. The other
 *   candidate, `ci_type_aff`, is a technical class (application, computer…) with 11 values.
 * - groupId: `assignment_group` of the last activity (ties in time have the same group).
 *
 * Groups: every distinct `assignment_group` of the activity log (anonymised TEAM0008 codes, kept
 * as they are). No agents: the log names no person. Left out: impact/urgency (priority already
 * derives from them), the log's own `category` (incident / request for information: a ticket
 * type, not a service), closure code, interactions, the CI "caused by" columns and `handle_time_hours`
 * (no record field for them), channel, SLA, first response (absent from the log).
 */

const PRIORITY: Record<string, Priority> = {
  '1': 'urgent',
  '2': 'high',
  '3': 'normal',
  '4': 'low',
  '5': 'low',
};

/** `YYYY-MM-DD HH:MM:SS` in UTC → ISO-8601 with a zone. */
const utc = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
  .transform((s) => `${s.replace(' ', 'T')}Z`);
const optionalUtc = z.union([z.literal('').transform(() => undefined), utc]);
const count = z.string().regex(/^\d+$/).transform(Number);

export const Bpic14CaseRow = z
  .object({
    incident_id: z.string().min(1),
    status: z.literal('Closed'),
    priority: z.enum(['1', '2', '3', '4', '5']),
    service_component_wbs_aff: z.string(),
    km_number: z.string(),
    x_reassignments: count,
    open_time: utc,
    reopen_time: optionalUtc,
    resolved_time: optionalUtc,
    close_time: optionalUtc,
    x_related_changes: z.union([z.literal('').transform(() => 0), count]),
    related_change: z.string(),
  })
  .transform((r) => ({
    id: r.incident_id,
    status: 'closed' as const,
    priority: PRIORITY[r.priority]!,
    category: r.service_component_wbs_aff || undefined,
    // "#N/B" is how the original export writes a missing value.
    knowledgeLinked: r.km_number !== '' && r.km_number !== '#N/B',
    reassignments: r.x_reassignments,
    openedAt: r.open_time,
    reopenedAt: r.reopen_time,
    resolvedAt: r.resolved_time,
    closedAt: r.close_time,
    changeLinked: r.x_related_changes > 0 || r.related_change !== '',
  }));
export type Bpic14Case = z.output<typeof Bpic14CaseRow>;

export const Bpic14ActivityRow = z
  .object({
    incident_id: z.string().min(1),
    data_stamp: utc,
    incident_activity_number: z.string().min(1),
    assignment_group: z.string().min(1),
  })
  .transform((r) => ({
    case: r.incident_id,
    time: r.data_stamp,
    at: Date.parse(r.data_stamp),
    number: r.incident_activity_number,
    group: r.assignment_group,
  }));
export type Bpic14Activity = z.output<typeof Bpic14ActivityRow>;

const latest = (times: (string | undefined)[]) =>
  times
    .filter((t): t is string => t !== undefined)
    .sort((a, b) => Date.parse(a) - Date.parse(b))
    .at(-1);

function toTicket(c: Bpic14Case, activities: Bpic14Activity[]): RecordInputOf<'tickets'> {
  const last = activities.at(-1);
  const updatedAt = latest([c.closedAt, last?.time]);
  return {
    sourceId: c.id,
    createdAt: c.openedAt,
    ...(updatedAt && { updatedAt }),
    ...(c.resolvedAt && { solvedAt: c.resolvedAt }),
    ...(c.closedAt && { closedAt: c.closedAt }),
    status: c.status,
    priority: c.priority,
    ...(last && { groupId: last.group }),
    ...(c.category && { category: c.category }),
    reopenCount: c.reopenedAt ? 1 : 0,
    reassignmentCount: c.reassignments,
    knowledgeLinked: c.knowledgeLinked,
    problemLinked: c.changeLinked,
  };
}

/** The pure mapping: parsed incident rows and activity rows in, records out. */
export function bpic2014Records(
  cases: readonly Bpic14Case[],
  activities: readonly Bpic14Activity[],
): RecordDocument {
  const byCase = groupBy(activities, (a) => a.case);
  // Same-second activities: the activity number settles the order, so the result is stable.
  const ordered = (list: Bpic14Activity[]) =>
    byTime([...list].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0)));
  return {
    tickets: cases.map((c) => toTicket(c, ordered(byCase.get(c.id) ?? []))),
    groups: [...new Set(activities.map((a) => a.group))]
      .sort()
      .map((g) => ({ sourceId: g, name: g })),
  };
}

export function convertBpic2014(caseFile: string, activityFile: string): RecordDocument {
  return bpic2014Records(
    readCsv(caseFile, Bpic14CaseRow),
    readCsv(activityFile, Bpic14ActivityRow),
  );
}
