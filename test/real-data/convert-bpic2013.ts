import { z } from 'zod';
import type { Priority, RecordInputOf } from '../../src/domain/records.js';
import { byTime, groupBy, readCsv, type RecordDocument } from './read-csv.js';

/**
 * BPI Challenge 2013, Volvo IT VINST incidents (IBM's copy, `bpic2013_incidents_VINST-new_ibm.csv`):
 * one row per status change of a service request, 65,533 events, 7,554 incidents.
 *
 * Only the 12 original BPIC'13 columns are read. IBM's five derived columns (`Activity`,
 * `Activity Level`, `Involved ST 2`, `ST Level`, `Resource`) are dropped at the boundary.
 *
 * Per incident (`SR Number`), events sorted by `Change Date+Time` (kept as written, +01:00):
 * - createdAt: the first event; updatedAt: the last event.
 * - status, from the last event: Completed-Closed and Completed-Cancelled → closed; Completed-
 *   Resolved and Completed-In Call → solved; Accepted-Wait - User / Wait - Customer → pending
 *   (waiting on the requester); Accepted-Wait, Wait - Implementation, Wait - Vendor → hold
 *   (waiting on someone else); anything else (Queued, Accepted-In Progress / Assigned,
 *   Unmatched) → open.
 * - solvedAt: the first resolution, when the incident ends solved or closed. The log marks a
 *   resolution as Completed-Resolved, or as Completed-In Call (solved during the call: 1,882
 *   incidents end there and are never Resolved nor Closed), or Completed-Closed.
 * - closedAt: the last event, when it is Completed-Closed or Completed-Cancelled. Incidents that
 *   end In Call carry no closure in the log, so they stay solved without closedAt.
 * - reopenCount: how many times the incident leaves a Completed status for a working one
 *   (Accepted, Queued, Unmatched): the requester or the team reopened it (514 incidents).
 * - priority: from `SR Latest Impact` (Major → urgent, High → high, Medium → normal, Low → low).
 *   VINST has no priority field: the impact stands in for it. It is the same on every event.
 * - groupId: `Involved ST` (the support team) of the last event; reassignmentCount: how many
 *   times `Involved ST` changes along the incident.
 * - assigneeId: the owner (`Owner Country` + `Owner First Name`) of the last event owned by a
 *   person. "Siebel" (the VINST tool itself, which closes most incidents) and "Partner" (an
 *   unnamed partner placeholder) are not people; both come with `Owner Country` "0".
 * - region: `Owner Country` of that owner; "0" is the log's missing value and is left out.
 * - category: `Product` (PROD582…), the same on every event.
 *
 * Groups: one per distinct `Involved ST` (id and name = the value, e.g. "G230 2nd").
 * Agents: one per person owner, with the `Involved ST` values of the events they owned.
 *
 * Left out: `Country` (a country code whose meaning the log does not document; not the owner's),
 * `Involved ST Function Div` and `Involved Org line 3` (organisation units, no record field for
 * them), channel, SLA, knowledge, first response (the log has none of them). The closed-problems
 * log (`bpic2013_closed_problems.csv`) shares no id with the incidents, so problemLinked is left
 * out rather than guessed.
 */

const IMPACT_TO_PRIORITY: Record<string, Priority> = {
  Major: 'urgent',
  High: 'high',
  Medium: 'normal',
  Low: 'low',
};

/** Owners that are not people: the Siebel tool and the unnamed partner placeholder. */
const NOT_A_PERSON = new Set(['Siebel', 'Partner']);

const MISSING_COUNTRY = '0';

export const Bpic13Row = z
  .object({
    'SR Number': z.string().min(1),
    'Change Date+Time': z.iso.datetime({ offset: true }),
    Status: z.enum(['Accepted', 'Queued', 'Completed', 'Unmatched']),
    'Sub Status': z.string().min(1),
    'Involved ST Function Div': z.string(),
    'Involved Org line 3': z.string(),
    'Involved ST': z.string().min(1),
    'SR Latest Impact': z.enum(['Major', 'High', 'Medium', 'Low']),
    Product: z.string().min(1),
    Country: z.string(),
    'Owner Country': z.string().min(1),
    'Owner First Name': z.string().min(1),
  })
  .transform((r) => ({
    case: r['SR Number'],
    time: r['Change Date+Time'],
    at: Date.parse(r['Change Date+Time']),
    status: r.Status,
    subStatus: r['Sub Status'],
    team: r['Involved ST'],
    impact: r['SR Latest Impact'],
    product: r.Product,
    ownerCountry: r['Owner Country'],
    ownerName: repairMojibake(r['Owner First Name']),
  }));
export type Bpic13Event = z.output<typeof Bpic13Row>;

/**
 * The owner names were written in Windows-1252 and read as Mac Roman ("Bjˆrn" for Björn): map
 * each character back to its Mac Roman byte and decode the bytes as Windows-1252.
 */
const macRomanByte = new Map<string, number>();
{
  const mac = new TextDecoder('macintosh');
  for (let b = 0x80; b <= 0xff; b++) macRomanByte.set(mac.decode(Uint8Array.of(b)), b);
}
const cp1252 = new TextDecoder('windows-1252');

export function repairMojibake(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  const bytes: number[] = [];
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    const b = code < 0x80 ? code : macRomanByte.get(ch);
    if (b === undefined) return s; // not Mac Roman mojibake: keep it as written
    bytes.push(b);
  }
  return cp1252.decode(Uint8Array.from(bytes));
}

const isPerson = (e: Bpic13Event) => !NOT_A_PERSON.has(e.ownerName);
const agentId = (e: Bpic13Event) => `${e.ownerCountry}/${e.ownerName}`;

function statusOf(e: Bpic13Event): RecordInputOf<'tickets'>['status'] {
  if (e.status === 'Completed')
    return e.subStatus === 'Closed' || e.subStatus === 'Cancelled' ? 'closed' : 'solved';
  if (e.status === 'Accepted') {
    if (e.subStatus === 'Wait - User' || e.subStatus === 'Wait - Customer') return 'pending';
    if (e.subStatus.startsWith('Wait')) return 'hold';
  }
  return 'open';
}

const RESOLUTION = new Set(['Resolved', 'In Call', 'Closed']);

function toTicket(sourceId: string, events: Bpic13Event[]): RecordInputOf<'tickets'> {
  const first = events[0]!;
  const last = events[events.length - 1]!;
  const status = statusOf(last);
  const ended = status === 'solved' || status === 'closed';
  const solved = ended
    ? events.find((e) => e.status === 'Completed' && RESOLUTION.has(e.subStatus))
    : undefined;
  let reassignments = 0;
  let reopens = 0;
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.team !== events[i - 1]!.team) reassignments++;
    if (events[i - 1]!.status === 'Completed' && events[i]!.status !== 'Completed') reopens++;
  }
  const owner = [...events].reverse().find(isPerson);
  return {
    sourceId,
    createdAt: first.time,
    updatedAt: last.time,
    status,
    ...(solved && { solvedAt: solved.time }),
    ...(status === 'closed' && { closedAt: last.time }),
    priority: IMPACT_TO_PRIORITY[last.impact]!,
    groupId: last.team,
    ...(owner && { assigneeId: agentId(owner) }),
    ...(owner && owner.ownerCountry !== MISSING_COUNTRY && { region: owner.ownerCountry }),
    category: last.product,
    reopenCount: reopens,
    reassignmentCount: reassignments,
  };
}

/** The pure mapping: parsed rows in, records out. */
export function bpic2013Records(rows: readonly Bpic13Event[]): RecordDocument {
  const tickets = [...groupBy(rows, (r) => r.case)].map(([id, events]) =>
    toTicket(id, byTime(events)),
  );
  const teams = [...new Set(rows.map((r) => r.team))].sort();
  const agentTeams = new Map<string, { name: string; teams: Set<string> }>();
  for (const r of rows.filter(isPerson)) {
    const id = agentId(r);
    const a = agentTeams.get(id) ?? { name: r.ownerName, teams: new Set<string>() };
    a.teams.add(r.team);
    agentTeams.set(id, a);
  }
  return {
    tickets,
    groups: teams.map((t) => ({ sourceId: t, name: t })),
    agents: [...agentTeams]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, a]) => ({
        sourceId: id,
        name: a.name,
        role: 'agent' as const,
        groupIds: [...a.teams].sort(),
      })),
  };
}

export function convertBpic2013(file: string): RecordDocument {
  return bpic2013Records(readCsv(file, Bpic13Row));
}
