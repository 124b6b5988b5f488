import { kbFields, kbToArticle } from '../map-records.js';
import { tableStream } from './table-stream.js';

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
