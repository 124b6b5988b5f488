import { KbArticle } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { budgets } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { ZendeskArticle } from '../schemas.js';
import { ListCursor, listCursor, syncList } from './paged-list.js';

/**
 * A Help Center article. `edited_at` (the last change to the text) is preferred to `updated_at`,
 * which also moves on votes and comments; drafts and outdated translations keep their state.
 */
export function toKbArticle(a: ZendeskArticle): KbArticle {
  const updated = a.edited_at ?? a.updated_at;
  return {
    sourceId: a.id,
    ...(a.title ? { title: a.title } : {}),
    state: a.draft ? 'draft' : a.outdated ? 'outdated' : 'published',
    createdAt: a.created_at,
    ...(updated ? { updatedAt: updated } : {}),
    ...(typeof a.vote_sum === 'number' ? { votes: a.vote_sum } : {}),
    ...(a.author_id ? { authorId: a.author_id } : {}),
  };
}

// https://developer.zendesk.com/api-reference/help_center/help-center-api/articles/#list-articles
// Help Center has its own rate limit, hence its own budget. An account without Help Center
// answers 404: that is zero articles. A 403 is a user who may not read them: unknown, not zero.
export const kbArticles = defineStream<ZendeskConfig, ListCursor>({
  name: 'kb-articles',
  kinds: ['kbArticles'],
  cursor: ListCursor,
  fullRefresh: true,
  sync: (ctx) =>
    syncList(ctx, {
      path: '/api/v2/help_center/articles.json',
      key: 'articles',
      schema: ZendeskArticle,
      kind: 'kbArticles',
      budget: budgets.helpCenter,
      optional: true,
      unavailable: (status) =>
        status === 403
          ? 'Zendesk does not let this user read the Help Center articles (HTTP 403): the knowledge base stays unknown'
          : undefined,
      from: ctx.cursor?.next,
      cursor: listCursor,
      map: (page) => mapPage(page, recordOrSkip(toKbArticle), { domain: KbArticle }),
    }),
});
