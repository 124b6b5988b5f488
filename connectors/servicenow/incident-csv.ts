import { isUtf8 } from 'node:buffer';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse, type Info } from 'csv-parse';
import type { Ticket } from '../../src/domain/records.js';
import { describeUtf8Problem, readProblem, utf8Problem, utf8Tail } from '../../src/domain/text.js';
import { MaturityError } from '../../src/errors.js';
import { incidentToTicket } from './map-incident.js';
import {
  dateOrderHint,
  flattenStringsInPlace,
  flattenValue,
  int,
  type DateOrder,
} from './values.js';

/**
 * Reads a ServiceNow incident list export (CSV, optionally gzip-compressed) as a stream: a header
 * of field names or column labels, values or display labels, `?`/empty for missing. Each data row
 * goes through the same mapper as the Table API. Memory stays flat whatever the file size: a
 * record is at most MAX_RECORD_CHARS long.
 */

/** Column labels and variants seen in exports → Table API field names. */
const HEADER_ALIASES: Record<string, string> = {
  sys_updated_at: 'sys_updated_on',
  sys_created_at: 'sys_created_on',
  updated: 'sys_updated_on',
  created: 'sys_created_on',
  opened: 'opened_at',
  resolved: 'resolved_at',
  closed: 'closed_at',
  channel: 'contact_type',
  updates: 'sys_mod_count',
  problem: 'problem_id',
  change_request: 'rfc',
  caused_by_change: 'caused_by',
  sys_id: 'sys_id',
  incident_number: 'number',
};

export function normaliseHeader(h: string): string {
  const t = h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/^incident\./, '')
    .replace(/[^a-z0-9_.]+/g, '_')
    .replace(/^_|_$/g, '');
  // Own keys only: a column named `constructor` or `__proto__` is itself, not Object's.
  return Object.hasOwn(HEADER_ALIASES, t) ? HEADER_ALIASES[t]! : t;
}

const DATE_COLUMNS = ['opened_at', 'sys_created_on', 'sys_updated_on', 'resolved_at', 'closed_at'];

/**
 * The longest record read (characters of all its fields). An incident list row is a few hundred
 * bytes, a few KB with long descriptions; 4 MiB leaves room for any real one. A longer record is
 * a quote left open (the rest of the file would become one field) or not a CSV at all, and the
 * parser would hold all of it in memory: the file is refused instead.
 */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/** Refuses (E_INPUT) a file that is missing, unreadable or a directory, saying which. */
function checkReadable(file: string): void {
  let problem: string | undefined;
  try {
    const st = statSync(file);
    if (st.isDirectory()) problem = readProblem({ code: 'EISDIR' });
    else closeSync(openSync(file, 'r'));
  } catch (err) {
    problem = readProblem(err);
  }
  if (problem) throw new MaturityError('E_INPUT', `cannot read ${file}: ${problem}`);
}

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    const n = readSync(fd, b, 0, 2, 0);
    return n === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Passes bytes on only when they are UTF-8 (a sequence split across chunks waits for the next
 * one), counting lines, so a file in another encoding is refused at its first foreign byte
 * instead of being read with replacement characters.
 */
class Utf8Check extends Transform {
  lines = 0;
  private offset = 0;
  private carry: Buffer | undefined;

  constructor(private readonly file: string) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = utf8Tail(buf);
    this.carry = tail ? Buffer.from(buf.subarray(buf.length - tail)) : undefined;
    const body = tail ? buf.subarray(0, buf.length - tail) : buf;
    if (!isUtf8(body)) return cb(this.refusal(body));
    for (let i = body.indexOf(10); i >= 0; i = body.indexOf(10, i + 1)) this.lines++;
    this.offset += body.length;
    cb(null, body);
  }

  override _flush(cb: TransformCallback): void {
    cb(this.carry ? this.refusal(this.carry) : null);
  }

  private refusal(buf: Buffer): MaturityError {
    const p = utf8Problem(buf, { offset: this.offset, lines: this.lines }) ?? {
      offset: this.offset,
      line: this.lines + 1,
      byte: buf[0] ?? 0,
    };
    return new MaturityError(
      'E_IMPORT_INVALID',
      `${this.file}: not UTF-8 text at ${describeUtf8Problem(p)}; export it again as UTF-8 CSV; nothing was stored`,
    );
  }
}

interface CsvItem {
  record: Record<string, string>;
  /**
   * The line the record ends on (the one field of csv-parse's record info read here), corrected
   * for the CRLFs in quoted values before it (csvRecords).
   */
  info: { lines: number };
}

/**
 * Cuts csv-parse's record info (`info: true`) down to the line the record ends on, the one field
 * read here. As the parser writes it, a dozen fields copied per record, V8 kept most records alive
 * into the old generation (1,000,000 UCI rows: 205 MB promoted by the young generation's
 * collections, against 1 MB with the line alone), and a large import's peak memory grew with the
 * file. csv-parse 7 builds that object in its parser's `api.__infoRecord`;
 * test/servicenow/incident-csv.test.ts fails if a version no longer has it (the import would
 * still be right, with the memory it took before).
 */
export function leanRecordInfo(p: ReturnType<typeof parse>): boolean {
  const api = (p as unknown as { api?: { info?: Info; __infoRecord?: unknown } }).api;
  if (typeof api?.__infoRecord !== 'function' || typeof api.info?.lines !== 'number') return false;
  api.__infoRecord = function (this: { info: Info }) {
    return { lines: this.info.lines };
  };
  return true;
}

interface CsvReadOptions {
  onBytes?: (n: number) => void;
  onHeader?: (columns: string[]) => void;
  /** A record the parser could not read (wrong number of fields, a stray quote…). */
  onSkip?: (line: number, error: string) => void;
}

/**
 * The file's records, streamed: bytes (gunzipped when the file is gzip) ► UTF-8 check ► CSV
 * parser. Any failure on the way (a truncated or corrupt gzip, a foreign encoding, a header that
 * is no incident export, a record past MAX_RECORD_CHARS) ends the iteration with one
 * E_IMPORT_INVALID naming the file and line.
 */
async function* csvRecords(file: string, o: CsvReadOptions = {}): AsyncGenerator<CsvItem> {
  checkReadable(file);
  const gz = isGzip(file);
  const utf8 = new Utf8Check(file);
  let header: string[] | undefined;
  let firstSkip: string | undefined;
  /** The last line of the last record read (or skipped): the next record starts after it. */
  let lastLine = 0;
  // csv-parse counts a CRLF inside a quoted value as two lines (csv-parse 7.0.3: its CR and its
  // LF each end a "line"), so every line after such a value came out one too far per CRLF. The
  // records' lines are corrected as they are parsed, in the parser's order (skips included): a
  // record that ends more than one line after the one before may hold CRLFs, and those are
  // counted once each.
  let parsedLine = 1;
  let extraLines = 0;
  const fixLine = (line: number) => line - extraLines;
  const p = parse({
    columns: (raw: string[]) => {
      header = raw.map(normaliseHeader);
      lastLine = 1; // a header holds no line breaks in practice
      checkHeader(file, header, raw);
      o.onHeader?.(header);
      return header;
    },
    bom: true,
    info: true,
    skip_empty_lines: true,
    // No trim here: values are trimmed once in values.ts (csv-parse's trim costs a third of the time).
    skip_records_with_error: true,
    relax_quotes: false,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (item: CsvItem) => {
      const line = item.info.lines;
      if (line - parsedLine > 1) extraLines += crlfsIn(item.record);
      parsedLine = line;
      item.info.lines = fixLine(line);
      return item;
    },
  });
  leanRecordInfo(p);
  p.on('skip', (err: Error & { code?: string; lines?: number }) => {
    // Thrown from the listener, the parser stops with it (csv-parse's on_skip).
    if (err.code === 'CSV_MAX_RECORD_SIZE') {
      throw new MaturityError(
        'E_IMPORT_INVALID',
        `${file}:${lastLine + 1}: a record runs past ${MAX_RECORD_CHARS / 2 ** 20} MiB (a quote left open, or not a CSV export); nothing was stored`,
      );
    }
    if (err.lines !== undefined) {
      const rec = (err as { record?: unknown }).record;
      if (err.lines - parsedLine > 1 && Array.isArray(rec)) extraLines += crlfsIn(rec);
      parsedLine = err.lines;
    }
    const line = fixLine(err.lines ?? 0);
    lastLine = line;
    // The parser's message names its own count ("… on line 8"): the line as corrected.
    const message = oneLine(err.message).replace(`on line ${err.lines}`, `on line ${line}`);
    firstSkip ??= `line ${line}: ${message}`;
    o.onSkip?.(line, message);
  });
  const raw = createReadStream(file);
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      o.onBytes?.(chunk.length);
      cb(null, chunk);
    },
  });
  // pipeline: an error anywhere destroys every stream, and the parser's iteration throws it.
  const streams: NodeJS.ReadWriteStream[] = [counter, ...(gz ? [createGunzip()] : []), utf8];
  pipeline([raw, ...streams, p], () => undefined);
  try {
    for await (const item of p as AsyncIterable<CsvItem>) {
      lastLine = item.info.lines;
      yield item;
    }
  } catch (err) {
    const e = err as { lines?: unknown };
    if (typeof e?.lines === 'number') e.lines = fixLine(e.lines);
    throw csvError(file, err, utf8.lines, gz);
  } finally {
    p.destroy();
    raw.destroy();
  }
  if (!header) {
    throw new MaturityError(
      'E_IMPORT_INVALID',
      firstSkip
        ? `${file}: not a CSV export (${firstSkip}); nothing was stored`
        : `${file}: is empty (no header line); nothing was stored`,
    );
  }
}

/** The CRLF pairs in a record's values (the line breaks csv-parse counted twice). */
function crlfsIn(record: Record<string, unknown> | unknown[]): number {
  let n = 0;
  for (const v of Object.values(record)) {
    if (typeof v !== 'string') continue;
    for (let i = v.indexOf('\r\n'); i >= 0; i = v.indexOf('\r\n', i + 2)) n++;
  }
  return n;
}

/** A failure while reading, as one line naming the file (and line when known). */
function csvError(file: string, err: unknown, lines: number, gz: boolean): MaturityError {
  if (err instanceof MaturityError) return err;
  const e = err as Error & { code?: string; lines?: number };
  if (gz && (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR' || e.code?.startsWith('Z_'))) {
    const what =
      e.code === 'Z_BUF_ERROR'
        ? 'the gzip data ends early (the file is truncated)'
        : `the gzip data is corrupt (${e.message})`;
    return new MaturityError(
      'E_IMPORT_INVALID',
      `${file}: ${what} after line ${lines}; nothing was stored`,
      { cause: err },
    );
  }
  if (e.code && /^E[A-Z]+$/.test(e.code)) {
    return new MaturityError('E_INPUT', `cannot read ${file}: ${readProblem(err)}`, { cause: err });
  }
  return new MaturityError(
    'E_IMPORT_INVALID',
    `${file}${e.lines ? `:${e.lines}` : ''}: cannot read the CSV (${oneLine(e.message)}); nothing was stored`,
    { cause: err },
  );
}

/**
 * The columns an incident export must have: a number (or sys_id) and an opened date. `columns`
 * are the normalised names; the error lists the file's own (`raw`), as the user wrote them.
 */
function checkHeader(file: string, columns: string[], raw: string[]): void {
  const has = (c: string) => columns.includes(c);
  const missing = [
    ...(has('number') || has('sys_id') ? [] : ['number']),
    ...(has('opened_at') || has('sys_created_on') ? [] : ['opened_at']),
  ];
  if (!missing.length) return;
  const found = raw
    .slice(0, 12)
    .map((c) => c.replace(/^\uFEFF/, '').trim())
    .map((c) => (c.length > 40 ? `${c.slice(0, 37)}…` : c))
    .join(', ');
  throw new MaturityError(
    'E_IMPORT_INVALID',
    `${file}: the header has no ${missing.join(' or ')} column (found: ${found || 'nothing'}): not a ServiceNow incident export; nothing was stored`,
  );
}

/** A message on one line, cut at 200 characters (a parser may quote the whole record). */
const oneLine = (s: string) => {
  const t = s.replace(/[\s\p{Cc}]+/gu, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 197)}…` : t;
};

/**
 * Reads date columns until one value settles whether the file writes day or month first.
 * Returns undefined when every date is ambiguous (all days ≤ 12) or there are no dates.
 */
export async function detectDateOrder(file: string): Promise<DateOrder | undefined> {
  let sawSlash = false;
  for await (const { record } of csvRecords(file)) {
    for (const c of DATE_COLUMNS) {
      const v = flattenValue(record[c]);
      if (v === undefined) continue;
      const hint = dateOrderHint(v);
      if (hint === 'dmy' || hint === 'mdy') return hint;
      if (hint === undefined && /\//.test(v)) sawSlash = true;
    }
  }
  return sawSlash ? undefined : 'ymd';
}

export interface CsvRow {
  ticket: Ticket;
  /** Incident number (the key for "latest row wins"). */
  key: string;
  /** sys_mod_count, then sys_updated_on (ms), for picking the latest row of an incident. */
  version: [number, number];
  line: number;
  /** Who resolved the incident (`resolved_by`, as exported), not part of the ticket record. */
  resolvedBy?: string;
}

export interface ReadCsvOptions {
  dateOrder: DateOrder;
  onRow: (row: CsvRow) => void | Promise<void>;
  onBad: (line: number, error: string) => void;
  onBytes?: (n: number) => void;
  /** The header's columns as Table API field names, once, before the first row. */
  onHeader?: (columns: string[]) => void;
}

/** Streams the file's rows through the incident mapper; returns the number of data rows read. */
export async function readIncidentCsv(file: string, o: ReadCsvOptions): Promise<number> {
  let rows = 0;
  const records = csvRecords(file, {
    ...(o.onBytes ? { onBytes: o.onBytes } : {}),
    ...(o.onHeader ? { onHeader: o.onHeader } : {}),
    onSkip: (line, error) => {
      rows++;
      o.onBad(line, error);
    },
  });
  for await (const { record, info } of records) {
    rows++;
    // csv-parse makes a new object of strings per record: flattened where it is.
    const f = flattenStringsInPlace(record);
    const mapped = incidentToTicket(f, { dateOrder: o.dateOrder });
    if (!mapped.ok) {
      o.onBad(info.lines, oneLine(mapped.error));
      continue;
    }
    // The ticket's updatedAt is sys_updated_on as the mapper read it (a bad one quarantined it).
    const updated = mapped.record.updatedAt;
    const stored = o.onRow({
      ticket: mapped.record,
      key: f.number ?? mapped.record.sourceId,
      version: [int(f.sys_mod_count) ?? -1, updated ? Date.parse(updated) : 0],
      line: info.lines,
      ...(f.resolved_by ? { resolvedBy: f.resolved_by } : {}),
    });
    // Awaited only when onRow has something to wait for (a batch being written).
    if (stored) await stored;
  }
  return rows;
}
