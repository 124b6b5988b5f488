import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import type { RecordInputOf, RecordKind } from '../../src/domain/records.js';

/**
 * What a converter returns: the JSON document of `maturity import records`, as written (before
 * the schemas fill their defaults). A kind left out is unknown to the product; a ticket field left
 * out is unknown for that ticket.
 */
export type RecordDocument = { [K in RecordKind]?: RecordInputOf<K>[] };

/**
 * Reads a whole CSV file (header row, UTF-8, optional BOM) and parses every row with `row`: the
 * converters see nothing the schema has not checked. A bad row stops the read, naming its line.
 */
export function readCsv<S extends z.ZodType>(file: string, row: S): z.output<S>[] {
  const records = parse(readFileSync(file), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  return records.map((raw, i) => {
    const r = row.safeParse(raw);
    if (r.success) return r.data;
    const issue = r.error.issues[0]!;
    // Line i + 2: the header is line 1.
    throw new Error(
      `${file}: line ${i + 2}, column ${issue.path.join('.') || '?'}: ${issue.message}`,
    );
  });
}

/** Groups items by key, keeping each group in input order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Stable sort by time (epoch ms): events logged in the same second keep their file order. */
export function byTime<T extends { at: number }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => a.at - b.at);
}
