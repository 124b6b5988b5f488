import { z } from 'zod';
import { KbArticle } from '../../../src/domain/records.js';
import { MaturityError } from '../../../src/errors.js';
import { defineStream, SourceUnavailable } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { FreshdeskApi } from '../client.js';
import type { FreshdeskConfig } from '../config.js';
import {
  FreshdeskArticle,
  FreshdeskCategory,
  FreshdeskFolder,
  type FreshdeskArticle as Article,
} from '../schemas.js';
import { NextLink } from './paged-list.js';

/** The folder being read (its id) and its next page of articles. */
export const ArticleCursor = z.object({ folder: z.string(), next: NextLink.optional() });
export type ArticleCursor = z.infer<typeof ArticleCursor>;

const STATES: Record<number, KbArticle['state']> = { 1: 'draft', 2: 'published' };

/**
 * A solution article: draft (1) or published (2), its views (`hits`) and its votes (thumbs up
 * minus thumbs down). `modified_at` (the last change to the article) is preferred to `updated_at`.
 */
export function toKbArticle(a: FreshdeskArticle): KbArticle {
  const state = STATES[a.status];
  if (!state)
    throw new MaturityError('E_CONNECTOR_RESPONSE', `status ${a.status} is not an article status`);
  const updated = a.modified_at ?? a.updated_at;
  const votes =
    a.thumbs_up != null || a.thumbs_down != null
      ? { votes: (a.thumbs_up ?? 0) - (a.thumbs_down ?? 0) }
      : {};
  return {
    sourceId: a.id,
    ...(a.title ? { title: a.title } : {}),
    state,
    createdAt: a.created_at,
    ...(updated ? { updatedAt: updated } : {}),
    ...(typeof a.hits === 'number' ? { views: a.hits } : {}),
    ...votes,
    ...(a.agent_id ? { authorId: a.agent_id } : {}),
  };
}

/**
 * Every folder of the knowledge base: categories ► folders ► subfolders, depth first, in the
 * order Freshdesk lists them (https://developers.freshdesk.com/api/#solutions).
 */
async function folderIds(api: FreshdeskApi): Promise<string[]> {
  const categories = await api.all('/api/v2/solutions/categories', FreshdeskCategory, {
    optional: true,
  });
  if (categories.missing)
    throw new SourceUnavailable(
      'Freshdesk does not let this API key read the knowledge base (HTTP 403/404)',
    );
  const out: string[] = [];
  const walk = async (folders: FreshdeskFolder[]) => {
    for (const f of folders) {
      out.push(f.id);
      if (f.sub_folders_count)
        await walk(
          (await api.all(`/api/v2/solutions/folders/${f.id}/subfolders`, FreshdeskFolder)).items,
        );
    }
  };
  for (const c of categories.items)
    await walk(
      (await api.all(`/api/v2/solutions/categories/${c.id}/folders`, FreshdeskFolder)).items,
    );
  return [...new Set(out)];
}

/**
 * Solution articles, folder by folder, each page committed with the folder and the next page, so a
 * killed sync resumes there (a folder gone since starts the folders again; the pass keeps its
 * start, so its sweep stays right).
 */
export const kbArticles = defineStream<FreshdeskConfig, ArticleCursor>({
  name: 'kb-articles',
  kinds: ['kbArticles'],
  cursor: ArticleCursor,
  fullRefresh: true,
  async sync(ctx) {
    const api = new FreshdeskApi(ctx.client);
    const folders = await folderIds(api);
    const at = ctx.cursor ? Math.max(0, folders.indexOf(ctx.cursor.folder)) : 0;
    if (!folders.length) {
      await ctx.commit({ records: { kbArticles: [] }, cursor: null });
      return;
    }
    for (let i = at; i < folders.length; i++) {
      const folder = folders[i]!;
      let from: string | undefined =
        i === at && ctx.cursor?.folder === folder && ctx.cursor.next
          ? ctx.cursor.next
          : `/api/v2/solutions/folders/${folder}/articles`;
      while (from) {
        const page: Awaited<ReturnType<typeof api.list<Article>>> = await api.list(
          from,
          FreshdeskArticle,
        );
        const { records, quarantined } = mapPage(page, recordOrSkip(toKbArticle), {
          domain: KbArticle,
        });
        from = page.next;
        const last = !from && i + 1 === folders.length;
        await ctx.commit({
          records: { kbArticles: records },
          quarantined,
          cursor: last ? null : from ? { folder, next: from } : { folder: folders[i + 1]! },
        });
      }
    }
  },
});
