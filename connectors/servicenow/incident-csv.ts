import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse, type Info } from 'csv-parse';
import type { Ticket } from '../../src/domain/records.js';
import { MaturityError } from '../../src/errors.js';
import { incidentToTicket } from './map-incident.js';
import {
  dateOrderHint,
  flattenValue,
  int,
  parseDate,
  type DateOrder,
  type Fields,
} from './values.js';

/**
 * Reads a ServiceNow incident list export (CSV, optionally gzip-compressed) as a stream: a header
 * of field names or column labels, values or display labels, `?`/empty for missing. Each data row
 * goes through the same mapper as the Table API. Memory stays flat whatever the file size.
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
  return HEADER_ALIASES[t] ?? t;
}

const DATE_COLUMNS = ['opened_at', 'sys_created_on', 'sys_updated_on', 'resolved_at', 'closed_at'];

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

function openCsv(file: string, onBytes?: (n: number) => void): Readable {
  const gz = isGzip(file);
  const raw = createReadStream(file);
  const counted = onBytes
    ? raw.pipe(
        new Transform({
          transform(chunk: Buffer, _enc, cb) {
            onBytes(chunk.length);
            cb(null, chunk);
          },
        }),
      )
    : raw;
  return gz ? counted.pipe(createGunzip()) : counted;
}

function parser(
  extra: {
    skip?: (err: Error & { lines?: number }) => void;
    onHeader?: (columns: string[]) => void;
  } = {},
) {
  const p = parse({
    columns: (header: string[]) => {
      const columns = header.map(normaliseHeader);
      extra.onHeader?.(columns);
      return columns;
    },
    bom: true,
    info: true,
    skip_empty_lines: true,
    // No trim here: values are trimmed once in values.ts (csv-parse's trim costs a third of the time).
    skip_records_with_error: true,
    relax_quotes: false,
  });
  if (extra.skip) p.on('skip', extra.skip);
  return p;
}

function checkReadable(file: string): void {
  try {
    closeSync(openSync(file, 'r'));
  } catch (err) {
    throw new MaturityError(
      'E_INPUT',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/**
 * Reads date columns until one value settles whether the file writes day or month first.
 * Returns undefined when every date is ambiguous (all days ≤ 12) or there are no dates.
 */
export async function detectDateOrder(file: string): Promise<DateOrder | undefined> {
  checkReadable(file);
  const input = openCsv(file);
  const p = input.pipe(parser());
  let sawSlash = false;
  try {
    for await (const item of p as AsyncIterable<{ record: Record<string, string> }>) {
      for (const c of DATE_COLUMNS) {
        const v = flattenValue(item.record[c]);
        if (v === undefined) continue;
        const hint = dateOrderHint(v);
        if (hint === 'dmy' || hint === 'mdy') return hint;
        if (hint === undefined && /\//.test(v)) sawSlash = true;
      }
    }
  } finally {
    input.destroy();
    p.destroy();
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
  checkReadable(file);
  const input = openCsv(file, o.onBytes);
  let rows = 0;
  const p = input.pipe(
    parser({
      skip: (err) => {
        rows++;
        o.onBad(err.lines ?? 0, err.message);
      },
      ...(o.onHeader ? { onHeader: o.onHeader } : {}),
    }),
  );
  input.on('error', (err) => p.destroy(err));
  let checkedHeader = false;
  try {
    for await (const item of p as AsyncIterable<{ record: Record<string, string>; info: Info }>) {
      const { record, info } = item;
      rows++;
      if (!checkedHeader) {
        checkedHeader = true;
        const missing = ['number', 'opened_at'].filter(
          (c) => !(c in record) && !(c === 'opened_at' && 'sys_created_on' in record),
        );
        if (missing.length && !('sys_id' in record && missing.every((m) => m === 'number'))) {
          throw new MaturityError(
            'E_IMPORT_INVALID',
            `${file}: the header has no ${missing.join(' or ')} column (found: ${Object.keys(record).slice(0, 12).join(', ')}); is this a ServiceNow incident export?`,
          );
        }
      }
      const f: Fields = {};
      for (const [k, v] of Object.entries(record)) f[k] = flattenValue(v);
      const mapped = incidentToTicket(f, { dateOrder: o.dateOrder });
      if (!mapped.ok) {
        o.onBad(info.lines, mapped.error);
        continue;
      }
      const updated = parseDate(f.sys_updated_on, o.dateOrder);
      await o.onRow({
        ticket: mapped.record,
        key: f.number ?? mapped.record.sourceId,
        version: [int(f.sys_mod_count) ?? -1, updated ? Date.parse(updated) : 0],
        line: info.lines,
        ...(f.resolved_by ? { resolvedBy: f.resolved_by } : {}),
      });
    }
  } catch (err) {
    if (err instanceof MaturityError) throw err;
    const e = err as Error & { code?: string; lines?: number };
    throw new MaturityError(
      'E_IMPORT_INVALID',
      `${file}${e.lines ? `:${e.lines}` : ''}: cannot read the CSV (${e.code ?? ''} ${e.message})`,
      { cause: err },
    );
  } finally {
    input.destroy();
  }
  return rows;
}
