import type { Ticket } from './records.js';

/**
 * A page of tickets held column by column, the way a connector can read them straight from a
 * response's bytes: ids and names as ranges of those bytes, times as numbers, choices as shared
 * strings. Ten thousand tickets then take a few typed arrays instead of ten thousand objects and
 * some hundred thousand strings, which the store writes to COPY without making them
 * (src/store/copy-binary.ts, copyTicketColumns).
 *
 * What the columns hold is exactly what the Ticket schema would have accepted and returned: the
 * connector that makes them checks each value as plainTicket (ticket-check.ts) does, and falls
 * back to records for anything else. `ticketsOfColumns` gives the records back.
 */
export type TicketColumn =
  /** ASCII text, a range [at[2i], at[2i+1]) of the page's bytes per ticket; -1: absent. */
  | { kind: 'bytes'; at: Int32Array }
  /** Text per ticket (undefined: absent), strings shared across tickets. */
  | { kind: 'text'; values: readonly (string | undefined)[] }
  /** Milliseconds since the epoch, whole ones within 1970–2100; NaN: absent. */
  | { kind: 'time'; ms: Float64Array }
  /** A count (0 to the int column's maximum); -1: absent. */
  | { kind: 'count'; values: Int32Array }
  /** 0 false, 1 true, -1 absent. */
  | { kind: 'flag'; values: Int8Array }
  /** The same empty list on every ticket (tags a source never has). */
  | { kind: 'empty' };

export interface TicketColumns {
  count: number;
  /** The bytes `bytes` columns are ranges of. */
  bytes: Buffer;
  /** Each field of the Ticket schema a source delivers; a field without a column is absent. */
  columns: { sourceId: TicketColumn & { kind: 'bytes' } } & Partial<
    Record<Exclude<keyof Ticket, 'sourceId'>, TicketColumn>
  >;
}

/** Whether a page of records is held as columns (not a list of records). */
export const isTicketColumns = (v: unknown): v is TicketColumns =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && 'columns' in v && 'bytes' in v;

/** One ticket's value of a column, as the record holds it (undefined: absent). */
export function columnValue(c: TicketColumn, bytes: Buffer, i: number): unknown {
  switch (c.kind) {
    case 'bytes': {
      const start = c.at[2 * i]!;
      return start < 0 ? undefined : bytes.toString('latin1', start, c.at[2 * i + 1]!);
    }
    case 'text':
      return c.values[i];
    case 'time': {
      const ms = c.ms[i]!;
      return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
    }
    case 'count': {
      const n = c.values[i]!;
      return n < 0 ? undefined : n;
    }
    case 'flag': {
      const f = c.values[i]!;
      return f < 0 ? undefined : f === 1;
    }
    case 'empty':
      return [];
  }
}

/** The tickets the columns hold, as records (what a sink without a database stores). */
export function ticketsOfColumns(t: TicketColumns): Ticket[] {
  const entries = Object.entries(t.columns) as [keyof Ticket, TicketColumn][];
  const out: Ticket[] = [];
  for (let i = 0; i < t.count; i++) {
    const rec: Record<string, unknown> = {};
    for (const [name, column] of entries) {
      const v = columnValue(column, t.bytes, i);
      if (v !== undefined) rec[name] = v;
    }
    out.push(rec as Ticket);
  }
  return out;
}
