import { z } from 'zod';
import type { RecordBatch, RecordKind, RecordOf } from '../../../src/domain/records.js';
import { SourceUnavailable, type StreamContext } from '../../shared/define-connector.js';
import type { MappedPage, Parsed } from '../../shared/map-page.js';
import { PageRef, ZendeskApi } from '../client.js';
import type { ZendeskConfig } from '../config.js';

/** Where a list read stopped: the next page not stored yet. */
export const ListCursor = z.object({ next: PageRef.optional() });
export type ListCursor = z.infer<typeof ListCursor>;

/** The cursor after a page of one list: the next page, or none when the list is finished. */
export const listCursor = (next: PageRef | undefined): ListCursor | null =>
  next ? { next } : null;

/**
 * Reads a list endpoint page by page, committing each page with the reference to the next one,
 * so a killed sync resumes at the page it had not stored yet. Finished lists start over next time.
 */
export async function syncList<T, K extends RecordKind, C>(
  ctx: StreamContext<ZendeskConfig, C>,
  o: {
    path: string;
    key: string;
    schema: z.ZodType<T>;
    kind: K;
    budget?: string;
    params?: Record<string, string>;
    optional?: boolean;
    /**
     * With `optional`: why the evidence stays unknown when the list answers 403 or 404; undefined
     * when that answer is an empty list (a Help Center that does not exist holds no articles).
     */
    unavailable?: (status: 403 | 404) => string | undefined;
    /** Items flagged `deleted: true` are deletions (groups). */
    deletions?: boolean;
    /** Maps one page of parsed items (shared mapPage). */
    map: (page: Parsed<T>) => MappedPage<RecordOf<K>>;
    /** The page to start at (from the saved cursor). */
    from: PageRef | undefined;
    /** The cursor to commit with a page, given the next page of this list. */
    cursor: (next: PageRef | undefined) => C | null;
  },
): Promise<void> {
  const api = new ZendeskApi(ctx.client);
  let next = o.from;
  for (;;) {
    const page = await api.listPage(o.path, o.key, o.schema, next, {
      ...(o.budget ? { budget: o.budget } : {}),
      ...(o.params ? { params: o.params } : {}),
      ...(o.optional ? { optional: true } : {}),
      ...(o.deletions ? { deletions: true } : {}),
    });
    const why = page.missing && o.unavailable?.(page.missing);
    if (why) throw new SourceUnavailable(why);
    const { records, deletes, quarantined } = o.map(page);
    const gone = [...page.deleted, ...deletes];
    next = page.next;
    await ctx.commit({
      records: { [o.kind]: records } as RecordBatch,
      ...(gone.length ? { deletes: { [o.kind]: gone } } : {}),
      quarantined,
      cursor: o.cursor(next),
    });
    if (!next) return;
  }
}
