import type { z } from 'zod';
import type { RecordBatch, RecordKind } from '../../../src/domain/records.js';
import type { StreamContext } from '../../shared/define-connector.js';
import { ZendeskApi, type Invalid, type PageRef } from '../client.js';
import type { ZendeskConfig } from '../config.js';

export interface ListCursor {
  next?: PageRef;
}

/**
 * Reads a list endpoint page by page, committing each page with the reference to the next one,
 * so a killed sync resumes at the page it had not stored yet. Finished lists start over next time.
 */
export async function syncList<K extends RecordKind>(
  ctx: StreamContext<ZendeskConfig>,
  o: {
    path: string;
    key: string;
    kind: K;
    budget?: string;
    params?: Record<string, string>;
    optional?: boolean;
    /** Maps the raw items of one page (parse + map + validate). */
    map: (items: unknown[]) => {
      records: z.infer<z.ZodType>[];
      invalid: Invalid[];
      deletes?: string[];
    };
    /** The cursor is namespaced when one stream reads several lists. */
    resumeFrom?: PageRef;
    onPage?: (next: PageRef | undefined) => unknown;
  },
): Promise<void> {
  const api = new ZendeskApi(ctx.client);
  let next = o.resumeFrom ?? (ctx.cursor as ListCursor | null | undefined)?.next;
  for (;;) {
    const page = await api.listPage(o.path, o.key, next, {
      ...(o.budget ? { budget: o.budget } : {}),
      ...(o.params ? { params: o.params } : {}),
      ...(o.optional ? { optional: true } : {}),
    });
    const { records, invalid, deletes } = o.map(page.items);
    next = page.next;
    await ctx.commit({
      records: { [o.kind]: records } as RecordBatch,
      ...(deletes?.length ? { deletes: { [o.kind]: deletes } } : {}),
      quarantined: invalid,
      cursor: o.onPage ? o.onPage(next) : next ? { next } : null,
    });
    if (!next) return;
  }
}
