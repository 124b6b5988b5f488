import { MaturityError } from '../../../src/errors.js';
import { SourceUnavailable, type StreamContext } from '../../shared/define-connector.js';
import { fetchTablePage } from '../client.js';
import type { ServiceNowConfig } from '../schemas.js';
import type { Fields } from '../values.js';

/**
 * Reads a table page by page, for every stream.
 *
 * - `incremental`: on sys_updated_on, with `sys_updated_on>=SINCE^ORDERBYsys_updated_on^ORDERBYsys_id`.
 *   The boundary is inclusive and each sync starts again at the first record of the boundary
 *   second, so a record updated in the same second as the last one read is never lost (re-reading
 *   it only upserts). Within a run the query moves forward (keyset), with `skip` records of the
 *   boundary second passed by sysparm_offset: a record updated while we page moves behind the
 *   cursor instead of shifting the pages under it (which plain offset paging would do).
 * - `full`: the whole table each sync, ORDERBYsys_id with sysparm_offset (small tables).
 *
 * A page shorter than sysparm_limit does not end the read: ACLs filter rows after the limit
 * applies. The read ends when the Link header has no rel="next" (else when X-Total-Count is
 * reached).
 */
export interface TableSpec {
  table: string;
  fields: readonly string[];
  /** Fields without which a row cannot be mapped: if the instance drops one, the read fails. */
  required: readonly string[];
  /** Encoded-query conditions (without ORDERBY). */
  filter?: string;
  mode: 'incremental' | 'full';
}

export interface TableCursor {
  since?: string;
  skip: number;
  /** The last run reached the end of the table. */
  complete: boolean;
}

export interface TableBatch {
  rows: Fields[];
  cursor: TableCursor;
  warnings: string[];
  last: boolean;
}

export const DEFAULT_PAGE_SIZE = 1000;

export function startCursor(saved: unknown, mode: TableSpec['mode']): TableCursor {
  const c = saved as Partial<TableCursor> | undefined | null;
  if (!c || typeof c !== 'object') return { skip: 0, complete: false };
  if (mode === 'full')
    return c.complete ? { skip: 0, complete: false } : { skip: c.skip ?? 0, complete: false };
  const since = typeof c.since === 'string' ? c.since : undefined;
  // A new run re-reads the whole boundary second (inclusive); a resumed run skips what it had.
  return { ...(since ? { since } : {}), skip: c.complete ? 0 : (c.skip ?? 0), complete: false };
}

export async function* readTable(
  ctx: StreamContext<ServiceNowConfig>,
  spec: TableSpec,
  saved: unknown,
): AsyncGenerator<TableBatch> {
  const limit = ctx.config.pageSize ?? DEFAULT_PAGE_SIZE;
  let cursor = startCursor(saved, spec.mode);
  let seen = 0;
  let total: number | undefined;
  let warnedFields = false;
  for (;;) {
    if (ctx.signal?.aborted) throw new Error('sync aborted');
    const conditions = [
      spec.filter,
      spec.mode === 'incremental' && cursor.since ? `sys_updated_on>=${cursor.since}` : undefined,
    ].filter(Boolean);
    const order =
      spec.mode === 'incremental' ? 'ORDERBYsys_updated_on^ORDERBYsys_id' : 'ORDERBYsys_id';
    const page = await fetchTablePage(ctx.client, {
      table: spec.table,
      fields: spec.fields,
      query: [...conditions, order].join('^'),
      limit,
      offset: cursor.skip,
    });
    if (page.kind === 'unavailable') throw new SourceUnavailable(page.reason);
    const warnings: string[] = [];
    if (page.missingFields.length) {
      const required = page.missingFields.filter((f) => spec.required.includes(f));
      if (required.length) {
        throw new MaturityError(
          'E_CONNECTOR_RESPONSE',
          `ServiceNow table ${spec.table} did not return field(s) ${required.join(', ')} that were asked for (sysparm_fields): misspelt, not on this instance, or hidden by field ACLs`,
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
    seen += rows.length;
    total ??= page.total;
    cursor = advance(cursor, rows, spec, page, limit);
    const last = !page.hasMore;
    if (last) {
      cursor = { ...cursor, complete: true };
      if (seen === 0 && total) {
        throw new SourceUnavailable(
          `the user may read none of the ${total} rows of table ${spec.table} (ACLs hide them)`,
        );
      }
    }
    yield { rows, cursor, warnings, last };
    if (last) return;
  }
}

function advance(
  c: TableCursor,
  rows: Fields[],
  spec: TableSpec,
  page: { nextOffset: number },
  limit: number,
): TableCursor {
  if (spec.mode === 'full') return { skip: page.nextOffset, complete: false };
  if (!rows.length) return { ...c, skip: c.skip + limit }; // all hidden by ACLs: step over them
  let prev = c.since ?? '';
  for (const r of rows) {
    const t = r.sys_updated_on ?? '';
    if (t < prev) {
      throw new MaturityError(
        'E_CONNECTOR_RESPONSE',
        `ServiceNow returned table ${spec.table} out of sys_updated_on order (ORDERBYsys_updated_on ignored?); refusing to move the cursor`,
      );
    }
    prev = t;
  }
  const lastTs = rows[rows.length - 1]!.sys_updated_on!;
  if (lastTs === c.since) return { since: lastTs, skip: c.skip + rows.length, complete: false };
  const atLast = rows.filter((r) => r.sys_updated_on === lastTs).length;
  return { since: lastTs, skip: atLast, complete: false };
}
