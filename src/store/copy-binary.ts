import { copyText, fieldPlan } from './copy-text.js';
import {
  ticketsOfColumns,
  type TicketColumn,
  type TicketColumns,
} from '../domain/ticket-columns.js';
import type { TableSpec } from './tables.js';

/**
 * Records as PostgreSQL's binary COPY format, the way pages of records reach the database.
 * https://www.postgresql.org/docs/current/sql-copy.html → File Formats → Binary Format
 *
 * The text format (copy-text.ts) makes the database parse every value from its text: a page's
 * timestamps, numbers and arrays cost PGlite's WebAssembly about a quarter of its COPY (100,000
 * tickets: 0.78 s as text, 0.57 s as binary), and PostgreSQL about a sixth. Written with the
 * values' binary forms, a page costs the encoder here no more than the text (80 ms against 88 ms
 * per 100,000 tickets), since the values need no escaping.
 *
 * The binary form of a value must be exactly what PostgreSQL would have parsed from its text, or
 * it would be stored differently with no error. So copyBinary writes only what it can write
 * exactly and gives up on the page otherwise (copyPage then writes it as text, and the database
 * parses it or refuses it as before): a time not in the form its schema checks
 * (YYYY-MM-DDTHH:MM:SS, up to 6 decimals of a second, Z or ±HH:MM), a whole number out of the
 * int column's range, a value of the wrong type.
 */

/** A page of one account's records for COPY: the bytes, their format, how many rows they hold. */
export interface CopyPage {
  format: 'text' | 'binary';
  data: Buffer;
  rows: number;
}

/** The page in the binary format where every value allows it, else in the text format. */
export function copyPage(
  spec: TableSpec,
  accountId: number,
  records: readonly Record<string, unknown>[],
): CopyPage {
  const binary = copyBinary(spec, accountId, records);
  return binary
    ? { format: 'binary', data: binary, rows: records.length }
    : { format: 'text', data: copyText(spec, accountId, records), rows: records.length };
}

/** The options of a COPY … FROM of a page in this format. */
export const copyOptions = (format: CopyPage['format']) =>
  format === 'binary' ? ' WITH (FORMAT binary)' : '';

/** Types as small numbers for copyBinary's switch (as copy-text.ts does, for the same reason). */
const TYPE: Record<TableSpec['fields'][string], number> = {
  text: 0,
  timestamptz: 1,
  int: 2,
  float8: 3,
  boolean: 4,
  'text[]': 5,
  jsonb: 6,
};
/** The OID of text, which a text[] value names as its elements' type. */
const TEXT_OID = 25;

/** 11-byte signature, flags (none), header extension length (0). */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);

const isDigit = (c: number) => c >= 48 && c <= 57;
const two = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);
/** Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch. */
const PG_EPOCH_DAYS = 10_957;

/**
 * Microseconds from 2000-01-01T00:00:00Z (timestamptz's binary value) to an ISO-8601 date-time
 * of the form Ticket's schema checks, or NaN for any other text, a fraction of more than 6
 * digits included (PostgreSQL would round it: left to the text format). The calendar day is
 * taken as given: the schema has checked it is a real one.
 */
export function pgMicros(s: string): number {
  const n = s.length;
  if (
    n < 20 ||
    !(
      isDigit(s.charCodeAt(0)) &&
      isDigit(s.charCodeAt(1)) &&
      isDigit(s.charCodeAt(2)) &&
      isDigit(s.charCodeAt(3)) &&
      s.charCodeAt(4) === 45 && // -
      isDigit(s.charCodeAt(5)) &&
      isDigit(s.charCodeAt(6)) &&
      s.charCodeAt(7) === 45 &&
      isDigit(s.charCodeAt(8)) &&
      isDigit(s.charCodeAt(9)) &&
      s.charCodeAt(10) === 84 && // T
      isDigit(s.charCodeAt(11)) &&
      isDigit(s.charCodeAt(12)) &&
      s.charCodeAt(13) === 58 && // :
      isDigit(s.charCodeAt(14)) &&
      isDigit(s.charCodeAt(15)) &&
      s.charCodeAt(16) === 58 &&
      isDigit(s.charCodeAt(17)) &&
      isDigit(s.charCodeAt(18))
    )
  )
    return NaN;
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return NaN;
  let i = 19;
  let micros = 0;
  if (s.charCodeAt(i) === 46) {
    // .
    let digits = 0;
    for (i++; i < n && isDigit(s.charCodeAt(i)); i++) {
      if (++digits > 6) return NaN;
      micros = micros * 10 + (s.charCodeAt(i) - 48);
    }
    if (!digits) return NaN;
    for (; digits < 6; digits++) micros *= 10;
  }
  let offset = 0;
  const zone = s.charCodeAt(i);
  if (zone === 90) {
    // Z
    if (i + 1 !== n) return NaN;
  } else if ((zone === 43 || zone === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    // ±HH:MM
    if (!isDigit(s.charCodeAt(i + 1)) || !isDigit(s.charCodeAt(i + 2))) return NaN;
    if (!isDigit(s.charCodeAt(i + 4)) || !isDigit(s.charCodeAt(i + 5))) return NaN;
    const oh = two(s, i + 1);
    const om = two(s, i + 4);
    // PostgreSQL refuses an offset past 15:59 (the schemas do too).
    if (oh > 15 || om > 59) return NaN;
    offset = (oh * 60 + om) * 60 * (zone === 45 ? -1 : 1);
  } else return NaN;
  // Days from 1970-01-01 of a day of the proleptic Gregorian calendar (H. Hinnant's
  // days_from_civil): years start on 1 March, so a leap day is the last day of its year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  const days = era * 146_097 + dayOfEra - 719_468 - PG_EPOCH_DAYS;
  const out = (days * 86_400 + hour * 3600 + minute * 60 + second - offset) * 1e6 + micros;
  // Exact only within 2^53 µs of 2000 (some 285 years either way): past that, the text format.
  return Number.isSafeInteger(out) ? out : NaN;
}

/**
 * The output buffer and the write position: fields of one object, so that the writes below stay
 * small functions V8 inlines (a closure over a `let` it reassigns cost a sixth more per page).
 */
class Out {
  buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  /** Room for `n` more bytes, the buffer doubled when it lacks it. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
  /** A 32-bit integer, big-endian (the caller has made room). */
  int32(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.pos = p + 4;
  }
  /**
   * A value's length (32 bits) and its text as UTF-8. Byte by byte while it is ASCII (most ids,
   * codes and names): a call to Buffer#write per value cost more than the copying.
   */
  text(s: string): void {
    const n = s.length;
    this.room(4 + n * 3);
    const b = this.buf;
    const start = this.pos + 4;
    let p = start;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) {
        p = start + b.write(s, start);
        break;
      }
      b[p++] = c;
    }
    this.int32(p - start);
    this.pos = p;
  }
}

/** Bytes a ticket's row takes, about (some 270): the buffer's first size. */
const ROW_BYTES = 300;

/**
 * An account's records (each with its sourceId) in the binary format, in copyColumns' order; or
 * undefined when a value cannot be written exactly (see above).
 */
export function copyBinary(
  spec: TableSpec,
  accountId: number,
  records: readonly Record<string, unknown>[],
): Buffer | undefined {
  if (!Number.isSafeInteger(accountId) || (accountId | 0) !== accountId)
    throw new Error(`not an account id: ${accountId}`);
  const { names, types } = fieldPlan(spec, TYPE);
  const columns = names.length + 2;
  /** The most a row's fixed-size values take: 12 bytes (length + 8) per column and its count. */
  const fixed = columns * 12 + 2;
  const out = new Out(records.length * ROW_BYTES + HEADER.length + 2);
  HEADER.copy(out.buf, 0);
  out.pos = HEADER.length;
  for (let r = 0; r < records.length; r++) {
    const rec = records[r]!;
    out.room(fixed);
    out.buf[out.pos++] = columns >>> 8;
    out.buf[out.pos++] = columns & 0xff;
    out.int32(4);
    out.int32(accountId);
    const sourceId = rec.sourceId;
    if (typeof sourceId !== 'string') return undefined;
    out.text(sourceId);
    // A text takes only the room it needs (up to 3 bytes a character): the rest of the row's
    // fixed-size values need theirs again.
    out.room(fixed);
    for (let c = 0; c < names.length; c++) {
      const v = rec[names[c]!];
      // Every branch leaves room for the rest of the row's fixed-size values.
      if (v === undefined || v === null) {
        out.int32(-1);
        continue;
      }
      switch (types[c]) {
        case 0:
          if (typeof v !== 'string') return undefined;
          out.text(v);
          out.room(fixed);
          break;
        case 1: {
          const micros = typeof v === 'string' ? pgMicros(v) : NaN;
          if (Number.isNaN(micros)) return undefined;
          const high = Math.floor(micros / 0x1_0000_0000);
          out.int32(8);
          out.int32(high);
          out.int32(micros - high * 0x1_0000_0000);
          break;
        }
        case 2:
          if (typeof v !== 'number' || (v | 0) !== v) return undefined;
          out.int32(4);
          out.int32(v);
          break;
        case 3:
          if (typeof v !== 'number') return undefined;
          out.int32(8);
          // -0 as 0: its text ("0", String(-0)) would be stored as 0.
          out.buf.writeDoubleBE(v === 0 ? 0 : v, out.pos);
          out.pos += 8;
          break;
        case 4:
          if (typeof v !== 'boolean') return undefined;
          out.int32(1);
          out.buf[out.pos++] = v ? 1 : 0;
          break;
        case 5: {
          if (!Array.isArray(v)) return undefined;
          const at = out.pos;
          out.pos += 4; // the value's length, written once known
          out.room(20);
          // Dimensions (none for an empty array), a null flag, the elements' type; then the one
          // dimension's size and lower bound (1), and each element as a length and its text.
          out.int32(v.length ? 1 : 0);
          out.int32(0);
          out.int32(TEXT_OID);
          if (v.length) {
            out.int32(v.length);
            out.int32(1);
            for (const item of v as unknown[]) {
              if (typeof item !== 'string') return undefined;
              out.text(item);
            }
          }
          const end = out.pos;
          out.pos = at;
          out.int32(end - at - 4);
          out.pos = end;
          out.room(fixed);
          break;
        }
        default: {
          // jsonb: its format's version (1), then the JSON's text.
          const json = JSON.stringify(v);
          if (json === undefined) return undefined;
          out.room(5 + json.length * 3);
          const at = out.pos;
          out.buf[at + 4] = 1;
          const n = out.buf.write(json, at + 5);
          out.int32(n + 1);
          out.pos = at + 5 + n;
          out.room(fixed);
        }
      }
    }
  }
  out.room(2);
  out.buf[out.pos++] = 0xff; // the trailer: a row of -1 columns
  out.buf[out.pos++] = 0xff;
  return out.buf.subarray(0, out.pos);
}

/** PostgreSQL's epoch, 2000-01-01T00:00:00Z, in ms since 1970. */
const PG_EPOCH_MS = PG_EPOCH_DAYS * 86_400_000;

/**
 * A page of tickets held as columns (src/domain/ticket-columns.ts) in the binary format: the
 * same bytes copyBinary writes for the tickets they hold (test/servicenow/scan.test.ts),
 * without making them. Undefined when a column does not fit its table column's type; the caller
 * then writes the tickets (copyColumnsPage).
 */
export function copyTicketColumns(
  spec: TableSpec,
  accountId: number,
  t: TicketColumns,
): Buffer | undefined {
  if (!Number.isSafeInteger(accountId) || (accountId | 0) !== accountId)
    throw new Error(`not an account id: ${accountId}`);
  const { names, types } = fieldPlan(spec, TYPE);
  const columns = names.length + 2;
  const cols = names.map((name) => (t.columns as Record<string, TicketColumn | undefined>)[name]);
  // Each column's kind must write its table column's type, or nothing at all (null).
  for (let c = 0; c < names.length; c++) {
    const kind = cols[c]?.kind;
    if (kind === undefined) continue;
    const type = types[c];
    const fits =
      type === 0
        ? kind === 'bytes' || kind === 'text'
        : type === 1
          ? kind === 'time'
          : type === 2
            ? kind === 'count'
            : type === 4
              ? kind === 'flag'
              : type === 5 && kind === 'empty';
    if (!fits) return undefined;
  }
  const fixed = columns * 12 + 2;
  const src = t.bytes;
  // A ServiceNow incident's row takes some 330 bytes: room for 400 saves doubling the buffer.
  const out = new Out(t.count * 400 + HEADER.length + 2);
  HEADER.copy(out.buf, 0);
  out.pos = HEADER.length;
  /** Bytes [s, e) of the page as a text value (ASCII, so its UTF-8 as it stands). */
  const bytes = (s: number, e: number) => {
    out.room(4 + e - s + fixed);
    out.int32(e - s);
    const b = out.buf;
    let p = out.pos;
    for (let i = s; i < e; i++) b[p++] = src[i]!;
    out.pos = p;
  };
  const ids = t.columns.sourceId.at;
  for (let r = 0; r < t.count; r++) {
    out.room(fixed);
    out.buf[out.pos++] = columns >>> 8;
    out.buf[out.pos++] = columns & 0xff;
    out.int32(4);
    out.int32(accountId);
    bytes(ids[2 * r]!, ids[2 * r + 1]!);
    for (let c = 0; c < cols.length; c++) {
      const col = cols[c];
      if (col === undefined) {
        out.int32(-1);
        continue;
      }
      switch (col.kind) {
        case 'bytes': {
          const s = col.at[2 * r]!;
          if (s < 0) out.int32(-1);
          else bytes(s, col.at[2 * r + 1]!);
          break;
        }
        case 'text': {
          const v = col.values[r];
          if (v === undefined) out.int32(-1);
          else {
            out.text(v);
            out.room(fixed);
          }
          break;
        }
        case 'time': {
          const ms = col.ms[r]!;
          if (Number.isNaN(ms)) {
            out.int32(-1);
            break;
          }
          const micros = (ms - PG_EPOCH_MS) * 1000;
          const high = Math.floor(micros / 0x1_0000_0000);
          out.int32(8);
          out.int32(high);
          out.int32(micros - high * 0x1_0000_0000);
          break;
        }
        case 'count': {
          const v = col.values[r]!;
          if (v < 0) out.int32(-1);
          else {
            out.int32(4);
            out.int32(v);
          }
          break;
        }
        case 'flag': {
          const v = col.values[r]!;
          if (v < 0) out.int32(-1);
          else {
            out.int32(1);
            out.buf[out.pos++] = v;
          }
          break;
        }
        case 'empty':
          // An empty text[]: no dimension, no null, the elements' type.
          out.int32(12);
          out.int32(0);
          out.int32(0);
          out.int32(TEXT_OID);
          break;
      }
    }
  }
  out.room(2);
  out.buf[out.pos++] = 0xff;
  out.buf[out.pos++] = 0xff;
  return out.buf.subarray(0, out.pos);
}

/** Tickets held as columns as a COPY page: binary from the columns, else from their records. */
export function copyColumnsPage(spec: TableSpec, accountId: number, t: TicketColumns): CopyPage {
  const binary = copyTicketColumns(spec, accountId, t);
  return binary
    ? { format: 'binary', data: binary, rows: t.count }
    : copyPage(spec, accountId, ticketsOfColumns(t));
}
