import { KbArticle } from '../../../src/domain/records.js';
import { checked, type Mapped } from '../../shared/map-page.js';
import { date, int, opt, slug, type Fields } from '../values.js';
import { tableStream } from './table-stream.js';

export const kbFields = [
  'sys_id',
  'short_description',
  'workflow_state',
  'valid_to',
  'sys_view_count',
  'author',
  'sys_created_on',
  'sys_updated_on',
] as const;

/** kb_knowledge: workflow_state, with a published article past valid_to counted as outdated. */
export function kbToArticle(f: Fields, now: Date): Mapped<KbArticle> {
  const w = f.workflow_state ? slug(f.workflow_state) : '';
  let state: KbArticle['state'] =
    w === 'published'
      ? 'published'
      : w === 'retired'
        ? 'retired'
        : w === 'outdated' || w === 'pending_retirement'
          ? 'outdated'
          : 'draft';
  const validTo = f.valid_to ? Date.parse(`${f.valid_to.slice(0, 10)}T23:59:59Z`) : NaN;
  if (state === 'published' && Number.isFinite(validTo) && validTo < now.getTime())
    state = 'outdated';
  return checked(KbArticle, {
    sourceId: f.sys_id,
    ...opt('title', f.short_description?.slice(0, 1000)),
    state,
    createdAt: date(f.sys_created_on),
    ...opt('updatedAt', date(f.sys_updated_on)),
    ...opt('views', int(f.sys_view_count)),
    ...opt('authorId', f.author),
  });
}

/** kb_knowledge: articles with their workflow state, views and last update. */
export const kbKnowledge = tableStream({
  name: 'kb_knowledge',
  kind: 'kbArticles',
  spec: {
    table: 'kb_knowledge',
    fields: kbFields,
    required: ['sys_id', 'workflow_state', 'sys_created_on', 'sys_updated_on'],
    mode: 'incremental',
  },
  map: kbToArticle,
});
