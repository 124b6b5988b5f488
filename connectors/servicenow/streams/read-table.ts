import { z } from 'zod';
import { MaturityError } from '../../../src/errors.js';
import { SourceUnavailable, type StreamContext } from '../../shared/define-connector.js';
import type { Invalid } from '../../shared/map-page.js';
import { BodyNotJson } from '../../shared/http-client.js';
import { fetchTablePage, TableCancelled, type TablePage } from '../client.js';
import type { ServiceNowConfig } from '../config.js';
import type { ScannedPage } from '../scan-page.js';
import type { Fields } from '../values.js';

/**
 * Reads a table page by page, for every stream. Both modes page by key (keyset), never by plain
 * offset, so a row deleted or updated at the source while we page cannot shift the pages under
 * the cursor and make us skip another one.
 *
 * - `full`: the whole table each sync, `ORDERBYsys_id`, each page after the last sys_id read
 *   (`sys_id>LAST`, after the stream's own conditions). A killed pass resumes after that sys_id.
 * - `incremental`: on sys_updated_on, `sys_updated_on>=SINCE^ORDERBYsys_updated_on^ORDERBYsys_id`.
 *   A new sync starts again at the first record of the boundary second (inclusive), so a record
 *   updated in the same second as the last one read is never lost (re-reading it only upserts).
 *   Within a run (and when a killed run resumes) the key is (sys_updated_on, sys_id):
 *   `sys_updated_on>=SINCE^sys_updated_on>SINCE^ORsys_id>LAST` (^OR binds the two conditions
 *   either side of it only), so a record of the boundary second updated or deleted while we page
 *   does not shift the rest of that second under an offset.
 *
 * A page shorter than sysparm_limit does not end the read: ACLs filter rows after the limit
 * applies. The read ends when the Link header has no rel="next" (else when X-Total-Count is
 * reached, else on an empty page; see fetchTablePage). A page whose rows ACLs all hid while more
 * follow carries no key to move to: the next request keeps the key and passes over that window
 * with sysparm_offset (`skip`), the only offset left.
 *
 * Rows must come back in key order and past the key; otherwise the stream fails rather than move
 * the cursor (an instance ignoring ORDERBY or the `>` condition would make a full pass miss rows
 * and sweep them).
 */
export interface TableSpec {
  table: string;
  fields: readonly string[];
  /** Fields without which a row cannot be mapped: if the instance drops one, the read fails. */
  required: readonly string[];
  /**
   * Encoded-query conditions (without ORDERBY), joined with ^ and ^OR only: the paging
   * conditions are added after them with ^, which a ^NQ would bind to its last group only.
   */
  filter?: string;
  mode: 'incremental' | 'full';
  /**
   * Plain pages come read from their bytes (`scanned`, scan-page.ts) instead of parsed into
   * `rows`: for a stream of many rows that maps them as columns.
   */
  scan?: boolean;
}

export const TableCursor = z.object({
  /** incremental: sys_updated_on of the last row read. */
  since: z.string().optional(),
  /** sys_id of the last row read (with `since` in incremental mode): the next page starts after it. */
  after: z.string().optional(),
  /** Rows to pass over past the key (sysparm_offset): windows whose rows ACLs all hid. */
  skip: z.number().int().min(0),
  /** The last run reached the end of the table. */
  complete: z.boolean(),
});
export type TableCursor = z.infer<typeof TableCursor>;

export interface TableBatch {
  /** The page's rows (none when it is `scanned`). */
  rows: Fields[];
  /** The page read from its bytes, with every row (TableSpec.scan). */
  scanned?: ScannedPage;
  /** Rows that are not a record of field values: quarantined by the stream. */
  invalid: Invalid[];
  cursor: TableCursor;
  warnings: string[];
  last: boolean;
}

export const DEFAULT_PAGE_SIZE = 1000;
/** The smallest page asked for after the instance cut pages short: below it the read fails. */
export const MIN_PAGE_SIZE = 50;

/**
 * Where a run starts. A complete run is followed by a new one: from the start of the table in
 * full mode, from the first record of the boundary second in incremental mode. Otherwise the run
 * resumes at the saved key. A cursor saved before keyset paging (`skip` without `after`) resumes
 * at its offset, as it was written.
 */
export function startCursor(
  c: Partial<TableCursor> | undefined,
  mode: TableSpec['mode'],
): TableCursor {
  if (!c) return { skip: 0, complete: false };
  const skip = typeof c.skip === 'number' && c.skip > 0 ? c.skip : 0;
  const after = typeof c.after === 'string' && c.after ? c.after : undefined;
  if (mode === 'full')
    return c.complete
      ? { skip: 0, complete: false }
      : { ...(after ? { after } : {}), skip, complete: false };
  const since = typeof c.since === 'string' && c.since ? c.since : undefined;
  if (!since) return { skip: 0, complete: false };
  // A new run re-reads the whole boundary second (inclusive); a resumed run goes on after its key.
  return c.complete
    ? { since, skip: 0, complete: false }
    : { since, ...(after ? { after } : {}), skip, complete: false };
}

/**
 * The conditions that start a page after the cursor's key (`>`), or at it (`>=`, only to check
 * that an empty answer past the key is true).
 */
export function keyConditions(
  mode: TableSpec['mode'],
  c: TableCursor,
  op: '>' | '>=' = '>',
): string[] {
  if (mode === 'full') return c.after ? [`sys_id${op}${c.after}`] : [];
  if (!c.since) return [];
  const from = `sys_updated_on>=${c.since}`;
  return c.after ? [from, `sys_updated_on>${c.since}^ORsys_id${op}${c.after}`] : [from];
}

/** What reading a table needs of a stream's context. */
export type TableReader = Pick<StreamContext<ServiceNowConfig>, 'config' | 'client' | 'signal'>;

export async function* readTable(
  ctx: TableReader,
  spec: TableSpec,
  saved: TableCursor | undefined,
): AsyncGenerator<TableBatch> {
  if (spec.filter && /\^NQ/.test(spec.filter)) {
    // A programming error in a stream definition, not something an instance can cause.
    throw new Error(
      `table ${spec.table}: a filter with ^NQ cannot be paged by key (the key would bind to its last group)`,
    );
  }
  let limit = ctx.config.pageSize ?? DEFAULT_PAGE_SIZE;
  /** Said with the next batch: the pages were made smaller. */
  const notes: string[] = [];
  // The key's fields are asked for and required whatever the stream maps.
  const keyFields = spec.mode === 'full' ? ['sys_id'] : ['sys_updated_on', 'sys_id'];
  const fields = [...keyFields.filter((f) => !spec.fields.includes(f)), ...spec.fields];
  const required = [...new Set([...keyFields, ...spec.required])];
  const order =
    spec.mode === 'incremental' ? 'ORDERBYsys_updated_on^ORDERBYsys_id' : 'ORDERBYsys_id';
  let cursor = startCursor(saved, spec.mode);
  let seen = 0;
  let total: number | undefined;
  let warnedFields = false;
  const conditionsAt = (c: TableCursor) =>
    [spec.filter, ...keyConditions(spec.mode, c)].filter(Boolean);
  // A page the instance cut short (a transaction past its time quota answers 200 with part of the
  // rows and an error, or with a body cut mid-row) is read again in halves: keyed paging lets the
  // page size change between requests. Nothing of a cut page is stored or ends a pass.
  const fetchAt = async (c: TableCursor): Promise<TablePage> => {
    for (;;) {
      try {
        return await fetchTablePage(ctx.client, {
          table: spec.table,
          fields,
          query: [...conditionsAt(c), order].join('^'),
          limit,
          offset: c.skip,
          ...(spec.scan ? { scan: true } : {}),
        });
      } catch (err) {
        const cut = err instanceof TableCancelled || err instanceof BodyNotJson;
        if (!cut || limit <= MIN_PAGE_SIZE) throw err;
        const was = limit;
        limit = Math.max(MIN_PAGE_SIZE, Math.floor(limit / 2));
        notes.push(
          `table ${spec.table}: ServiceNow cut a page of ${was} rows short (${(err as Error).message}); reading ${limit} at a time`,
        );
      }
    }
  };
  let next: Promise<TablePage> | undefined;
  try {
    for (;;) {
      ctx.signal?.throwIfAborted();
      const conditions = conditionsAt(cursor);
      const page = await (next ?? fetchAt(cursor));
      next = undefined;
      if (page.kind === 'unavailable') throw new SourceUnavailable(page.reason);
      const warnings: string[] = notes.splice(0);
      if (page.missingFields.length) {
        const missing = page.missingFields.filter((f) => required.includes(f));
        if (missing.length) {
          throw new MaturityError(
            'E_CONNECTOR_RESPONSE',
            `ServiceNow table ${spec.table} did not return field(s) ${missing.join(', ')} that were asked for (sysparm_fields): misspelt, not on this instance, or hidden by field ACLs`,
          );
        }
        if (!warnedFields) {
          warnedFields = true;
          warnings.push(
            `table ${spec.table} did not return field(s) ${page.missingFields.join(', ')}: misspelt, not on this instance, or hidden by field ACLs; what they feed is unknown`,
          );
        }
      }
      const rows = page.rows;
      const scanned = page.scanned;
      // The key of each row is all the cursor needs of a scanned page.
      const keys = scanned ? scanned.pick(keyFields) : rows;
      if (!keys.length && page.total === 0 && cursor.after !== undefined)
        await checkNothingPastKey(ctx, spec, cursor, conditions.join('^'));
      seen += keys.length + page.invalid.length;
      total ??= page.total;
      cursor = advance(cursor, keys, spec, page.nextOffset);
      const last = !page.hasMore;
      if (last) {
        cursor = { ...cursor, complete: true };
        if (seen === 0 && total) {
          throw new SourceUnavailable(
            `the user may read none of the ${total} rows of table ${spec.table} (ACLs hide them)`,
          );
        }
      }
      if (!last) {
        // The next page is on its way while this one is mapped and committed (the answer waits
        // in memory; only one page ahead). A failure surfaces when the loop comes to that page.
        next = fetchAt(cursor);
        next.catch(() => undefined);
      }
      yield {
        rows,
        ...(scanned ? { scanned } : {}),
        invalid: page.invalid,
        cursor,
        warnings,
        last,
      };
      if (last) return;
    }
  } finally {
    // A stream that stops early (an abort, a failed commit) leaves no request in flight.
    await next?.catch(() => undefined);
  }
}

/**
 * Nothing matched past the key. True at the end of a table (or when the rest was deleted while we
 * paged), but it is also what an instance answers if it rejects the `sys_id>` condition as
 * invalid and returns no rows (glide.invalid_query.returns_no_rows): that would end a full pass
 * early and sweep the rest. One count at the key with `>=` (ServiceNow's documented "greater than
 * or is" for strings) tells them apart: only the key's own row may be there.
 */
async function checkNothingPastKey(
  ctx: TableReader,
  spec: TableSpec,
  cursor: TableCursor,
  query: string,
): Promise<void> {
  const probe = await fetchTablePage(ctx.client, {
    table: spec.table,
    fields: ['sys_id'],
    query: [spec.filter, ...keyConditions(spec.mode, cursor, '>='), 'ORDERBYsys_id']
      .filter(Boolean)
      .join('^'),
    limit: 1,
    offset: 0,
  });
  if (probe.kind === 'page' && (probe.total ?? 0) > 1) {
    throw new MaturityError(
      'E_CONNECTOR_RESPONSE',
      `ServiceNow returned no row of table ${spec.table} for ${query} while ${probe.total} rows are at or past sys_id ${cursor.after}: the key condition was not applied; refusing to end the pass`,
    );
  }
}

/** sys_ids in the order the database sorts them (case-insensitive collation). */
const idOrder = (a: string, b: string) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The cursor after a page: its last row's key, or the same key one window on if ACLs hid all. */
function advance(c: TableCursor, rows: Fields[], spec: TableSpec, nextOffset: number): TableCursor {
  if (!rows.length) return { ...c, skip: nextOffset, complete: false };
  const refuse = (what: string) =>
    new MaturityError(
      'E_CONNECTOR_RESPONSE',
      `ServiceNow returned table ${spec.table} ${what}; refusing to move the cursor`,
    );
  let since = c.since;
  let after = c.after;
  for (const r of rows) {
    const id = r.sys_id;
    if (!id) throw refuse('with a row without sys_id');
    if (spec.mode === 'full') {
      if (after !== undefined && idOrder(id, after) <= 0)
        throw refuse(`out of sys_id order (ORDERBYsys_id or sys_id>${after} ignored?)`);
    } else {
      const t = r.sys_updated_on ?? '';
      const byTime = since === undefined ? 1 : t < since ? -1 : t > since ? 1 : 0;
      if (byTime < 0 || (byTime === 0 && after !== undefined && idOrder(id, after) <= 0))
        throw refuse(
          'out of (sys_updated_on, sys_id) order (ORDERBYsys_updated_on^ORDERBYsys_id or the key condition ignored?)',
        );
      since = t;
    }
    after = id;
  }
  return { ...(since !== undefined ? { since } : {}), after: after!, skip: 0, complete: false };
}
