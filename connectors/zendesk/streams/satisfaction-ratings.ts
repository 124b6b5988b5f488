import { SatisfactionRating } from '../../../src/domain/records.js';
import type { StreamDefinition } from '../../shared/define-connector.js';
import type { ZendeskConfig } from '../config.js';
import { mapPage } from '../map-page.js';
import { ZendeskSatisfactionRating } from '../schemas.js';
import { syncList } from './paged-list.js';

/**
 * Zendesk scores: offered (survey sent, no answer), good / bad (with or without comment), and
 * unoffered (no survey sent: not a rating, skipped).
 */
export function toSatisfactionRating(r: ZendeskSatisfactionRating): SatisfactionRating | undefined {
  const s = r.score.toLowerCase();
  const score =
    s === 'offered'
      ? 'offered'
      : s.startsWith('good')
        ? 'good'
        : s.startsWith('bad')
          ? 'bad'
          : undefined;
  if (!score) {
    if (s === 'unoffered') return undefined;
    throw new Error(`score "${r.score}" is not a Zendesk satisfaction score`);
  }
  return {
    sourceId: r.id,
    ...(r.ticket_id ? { ticketId: r.ticket_id } : {}),
    score,
    createdAt: r.created_at,
  };
}

// https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/#list-satisfaction-ratings
export const satisfactionRatings: StreamDefinition<ZendeskConfig> = {
  name: 'satisfaction-ratings',
  kinds: ['satisfactionRatings'],
  fullRefresh: true,
  sync: (ctx) =>
    syncList(ctx, {
      path: '/api/v2/satisfaction_ratings.json',
      key: 'satisfaction_ratings',
      kind: 'satisfactionRatings',
      map: (items) =>
        mapPage(items, ZendeskSatisfactionRating, toSatisfactionRating, SatisfactionRating),
    }),
};
