import { INT_MAX } from '../../src/domain/records.js';
import type { TicketColumn, TicketColumns } from '../../src/domain/ticket-columns.js';
import type { incidentFields } from './map-incident.js';
import { toChannel, toPriority, toStatus } from './map-incident.js';
import type { ScannedPage } from './scan-page.js';
import { bool, flattenValue, int } from './values.js';

/**
 * A scanned incident page (scan-page.ts) → its tickets as columns (src/domain/ticket-columns.ts),
 * without a string per id or date: the same tickets incidentToTicket and the Ticket schema make
 * of the page's rows, or undefined when a row is anything but plain, and the caller maps the
 * parsed rows as records instead (which words what is wrong). Plain means: a sys_id, the date
 * fields absent, empty or in the Table API's `yyyy-MM-dd HH:mm:ss` on a real day from 1970 to
 * 2100, ids and names of 1 to 200 characters without spaces to trim, counts within the int
 * column, and no sys_id twice on the page. test/servicenow/scan.test.ts holds the two
 * ways to the same tickets and the same COPY bytes.
 *
 * Choice values (priority, state, channel, flags, counts) are short: they are read as strings
 * and go through the same functions as a record's. `ids` are the rows' sys_ids, in order.
 */
export function incidentColumns(
  page: ScannedPage,
  kbLinked?: (sysId: string) => boolean,
): { tickets: TicketColumns; ids: string[] } | undefined {
  const f = fieldIndex(page.fields);
  if (!f) return undefined;
  const n = page.length;
  const b = page.bytes;
  const ids: string[] = new Array<string>(n);
  const seen = new Set<string>();
  const sourceId = new Int32Array(2 * n);
  const createdAt = new Float64Array(n);
  const updatedAt = new Float64Array(n);
  const solvedAt = new Float64Array(n);
  const closedAt = new Float64Array(n);
  const priority = new Array<string | undefined>(n);
  const status = new Array<string | undefined>(n);
  const channel = new Array<string | undefined>(n);
  const groupId = new Int32Array(2 * n);
  const assigneeId = new Int32Array(2 * n);
  const organisationId = new Int32Array(2 * n);
  const category = new Int32Array(2 * n);
  const region = new Int32Array(2 * n);
  const reopenCount = new Int32Array(n);
  const reassignmentCount = new Int32Array(n);
  const knowledgeLinked = new Int8Array(n);
  const problemLinked = new Int8Array(n);
  const madeSla = new Int8Array(n);

  /** Row r's field as a range into `out` (-1 when missing); false when not plain. */
  const range = (r: number, field: number, out: Int32Array): boolean => {
    const s = page.start(r, field);
    out[2 * r] = out[2 * r + 1] = -1;
    if (s < 0) return true;
    const e = page.end(r, field);
    switch (presence(b, s, e)) {
      case MISSING:
        return true;
      case AS_SENT:
        if (e - s > 200) return false;
        out[2 * r] = s;
        out[2 * r + 1] = e;
        return true;
      default:
        return false;
    }
  };
  /** Row r's date field: ms, NaN when missing, undefined when not plain. */
  const date = (r: number, field: number): number | undefined => {
    const s = page.start(r, field);
    if (s < 0) return NaN;
    const e = page.end(r, field);
    if (e - s === 19) return tableApiMs(b, s);
    return presence(b, s, e) === MISSING ? NaN : undefined;
  };

  for (let r = 0; r < n; r++) {
    if (!range(r, f.sys_id, sourceId) || sourceId[2 * r]! < 0) return undefined;
    const id = b.toString('latin1', sourceId[2 * r]!, sourceId[2 * r + 1]!);
    if (seen.has(id)) return undefined;
    seen.add(id);
    ids[r] = id;
    const opened = date(r, f.opened_at);
    const created = date(r, f.sys_created_on);
    const updated = date(r, f.sys_updated_on);
    const resolved = date(r, f.resolved_at);
    const closed = date(r, f.closed_at);
    if (
      opened === undefined ||
      created === undefined ||
      updated === undefined ||
      resolved === undefined ||
      closed === undefined
    )
      return undefined;
    createdAt[r] = Number.isNaN(opened) ? created : opened;
    if (Number.isNaN(createdAt[r]!)) return undefined;
    updatedAt[r] = updated;
    solvedAt[r] = resolved;
    closedAt[r] = closed;
    const active = bool(page.value(r, f.active));
    status[r] =
      toStatus(page.value(r, f.incident_state)) ??
      toStatus(page.value(r, f.state)) ??
      (active === false ? 'closed' : Number.isNaN(resolved) ? 'open' : 'solved');
    priority[r] = toPriority(page.value(r, f.priority));
    channel[r] = toChannel(page.value(r, f.contact_type));
    if (
      !range(r, f.assignment_group, groupId) ||
      !range(r, f.assigned_to, assigneeId) ||
      !range(r, f.company, organisationId) ||
      !range(r, f.category, category) ||
      !range(r, f.location, region)
    )
      return undefined;
    const reopens = count(page.value(r, f.reopen_count));
    const reassignments = count(page.value(r, f.reassignment_count));
    if (reopens === undefined || reassignments === undefined) return undefined;
    reopenCount[r] = reopens;
    reassignmentCount[r] = reassignments;
    knowledgeLinked[r] = kbLinked?.(id) ? 1 : flag(bool(page.value(r, f.knowledge)));
    problemLinked[r] =
      page.value(r, f.problem_id) !== undefined ||
      page.value(r, f.rfc) !== undefined ||
      page.value(r, f.caused_by) !== undefined
        ? 1
        : page.has(r, f.problem_id) || page.has(r, f.rfc) || page.has(r, f.caused_by)
          ? 0
          : -1;
    madeSla[r] = flag(bool(page.value(r, f.made_sla)));
  }
  const text = (values: (string | undefined)[]): TicketColumn => ({ kind: 'text', values });
  return {
    ids,
    tickets: {
      count: n,
      bytes: b,
      columns: {
        sourceId: { kind: 'bytes', at: sourceId },
        createdAt: { kind: 'time', ms: createdAt },
        updatedAt: { kind: 'time', ms: updatedAt },
        solvedAt: { kind: 'time', ms: solvedAt },
        closedAt: { kind: 'time', ms: closedAt },
        priority: text(priority),
        status: text(status),
        channel: text(channel),
        groupId: { kind: 'bytes', at: groupId },
        assigneeId: { kind: 'bytes', at: assigneeId },
        organisationId: { kind: 'bytes', at: organisationId },
        category: { kind: 'bytes', at: category },
        region: { kind: 'bytes', at: region },
        reopenCount: { kind: 'count', values: reopenCount },
        reassignmentCount: { kind: 'count', values: reassignmentCount },
        knowledgeLinked: { kind: 'flag', values: knowledgeLinked },
        problemLinked: { kind: 'flag', values: problemLinked },
        madeSla: { kind: 'flag', values: madeSla },
        tags: { kind: 'empty' },
      },
    },
  };
}

/** The fields incidentColumns reads (of those the incident stream asks for). */
const READ = [
  'sys_id',
  'opened_at',
  'sys_created_on',
  'sys_updated_on',
  'resolved_at',
  'closed_at',
  'active',
  'incident_state',
  'state',
  'priority',
  'contact_type',
  'assignment_group',
  'assigned_to',
  'company',
  'category',
  'location',
  'reopen_count',
  'reassignment_count',
  'knowledge',
  'problem_id',
  'rfc',
  'caused_by',
  'made_sla',
] as const satisfies readonly (typeof incidentFields)[number][];
type FieldIndex = Record<(typeof READ)[number], number>;

/**
 * Where each field read is in the page's list; undefined when one was not asked for (its key
 * would then mean something else: the records' way decides). `number` is not read: every plain
 * row has a sys_id, which is the ticket's id.
 */
const indexes = new WeakMap<readonly string[], FieldIndex | null>();
function fieldIndex(fields: readonly string[]): FieldIndex | undefined {
  let found = indexes.get(fields);
  if (found === undefined) {
    const at = Object.fromEntries(READ.map((k) => [k, fields.indexOf(k)])) as FieldIndex;
    found = Object.values(at).every((i) => i >= 0) ? at : null;
    indexes.set(fields, found);
  }
  return found ?? undefined;
}

const MISSING = 0;
const AS_SENT = 1;
const CHANGED = 2;

/**
 * What flattenValue (values.ts) makes of bytes [s, e): nothing (MISSING), the bytes as they are
 * (AS_SENT) or another string (CHANGED: spaces to trim).
 */
function presence(b: Buffer, s: number, e: number): number {
  if (e === s) return MISSING;
  if (isSpace(b[s]!) || isSpace(b[e - 1]!)) return CHANGED;
  // Only short values may be one of MISSING's spellings.
  if (e - s <= 9) return flattenValue(b.toString('latin1', s, e)) === undefined ? MISSING : AS_SENT;
  return AS_SENT;
}

/** The ASCII characters String.prototype.trim removes (the page holds no other). */
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `yyyy-MM-dd HH:mm:ss` at bytes s… → ms since the epoch, when it is a real day and time from
 * 1970 to 2100 (what the Ticket schema takes); undefined otherwise.
 */
function tableApiMs(b: Buffer, s: number): number | undefined {
  if (b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 32) return undefined;
  if (b[s + 13] !== 58 || b[s + 16] !== 58) return undefined;
  const y = num(b, s, 4);
  const mo = num(b, s + 5, 2);
  const d = num(b, s + 8, 2);
  const h = num(b, s + 11, 2);
  const mi = num(b, s + 14, 2);
  const sec = num(b, s + 17, 2);
  if (y < 1970 || y > 2100 || mo < 1 || mo > 12 || d < 1) return undefined;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS[mo - 1]!)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec);
}

/** `len` ASCII digits at b[s…] as a number; -1 when one is not a digit. */
function num(b: Buffer, s: number, len: number): number {
  let x = 0;
  for (let i = s; i < s + len; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}

/**
 * A count as the record keeps it (-1: none), or undefined past the int column and for a minus
 * zero ("-0", which the record keeps as -0).
 */
function count(v: string | undefined): number | undefined {
  const n = int(v);
  if (n === undefined || n < 0) return -1;
  return n > INT_MAX || Object.is(n, -0) ? undefined : n;
}

const flag = (v: boolean | undefined) => (v === undefined ? -1 : v ? 1 : 0);
