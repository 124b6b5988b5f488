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

/**
 * The fields plainTicket checks by name. TypeScript refuses a name the schema lacks, and the
 * module refuses to load when the schema has a field this list lacks.
 */
const checkedFields = [
  'sourceId',
  'createdAt',
  'updatedAt',
  'solvedAt',
  'closedAt',
  'priority',
  'status',
  'channel',
  'groupId',
  'assigneeId',
  'organisationId',
  'category',
  'region',
  'reopenCount',
  'reassignmentCount',
  'knowledgeLinked',
  'problemLinked',
  'tags',
  'firstResponseMinutes',
  'agentReplies',
  'madeSla',
  'slaPolicyId',
] as const satisfies readonly (keyof Ticket)[];
const known = new Set<string>(checkedFields);
if (Object.keys(Ticket.shape).some((k) => !known.has(k)))
  throw new Error('plainTicket does not check every field of the Ticket schema');
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
  if (typeof v !== 'string') return false;
  const len = v.length;
  if (len !== 20 && len !== 24) return false;
  // Character codes only: indexing a string makes a one-character string each time.
  if (v.charCodeAt(len - 1) !== 90 /* Z */) return false;
  if (len === 24 && (v.charCodeAt(19) !== 46 /* . */ || digits(v, 20, 23) < 0)) return false;
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 /* - */) return false;
  if (v.charCodeAt(10) !== 84 /* T */) return false;
  if (v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58 /* : */) return false;
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

const plainTags = (v: unknown) => {
  if (!Array.isArray(v) || v.length > 500) return false;
  for (const t of v) if (!plainText(t, 0, 200) || t !== t.toLowerCase()) return false;
  return true;
};
const plainCount = (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= INT_MAX;

/**
 * True when `c` is a Ticket exactly as the schema would return it: a plain object with the
 * required fields, only known ones, each plainly valid. False says nothing: ask the schema.
 *
 * Each field is checked by name, in straight-line code (a loop that dispatched on each key's
 * kind took longer), and the fields with a value are counted. Then every enumerable key must be
 * a field, the object's own, with a value, and there must be as many as were counted: any other
 * key, a field set to undefined or inherited, or one that is not enumerable sends the object to
 * the schema.
 */
export function plainTicket(c: unknown): c is Ticket {
  if (c === null || typeof c !== 'object' || Object.getPrototypeOf(c) !== Object.prototype)
    return false;
  const o = c as { [K in keyof Ticket]?: unknown };
  if (!plainText(o.sourceId, 1, 200) || !plainTime(o.createdAt)) return false;
  if (typeof o.status !== 'string' || !statuses.has(o.status) || !plainTags(o.tags)) return false;
  let n = required.length;
  let v: unknown;
  if ((v = o.updatedAt) !== undefined && (++n, !plainTime(v))) return false;
  if ((v = o.solvedAt) !== undefined && (++n, !plainTime(v))) return false;
  if ((v = o.closedAt) !== undefined && (++n, !plainTime(v))) return false;
  if ((v = o.priority) !== undefined && (++n, typeof v !== 'string' || !priorities.has(v)))
    return false;
  if ((v = o.channel) !== undefined && (++n, !plainText(v, 1, 50))) return false;
  if ((v = o.groupId) !== undefined && (++n, !plainText(v, 1, 200))) return false;
  if ((v = o.assigneeId) !== undefined && (++n, !plainText(v, 1, 200))) return false;
  if ((v = o.organisationId) !== undefined && (++n, !plainText(v, 1, 200))) return false;
  if ((v = o.category) !== undefined && (++n, !plainText(v, 1, 200))) return false;
  if ((v = o.region) !== undefined && (++n, !plainText(v, 1, 200))) return false;
  if ((v = o.reopenCount) !== undefined && (++n, !plainCount(v))) return false;
  if ((v = o.reassignmentCount) !== undefined && (++n, !plainCount(v))) return false;
  if ((v = o.knowledgeLinked) !== undefined && (++n, typeof v !== 'boolean')) return false;
  if ((v = o.problemLinked) !== undefined && (++n, typeof v !== 'boolean')) return false;
  if (
    (v = o.firstResponseMinutes) !== undefined &&
    (++n, typeof v !== 'number' || !Number.isFinite(v) || v < 0)
  )
    return false;
  if ((v = o.agentReplies) !== undefined && (++n, !plainCount(v))) return false;
  if ((v = o.madeSla) !== undefined && (++n, typeof v !== 'boolean')) return false;
  if ((v = o.slaPolicyId) !== undefined && (++n, !plainText(v, 1, 200))) return false;
  // Exactly the fields counted: each key enumerated is a field, the object's own, with a value
  // (so it was counted), and as many were enumerated as were counted (none was hidden).
  let keys = 0;
  for (const k in o) {
    if (!known.has(k) || !Object.hasOwn(o, k) || o[k as keyof Ticket] === undefined) return false;
    keys++;
  }
  return keys === n;
}

/** Ticket.safeParse, by the quick way when the candidate is plainly a Ticket. */
export function safeParseTicket(c: unknown): z.ZodSafeParseResult<Ticket> {
  return plainTicket(c) ? { success: true, data: c } : Ticket.safeParse(c);
}

/** The Ticket schema as a domain check for mapPage, with the quick way. */
export const ticketCheck = { safeParse: safeParseTicket };
