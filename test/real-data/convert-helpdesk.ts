import { z } from 'zod';
import type { RecordInputOf } from '../../src/domain/records.js';
import { byTime, groupBy, readCsv, type RecordDocument } from './read-csv.js';

/**
 * "Helpdesk" event log of an Italian software company (Verenich 2016, pm4py export,
 * `helpdesk_verenich2016.csv`): 21,348 events, 4,580 tickets; each event is an activity, the
 * resource that did it ("Value N", anonymised) and a UTC time (`+00:00`, kept as written).
 *
 * Per ticket (`case:concept:name`), events sorted by time (same-second events keep file order):
 * - createdAt: the first event; updatedAt: the last event.
 * - solvedAt: the first "Resolve ticket"; closedAt: the last "Closed".
 * - status: closed when a "Closed" is logged, solved when a "Resolve ticket" is, else open.
 * - assigneeId: the resource of the last "Take in charge ticket", or of the last event when no one
 *   took the ticket in charge.
 * - problemLinked: a "Create SW anomaly" event (a software defect raised from the ticket). The log
 *   records that activity, so a ticket without one is a real false.
 * - reopenCount: the "Resolve ticket" events beyond the first (a ticket solved again was reopened).
 *
 * Agents: one per distinct resource (role agent; the log has no teams, so no groupIds).
 * Left out, because the log does not hold them: priority ("Assign seriousness" is logged, its
 * value is not), groups, channel, SLA, knowledge, category, region, reassignments (no groups to
 * move between), first response ("Take in charge" is not a reply to the requester).
 * `case:variant`, `case:variant-index` and `case:creator` are Disco's annotations, not ticket data.
 */

const time = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/)
  .transform((s) => s.replace(' ', 'T'));

export const HelpdeskRow = z
  .object({
    'case:concept:name': z.string().min(1),
    'concept:name': z.string().min(1),
    'org:resource': z.string().min(1),
    'time:timestamp': time,
  })
  .transform((r) => ({
    case: r['case:concept:name'],
    activity: r['concept:name'],
    resource: r['org:resource'],
    time: r['time:timestamp'],
    at: Date.parse(r['time:timestamp']),
  }));
export type HelpdeskEvent = z.output<typeof HelpdeskRow>;

const lastOf = (events: HelpdeskEvent[], activity: string) =>
  [...events].reverse().find((e) => e.activity === activity);

function toTicket(sourceId: string, events: HelpdeskEvent[]): RecordInputOf<'tickets'> {
  const first = events[0]!;
  const last = events[events.length - 1]!;
  const resolves = events.filter((e) => e.activity === 'Resolve ticket');
  const closed = lastOf(events, 'Closed');
  const owner = lastOf(events, 'Take in charge ticket') ?? last;
  return {
    sourceId,
    createdAt: first.time,
    updatedAt: last.time,
    ...(resolves[0] && { solvedAt: resolves[0].time }),
    ...(closed && { closedAt: closed.time }),
    status: closed ? 'closed' : resolves.length ? 'solved' : 'open',
    assigneeId: owner.resource,
    problemLinked: events.some((e) => e.activity === 'Create SW anomaly'),
    reopenCount: Math.max(0, resolves.length - 1),
  };
}

/** The pure mapping: parsed rows in, records out. */
export function helpdeskRecords(rows: readonly HelpdeskEvent[]): RecordDocument {
  return {
    tickets: [...groupBy(rows, (r) => r.case)].map(([id, events]) => toTicket(id, byTime(events))),
    agents: [...new Set(rows.map((r) => r.resource))]
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((r) => ({ sourceId: r, name: r, role: 'agent' as const })),
  };
}

export function convertHelpdesk(file: string): RecordDocument {
  return helpdeskRecords(readCsv(file, HelpdeskRow));
}
