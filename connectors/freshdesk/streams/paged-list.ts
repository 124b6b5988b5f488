import { z } from 'zod';
import type { RecordBatch, RecordKind, RecordOf } from '../../../src/domain/records.js';
import { SourceUnavailable, type StreamContext } from '../../shared/define-connector.js';
import type { MappedPage, Parsed } from '../../shared/map-page.js';
import { FreshdeskApi } from '../client.js';
import type { FreshdeskConfig } from '../config.js';

/** A next-page link as the client keeps it: a path under /api/v2/ with its query. */
export const NextLink = z
  .string()
  .regex(/^\/api\/v2\/[^?]*\?/, 'is not a Freshdesk next-page link');

/** Where a list read stopped: the next page not stored yet. */
export const ListCursor = z.object({ next: NextLink.optional() });
export type ListCursor = z.infer<typeof ListCursor>;

export const listCursor = (next: string | undefined): ListCursor | null => (next ? { next } : null);

/**
 * Reads a list endpoint page by page through the `link` header, committing each page with the
 * link to the next one, so a killed sync resumes at the page it had not stored yet. With
 * `optional`, an account that may not read the list (403/404) leaves its evidence unknown.
 */
export async function syncList<T, K extends RecordKind, C>(
  ctx: StreamContext<FreshdeskConfig, C>,
  o: {
    path: string;
    schema: z.ZodType<T>;
    kind: K;
    params?: Record<string, string | number>;
    optional?: string;
    map: (page: Parsed<T>) => MappedPage<RecordOf<K>> | Promise<MappedPage<RecordOf<K>>>;
    from: string | undefined;
    cursor: (next: string | undefined) => C | null;
  },
): Promise<void> {
  const api = new FreshdeskApi(ctx.client);
  for (let from = o.from ?? o.path; ;) {
    const page = await api.list(from, o.schema, {
      ...(o.params ? { params: o.params } : {}),
      ...(o.optional ? { optional: true } : {}),
    });
    if (page.missing) throw new SourceUnavailable(o.optional!);
    const { records, deletes, quarantined } = await o.map(page);
    await ctx.commit({
      records: { [o.kind]: records } as RecordBatch,
      ...(deletes.length ? { deletes: { [o.kind]: deletes } } : {}),
      quarantined,
      cursor: o.cursor(page.next),
    });
    if (!page.next) return;
    from = page.next;
  }
}
