import type { z } from 'zod';
import { invalid, type Invalid } from './client.js';

/**
 * Vendor item ► vendor schema ► pure mapper ► domain schema. Any step failing puts the item in
 * quarantine (with the reason); the rest of the page goes on. A mapper returning undefined skips
 * an item that is not a record of ours (e.g. an unoffered survey).
 */
export function mapPage<V extends z.ZodType, D extends z.ZodType>(
  raws: unknown[],
  vendor: V,
  map: (item: z.infer<V>) => z.input<D> | undefined,
  domain: D,
): { records: z.infer<D>[]; invalid: Invalid[] } {
  const records: z.infer<D>[] = [];
  const bad: Invalid[] = [];
  for (const raw of raws) {
    const v = vendor.safeParse(raw);
    if (!v.success) {
      bad.push(invalid(raw, v.error));
      continue;
    }
    let mapped: z.input<D> | undefined;
    try {
      mapped = map(v.data);
    } catch (err) {
      bad.push(invalid(raw, err));
      continue;
    }
    if (mapped === undefined) continue;
    const d = domain.safeParse(mapped);
    if (d.success) records.push(d.data);
    else bad.push(invalid(raw, d.error));
  }
  return { records, invalid: bad };
}

/** Zendesk timestamps are ISO-8601 with Z; anything else is left to the domain schema to reject. */
export const isoOrUndefined = (t: string | null | undefined): string | undefined =>
  t ? t : undefined;
