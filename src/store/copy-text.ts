import { snake, type TableSpec } from './tables.js';

/**
 * Records as PostgreSQL's COPY text format (one line per record, columns separated by tabs,
 * `\N` for a missing value), for the staging table a page of records is loaded into.
 * https://www.postgresql.org/docs/current/sql-copy.html → File Formats → Text Format
 *
 * Written here rather than with csv-stringify: that library took 180 ms for a page of 10,000
 * tickets (JSON.stringify: 19 ms), more than COPY saves PostgreSQL. The format has four rules:
 * backslash, tab, newline and carriage return are escaped with a backslash; everything else,
 * any other character of any script included, stands as it is. Records have passed their zod
 * schema, so no text holds a NUL (which neither COPY nor PostgreSQL's text can carry).
 */

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text value escaped for COPY's text format. */
export function copyEscape(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : s;
}

/**
 * A text[] value as an array literal: every element double-quoted, with `"` and `\` escaped
 * inside the quotes (so that NULL, spaces, commas and braces are plain text).
 */
export function arrayLiteral(items: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < items.length; i++) {
    if (i) out += ',';
    out += `"${items[i]!.replace(/["\\]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

type Column = TableSpec['fields'][string];

/** The columns copyText writes, in its order (the staging table's and the record table's). */
export function copyColumns(spec: TableSpec): string[] {
  return ['account_id', 'source_id', ...Object.keys(spec.fields).map(snake)];
}

/**
 * A table's fields and their types, worked out once per table, not per record. Types are
 * small numbers switched on in copyText's loop: a call through a table of encoders, one per
 * type, could not be inlined there (a tenth more time per page).
 */
const TYPE: Record<Column, number> = {
  text: 0,
  timestamptz: 1,
  int: 2,
  float8: 2,
  boolean: 3,
  'text[]': 4,
  jsonb: 5,
};
type Plan = { names: string[]; types: number[] };
const plans = new WeakMap<Record<Column, number>, WeakMap<TableSpec, Plan>>();
/** A table's field names and their types as `codes` numbers them, worked out once per table. */
export function fieldPlan(spec: TableSpec, codes: Record<Column, number>): Plan {
  let byTable = plans.get(codes);
  if (!byTable) plans.set(codes, (byTable = new WeakMap()));
  let plan = byTable.get(spec);
  if (!plan) {
    const entries = Object.entries(spec.fields);
    plan = { names: entries.map(([f]) => f), types: entries.map(([, type]) => codes[type]) };
    byTable.set(spec, plan);
  }
  return plan;
}

/** Bytes a record's line takes, about (a ticket's is some 300): the buffer's first size. */
const LINE_BYTES = 320;

/**
 * An account's records (each with its sourceId) as COPY text lines, in copyColumns' order,
 * UTF-8 encoded into one buffer as they are written. A string built by appending would hold
 * some half a million short-lived pieces per page of 10,000 tickets until it is encoded: the
 * garbage collector copied them over and over while the rest of the sync ran, and that cost
 * more than the writing itself.
 */
export function copyText(
  spec: TableSpec,
  accountId: number,
  records: readonly Record<string, unknown>[],
): Buffer {
  if (!Number.isSafeInteger(accountId)) throw new Error(`not an account id: ${accountId}`);
  const { names, types } = fieldPlan(spec, TYPE);
  const account = `${accountId}\t`;
  let buf = Buffer.allocUnsafe(records.length * LINE_BYTES + 1024);
  let pos = 0;
  /** Room for `n` more bytes, the buffer doubled when it lacks it. */
  const room = (n: number) => {
    if (pos + n <= buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + n));
    buf.copy(bigger, 0, 0, pos);
    buf = bigger;
  };
  // A UTF-8 character of a JavaScript string's one or two code units takes at most 3 bytes each.
  const text = (s: string) => {
    room(s.length * 3);
    pos += buf.write(s, pos);
  };
  for (let r = 0; r < records.length; r++) {
    const rec = records[r]!;
    // A line is built as a string and written at once: a write per value cost more in calls.
    let line = account + copyEscape(rec.sourceId as string);
    for (let c = 0; c < names.length; c++) {
      const v = rec[names[c]!];
      if (v === undefined || v === null) {
        line += '\t\\N';
        continue;
      }
      switch (types[c]) {
        case 0:
          line += `\t${copyEscape(v as string)}`;
          break;
        case 1:
          // A date-time its schema checked (ISO-8601) holds no character COPY escapes (a tab
          // would add a column, which COPY refuses).
          line += `\t${v as string}`;
          break;
        case 2:
          line += `\t${v as number}`;
          break;
        case 3:
          line += v ? '\tt' : '\tf';
          break;
        case 4:
          line += `\t${copyEscape(arrayLiteral(v as string[]))}`;
          break;
        default:
          line += `\t${copyEscape(JSON.stringify(v))}`;
      }
    }
    text(line);
    room(1);
    buf[pos++] = 10; // newline
  }
  return buf.subarray(0, pos);
}
