import { SatisfactionRating } from '../../../src/domain/records.js';
import { MaturityError } from '../../../src/errors.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import type { FreshdeskConfig } from '../config.js';
import { FreshdeskRating } from '../schemas.js';
import { EPOCH, firstStart, historyDate } from './history.js';
import { ListCursor, listCursor, syncList } from './paged-list.js';

/**
 * A rating's answer to the survey's main question (`ratings.default_question`; Freshdesk's scales
 * run from 103 to -103): above 100 happy (good), below 0 unhappy (bad). 100 is neutral: answered,
 * not good, so it counts as not good (bad) in our two-valued score. Freshdesk lists only answered
 * surveys, so no rating is `offered`.
 */
export function toSatisfactionRating(r: FreshdeskRating): SatisfactionRating {
  const answer = r.ratings.default_question ?? Object.values(r.ratings)[0];
  if (answer === undefined)
    throw new MaturityError('E_CONNECTOR_RESPONSE', 'the rating answers no question');
  return {
    sourceId: r.id,
    ...(r.ticket_id ? { ticketId: r.ticket_id } : {}),
    score: answer > 100 ? 'good' : 'bad',
    createdAt: r.created_at,
  };
}

/**
 * Satisfaction ratings created since the history start (https://developers.freshdesk.com/api/
 * #view_all_satisfaction_ratings; `created_since` is given: like tickets, the list is otherwise
 * limited to recent ones). A full pass each sync, so ratings deleted at the source go too.
 */
export const satisfactionRatings = defineStream<FreshdeskConfig, ListCursor>({
  name: 'satisfaction-ratings',
  kinds: ['satisfactionRatings'],
  cursor: ListCursor,
  fullRefresh: true,
  async sync(ctx) {
    const from = firstStart(ctx.config, ctx.now(), ctx.historyFrom);
    await syncList(ctx, {
      path: '/api/v2/surveys/satisfaction_ratings',
      params: { created_since: from ?? EPOCH },
      schema: FreshdeskRating,
      kind: 'satisfactionRatings',
      optional: 'Freshdesk does not let this API key read satisfaction ratings (HTTP 403/404)',
      from: ctx.cursor?.next,
      cursor: listCursor,
      map: (page) =>
        mapPage(page, recordOrSkip(toSatisfactionRating), { domain: SatisfactionRating }),
    });
    return { historyFrom: historyDate(from) };
  },
});
