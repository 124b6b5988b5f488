import { SatisfactionRating } from '../../../src/domain/records.js';
import { MaturityError } from '../../../src/errors.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import type { ZendeskConfig } from '../config.js';
import { ZendeskSatisfactionRating } from '../schemas.js';
import { ListCursor, listCursor, syncList } from './paged-list.js';

/**
 * Zendesk scores: offered (survey sent, no answer), good / bad (with or without comment), and
 * unoffered (no survey sent: not a rating, skipped). Another score is quarantined.
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
    throw new MaturityError(
      'E_CONNECTOR_RESPONSE',
      `score "${r.score}" is not a Zendesk satisfaction score`,
    );
  }
  return {
    sourceId: r.id,
    ...(r.ticket_id ? { ticketId: r.ticket_id } : {}),
    score,
    createdAt: r.created_at,
  };
}

// https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/#list-satisfaction-ratings
export const satisfactionRatings = defineStream<ZendeskConfig, ListCursor>({
  name: 'satisfaction-ratings',
  kinds: ['satisfactionRatings'],
  cursor: ListCursor,
  fullRefresh: true,
  sync: (ctx) =>
    syncList(ctx, {
      path: '/api/v2/satisfaction_ratings.json',
      key: 'satisfaction_ratings',
      schema: ZendeskSatisfactionRating,
      kind: 'satisfactionRatings',
      from: ctx.cursor?.next,
      cursor: listCursor,
      map: (page) =>
        mapPage(page, recordOrSkip(toSatisfactionRating), { domain: SatisfactionRating }),
    }),
});
