import type { z } from 'zod';
import { INT_MAX, Priority, Ticket, TicketStatus } from './records.js';

/**
 * The Ticket schema's check, with a quick way through for the tickets mappers make.
 *
 * A sync maps ten thousand tickets a page, and the zod check of each (four dates, eight texts,
 * each with its own refinements, and a copy of the object) cost more than mapping them. Nearly
 * every ticket a mapper builds is plainly valid: known keys, ISO dates in UTC (`…Z`), short
 * texts without a NUL or a surrogate, lower-case tags. `plainTicket` recognises exactly such a
 * candidate and lets it through as it is; anything else (a missing or unknown key, an offset
 * date, a tag to lower-case, a text with a surrogate) goes to `Ticket.safeParse`, which
 * decides and words the error. The quick way is never looser than the schema: whatever it lets
 * through, the schema accepts and returns unchanged (test/ticket-check.test.ts checks this
 * against generated candidates).
 */

type Kind =
  | 'id'
  | 'time'
  | 'text50'
  | 'text200'
  | 'count'
  | 'bool'
  | 'minutes'
  | 'priority'
  | 'status'
  | 'tags';

/** Every field of the Ticket schema and what it holds (TypeScript keeps the two in step). */
const kinds = {
  sourceId: 'id',
  createdAt: 'time',
  updatedAt: 'time',
  solvedAt: 'time',
  closedAt: 'time',
  priority: 'priority',
  status: 'status',
  channel: 'text50',
  groupId: 'id',
  assigneeId: 'id',
  organisationId: 'id',
  category: 'text200',
  region: 'text200',
  reopenCount: 'count',
  reassignmentCount: 'count',
  knowledgeLinked: 'bool',
  problemLinked: 'bool',
  tags: 'tags',
  firstResponseMinutes: 'minutes',
  agentReplies: 'count',
  madeSla: 'bool',
  slaPolicyId: 'id',
} as const satisfies Record<keyof Ticket, Kind>;
const kindOf = new Map<string, Kind>(Object.entries(kinds));
const required = ['sourceId', 'createdAt', 'status', 'tags'] as const;

const priorities = new Set<string>(Priority.options);
const statuses = new Set<string>(TicketStatus.options);
/** A character PostgreSQL cannot store in text, or half of a surrogate pair: the schema decides. */
const MAYBE_PROBLEM = /[\0\uD800-\uDFFF]/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const plainText = (v: unknown, min: number, max: number) =>
  typeof v === 'string' && v.length >= min && v.length <= max && !MAYBE_PROBLEM.test(v);

const digits = (s: string, from: number, to: number) => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
};

/**
 * `yyyy-MM-ddTHH:mm:ssZ` or `yyyy-MM-ddTHH:mm:ss.sssZ` (what toISOString writes) on a real
 * calendar day from 1970 to 2100. Any other spelling (an offset, other fractions) is the
 * schema's to judge.
 */
function plainTime(v: unknown): boolean {
  if (typeof v !== 'string' || (v.length !== 20 && v.length !== 24)) return false;
  if (v[4] !== '-' || v[7] !== '-' || v[10] !== 'T' || v[13] !== ':' || v[16] !== ':') return false;
  if (v[v.length - 1] !== 'Z') return false;
  if (v.length === 24 && (v[19] !== '.' || digits(v, 20, 23) < 0)) return false;
  const y = digits(v, 0, 4);
  const mo = digits(v, 5, 7);
  const d = digits(v, 8, 10);
  const h = digits(v, 11, 13);
  const mi = digits(v, 14, 16);
  const s = digits(v, 17, 19);
  if (y < 1970 || y > 2100 || mo < 1 || mo > 12 || d < 1) return false;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (mo === 2 && leap ? 29 : MONTH_DAYS[mo - 1]!);
}

function plainValue(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'id':
      return plainText(v, 1, 200);
    case 'text50':
      return plainText(v, 1, 50);
    case 'text200':
      return plainText(v, 1, 200);
    case 'time':
      return plainTime(v);
    case 'count':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= INT_MAX;
    case 'minutes':
      return typeof v === 'number' && Number.isFinite(v) && v >= 0;
    case 'bool':
      return typeof v === 'boolean';
    case 'priority':
      return typeof v === 'string' && priorities.has(v);
    case 'status':
      return typeof v === 'string' && statuses.has(v);
    case 'tags': {
      if (!Array.isArray(v) || v.length > 500) return false;
      for (const t of v) if (!plainText(t, 0, 200) || t !== t.toLowerCase()) return false;
      return true;
    }
  }
}

/**
 * True when `c` is a Ticket exactly as the schema would return it: a plain object with the
 * required fields, only known ones, each plainly valid. False says nothing: ask the schema.
 */
export function plainTicket(c: unknown): c is Ticket {
  if (c === null || typeof c !== 'object' || Object.getPrototypeOf(c) !== Object.prototype)
    return false;
  const o = c as Record<string, unknown>;
  for (const k of required) if (!Object.hasOwn(o, k)) return false;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) return false;
    const kind = kindOf.get(k);
    if (kind === undefined || !plainValue(kind, o[k])) return false;
  }
  return true;
}

/** Ticket.safeParse, by the quick way when the candidate is plainly a Ticket. */
export function safeParseTicket(c: unknown): z.ZodSafeParseResult<Ticket> {
  return plainTicket(c) ? { success: true, data: c } : Ticket.safeParse(c);
}

/** The Ticket schema as a domain check for mapPage, with the quick way. */
export const ticketCheck = { safeParse: safeParseTicket };
