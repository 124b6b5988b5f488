import type { z } from 'zod';
import { zodSentence } from '../../src/errors.js';

/** An item that failed its vendor or domain schema, or its mapper: quarantined, never stored. */
export interface Invalid {
  sourceId?: string;
  error: string;
  payload: unknown;
}

/** What a client returns for a page: the items that parsed, and the others with their reason. */
export interface Parsed<T> {
  items: T[];
  invalid: Invalid[];
}

/** What a pure mapper makes of one item: a record, a reason to quarantine it, or not a record. */
export type Mapped<R> = { ok: true; record: R } | { ok: false; error: string } | { ok: 'skip' };

export const skip = { ok: 'skip' } as const;

/**
 * Adapts a mapper that returns the record, or undefined for an item that is not one of ours (an
 * unoffered survey); a MaturityError it throws quarantines the item with its message.
 */
export const recordOrSkip =
  <V, R>(map: (item: V) => R | undefined) =>
  (item: V): Mapped<R> => {
    const record = map(item);
    return record === undefined ? skip : { ok: true, record };
  };

/** A domain schema, or a check that answers as one (src/domain/ticket-check.ts). */
export interface DomainCheck<T> {
  safeParse(candidate: unknown): z.ZodSafeParseResult<T>;
}

/** A mapper's candidate record checked with its domain schema: the record, or why not. */
export function checked<T>(schema: DomainCheck<T>, candidate: unknown): Mapped<T> {
  const r = schema.safeParse(candidate);
  return r.success
    ? { ok: true, record: r.data }
    : { ok: false, error: zodSentence(r.error, { top: 'record' }) };
}

/** `payload.id` as a source id, when it is one. */
const idOf = (payload: unknown): string | undefined => {
  const id = (payload as { id?: unknown } | null)?.id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
};

/** The reason an item is quarantined: its first three zod issues, or the error's message. */
export function invalid(payload: unknown, error: unknown, sourceId = idOf(payload)): Invalid {
  const message =
    error && typeof error === 'object' && 'issues' in error
      ? (error as z.ZodError).issues
          .slice(0, 3)
          .map((i) => zodSentence({ issues: [i] }, { top: 'record' }))
          .join('; ')
      : String((error as Error)?.message ?? error);
  return { ...(sourceId !== undefined ? { sourceId } : {}), error: message, payload };
}

/** Parses items one by one: the good ones, and the bad ones with their error for quarantine. */
export function parseItems<S extends z.ZodType>(
  schema: S,
  raw: readonly unknown[],
): Parsed<z.infer<S>> {
  const out: Parsed<z.infer<S>> = { items: [], invalid: [] };
  for (const item of raw) {
    const r = schema.safeParse(item);
    if (r.success) out.items.push(r.data);
    else out.invalid.push(invalid(item, r.error));
  }
  return out;
}

export interface MappedPage<R> {
  records: R[];
  /** Source ids of the items the mapper skipped, when skipped items are deleted. */
  deletes: string[];
  quarantined: Invalid[];
}

export interface MapPageOptions<V, R> {
  /** Validates each record (its output is what is stored). */
  domain?: DomainCheck<R>;
  /** The item's source id (default: its `id`). */
  id?: (item: V) => string | undefined;
  /** What is kept of a quarantined item (default: the item). */
  payload?: (item: V) => unknown;
  deleteSkipped?: boolean;
  onSkip?: (item: V) => void;
}

/**
 * The one way a page of parsed items becomes what a stream commits: each item through its pure
 * mapper (and, when given, the domain schema). A record is kept; a failure is quarantined with
 * its reason, its source id and its payload; a skipped item is not a record of ours — with
 * `deleteSkipped`, one stored earlier is deleted (an inactive group, a cancelled SLA). The
 * page's invalid items (from the client) are quarantined first. The page goes on whatever fails.
 */
export function mapPage<V, R>(
  page: { items: readonly V[]; invalid?: readonly Invalid[] },
  map: (item: V) => Mapped<R>,
  o: MapPageOptions<V, R> = {},
): MappedPage<R> {
  const out: MappedPage<R> = { records: [], deletes: [], quarantined: [...(page.invalid ?? [])] };
  mapItems(out, page.items, 0, page.items.length, map, o);
  return out;
}

/**
 * Items mapped between two yields to the event loop by mapPageAsync: some tenths of a
 * millisecond. Each statement of the write of the page before waits that long for its answer to
 * be read; with pages of 1,000 tickets the write is what the sync waits for, and yielding every
 * 500 items made a sync of 100,000 incidents about a tenth slower (the same with pages of
 * 10,000).
 */
const SLICE = 100;

/**
 * mapPage for pages of thousands of items, letting other work run every hundred items: the
 * database answers the write of the page before (each statement of it waits for the event loop),
 * a server its requests. Mapping a page of 10,000 tickets in one go holds the event loop for
 * tens of milliseconds.
 */
export async function mapPageAsync<V, R>(
  page: { items: readonly V[]; invalid?: readonly Invalid[] },
  map: (item: V) => Mapped<R>,
  o: MapPageOptions<V, R> = {},
): Promise<MappedPage<R>> {
  const out: MappedPage<R> = { records: [], deletes: [], quarantined: [...(page.invalid ?? [])] };
  const n = page.items.length;
  for (let from = 0; from < n; from += SLICE) {
    if (from) await new Promise((resolve) => setImmediate(resolve));
    mapItems(out, page.items, from, Math.min(from + SLICE, n), map, o);
  }
  return out;
}

function mapItems<V, R>(
  out: MappedPage<R>,
  items: readonly V[],
  from: number,
  to: number,
  map: (item: V) => Mapped<R>,
  o: MapPageOptions<V, R>,
): void {
  const id = o.id ?? idOf;
  const quarantine = (item: V, error: unknown) =>
    out.quarantined.push(invalid(o.payload ? o.payload(item) : item, error, id(item)));
  for (let i = from; i < to; i++) {
    const item = items[i]!;
    let r: Mapped<R>;
    try {
      r = map(item);
    } catch (err) {
      quarantine(item, err);
      continue;
    }
    if (r.ok === 'skip') {
      o.onSkip?.(item);
      const sourceId = id(item);
      if (o.deleteSkipped && sourceId) out.deletes.push(sourceId);
    } else if (!r.ok) {
      quarantine(item, { message: r.error });
    } else if (o.domain) {
      const d = o.domain.safeParse(r.record);
      if (d.success) out.records.push(d.data);
      else quarantine(item, d.error);
    } else {
      out.records.push(r.record);
    }
  }
}
