import { ticketFamilyNames, type TicketFieldFamily } from '../../src/domain/fields.js';
import type { Priority, Ticket } from '../../src/domain/records.js';
import { safeParseTicket } from '../../src/domain/ticket-check.js';
import { bool, choiceNumber, int, parseDate, slug, type DateOrder, type Fields } from './values.js';
import { zodSentence } from '../../src/errors.js';

/**
 * Incident → Ticket, shared by the Table API stream and the CSV import so both land in the same
 * records. Accepts stored values (`3`, `7`, `phone`) and display labels (`3 - Moderate`,
 * `Closed`, `Phone`). Pure: no I/O, no clock.
 */

export type MapResult<T> = { ok: true; record: T } | { ok: false; error: string };

/** ServiceNow priority 1..5 (value or "1 - Critical" label). */
export function toPriority(v: string | undefined): Priority | undefined {
  const n = choiceNumber(v);
  if (n !== undefined) {
    if (n === 1) return 'urgent';
    if (n === 2) return 'high';
    if (n === 3) return 'normal';
    if (n === 4 || n === 5) return 'low';
    return undefined;
  }
  const t = v ? slug(v) : '';
  if (t === 'critical') return 'urgent';
  if (t === 'high') return 'high';
  if (t === 'moderate' || t === 'medium') return 'normal';
  if (t === 'low' || t === 'planning') return 'low';
  return undefined;
}

/** Values of incident.incident_state / incident.state on a base instance. */
const stateValues: Partial<Record<number, Ticket['status']>> = {
  1: 'new',
  2: 'open',
  3: 'hold',
  6: 'solved',
  7: 'closed',
  8: 'closed',
};

/** incident_state / state, value or label → ticket status; undefined when unknown. */
export function toStatus(v: string | undefined): Ticket['status'] | undefined {
  if (v === undefined) return undefined;
  const n = choiceNumber(v);
  if (n !== undefined && String(n) === v.trim()) return stateValues[n];
  const t = slug(v);
  if (t === 'new') return 'new';
  if (/^(in_progress|active|assigned|work_in_progress|open)$/.test(t)) return 'open';
  if (/^awaiting_(user_info|caller|customer)/.test(t)) return 'pending';
  if (/^(on_hold|awaiting_|pending)/.test(t)) return 'hold';
  if (t === 'resolved') return 'solved';
  if (/^(closed|canceled|cancelled)/.test(t)) return 'closed';
  return undefined;
}

/** contact_type → lower-case channel; "Self service" is the portal (web). */
export function toChannel(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = slug(v);
  if (!t) return undefined;
  if (t === 'self_service' || t === 'service_portal' || t === 'portal') return 'web';
  return t.slice(0, 50);
}

/**
 * Fields the incident mapper reads (Table API names). All are on the incident table of a base
 * instance: `category`, `resolved_by` and `location` (inherited from task, a reference to
 * cmn_location) are in the incident record of the Table API documentation's GET example.
 */
export const incidentFields = [
  'sys_id',
  'number',
  'opened_at',
  'sys_created_on',
  'sys_updated_on',
  'resolved_at',
  'closed_at',
  'priority',
  'incident_state',
  'state',
  'active',
  'contact_type',
  'assignment_group',
  'assigned_to',
  'company',
  'reopen_count',
  'reassignment_count',
  'knowledge',
  'problem_id',
  'rfc',
  'caused_by',
  'made_sla',
  'sys_mod_count',
  'category',
  'location',
  'resolved_by',
] as const;

/** The ticket field family each incident field feeds (fields not listed feed none). */
const familyOfField: Record<string, TicketFieldFamily> = {
  priority: 'priority',
  contact_type: 'channel',
  assigned_to: 'assignee',
  assignment_group: 'group',
  company: 'organisation',
  category: 'category',
  location: 'region',
  made_sla: 'sla',
  reopen_count: 'reopens',
  reassignment_count: 'reassignments',
  knowledge: 'knowledge',
  problem_id: 'problem',
  rfc: 'problem',
  caused_by: 'problem',
  resolved_at: 'solved',
};

/**
 * The ticket field families a source vouches for when it reads these incident fields (a CSV
 * header, the fields a stream asks for): a field read and empty on an incident is a real "none"
 * for it. Incidents never carry tags, a first-response time or a reply count, so those families
 * are never among them.
 */
export function incidentFamilies(fields: Iterable<string>): TicketFieldFamily[] {
  const found = new Set<TicketFieldFamily>();
  for (const f of fields) {
    const family = familyOfField[f];
    if (family) found.add(family);
  }
  return ticketFamilyNames.filter((f) => found.has(f));
}

export interface IncidentMapOptions {
  dateOrder?: DateOrder;
  /** The incident is linked to a knowledge article through m2m_kb_task. */
  kbLinked?: boolean;
}

export function incidentToTicket(f: Fields, o: IncidentMapOptions = {}): MapResult<Ticket> {
  const order = o.dateOrder ?? 'ymd';
  const sourceId = f.sys_id ?? f.number;
  if (!sourceId) return { ok: false, error: 'no sys_id or number' };
  const opened = parseDate(f.opened_at, order);
  const created = parseDate(f.sys_created_on, order);
  const updated = parseDate(f.sys_updated_on, order);
  const resolved = parseDate(f.resolved_at, order);
  const closed = parseDate(f.closed_at, order);
  if (opened === null) return notADate(f, 'opened_at', order);
  if (created === null) return notADate(f, 'sys_created_on', order);
  if (updated === null) return notADate(f, 'sys_updated_on', order);
  if (resolved === null) return notADate(f, 'resolved_at', order);
  if (closed === null) return notADate(f, 'closed_at', order);
  const createdAt = opened ?? created;
  if (!createdAt) return { ok: false, error: 'no opened_at or sys_created_on' };
  const active = bool(f.active);
  const status =
    toStatus(f.incident_state) ??
    toStatus(f.state) ??
    (active === false ? 'closed' : resolved ? 'solved' : 'open');
  const flag = bool(f.knowledge);
  const knowledgeLinked = o.kbLinked ? true : flag;
  const problemLinked =
    f.problem_id !== undefined || f.rfc !== undefined || f.caused_by !== undefined
      ? true
      : 'problem_id' in f || 'rfc' in f || 'caused_by' in f
        ? false
        : undefined;
  // One object, its optional fields set only when known. A sync maps ten thousand incidents a
  // page: no spreads and no closure per incident.
  const candidate: Record<string, unknown> = { sourceId, createdAt };
  if (updated !== undefined) candidate.updatedAt = updated;
  if (resolved !== undefined) candidate.solvedAt = resolved;
  if (closed !== undefined) candidate.closedAt = closed;
  const priority = toPriority(f.priority);
  if (priority !== undefined) candidate.priority = priority;
  candidate.status = status;
  const channel = toChannel(f.contact_type);
  if (channel !== undefined) candidate.channel = channel;
  if (f.assignment_group !== undefined) candidate.groupId = f.assignment_group;
  if (f.assigned_to !== undefined) candidate.assigneeId = f.assigned_to;
  if (f.company !== undefined) candidate.organisationId = f.company;
  // Kept as delivered: the stored choice value through the Table API, the value or the label
  // (e.g. "Category 55") in an export.
  if (f.category !== undefined) candidate.category = f.category.slice(0, 200);
  // A reference to cmn_location: its sys_id through the Table API (stored values), the display
  // value an export shows (e.g. "Location 143").
  if (f.location !== undefined) candidate.region = f.location.slice(0, 200);
  const reopens = nonNegative(int(f.reopen_count));
  if (reopens !== undefined) candidate.reopenCount = reopens;
  const reassignments = nonNegative(int(f.reassignment_count));
  if (reassignments !== undefined) candidate.reassignmentCount = reassignments;
  if (knowledgeLinked !== undefined) candidate.knowledgeLinked = knowledgeLinked;
  if (problemLinked !== undefined) candidate.problemLinked = problemLinked;
  const madeSla = bool(f.made_sla);
  if (madeSla !== undefined) candidate.madeSla = madeSla;
  candidate.tags = [];
  const r = safeParseTicket(candidate);
  if (!r.success) {
    return { ok: false, error: zodSentence(r.error, { top: 'record' }) };
  }
  return { ok: true, record: r.data };
}

function notADate(f: Fields, k: string, order: DateOrder): MapResult<Ticket> {
  return { ok: false, error: `${k}: "${f[k]}" is not a date (${order})` };
}

const nonNegative = (n: number | undefined) => (n !== undefined && n >= 0 ? n : undefined);
