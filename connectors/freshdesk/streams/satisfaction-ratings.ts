import { z } from 'zod';
import { SatisfactionRating } from '../../../src/domain/records.js';
import { MaturityError } from '../../../src/errors.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import type { FreshdeskConfig } from '../config.js';
import { FreshdeskRating } from '../schemas.js';
import { EPOCH, firstStart, historyDate } from './history.js';
import { ListCursor, syncList } from './paged-list.js';

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
 * Where a ratings pass stopped (`next`), where it started (`from`, ISO; absent: all history) and
 * the earliest start any pass read (`held`, null: all history), kept between passes.
 */
export const RatingsCursor = ListCursor.extend({
  from: z.string().nullable().optional(),
  held: z.string().nullable().optional(),
});
export type RatingsCursor = z.infer<typeof RatingsCursor>;

const earliest = (a: string | null, b: string | null) =>
  a === null || b === null ? null : Date.parse(a) <= Date.parse(b) ? a : b;

/**
 * Satisfaction ratings created since the snapshot window's start, `--since` or two years back
 * (https://developers.freshdesk.com/api/#view_all_satisfaction_ratings; `created_since` is always
 * given: like tickets, the list is otherwise limited to recent ones). A full pass each sync, so
 * ratings deleted at the source go too; the sweep leaves stored ratings older than the pass's start
 * alone, since the pass never asked for them.
 */
export const satisfactionRatings = defineStream<FreshdeskConfig, RatingsCursor>({
  name: 'satisfaction-ratings',
  kinds: ['satisfactionRatings'],
  // Only answered surveys are listed: no `offered` family, so the response rate stays unknown.
  fields: () => ({ satisfactionRatings: [] }),
  cursor: RatingsCursor,
  fullRefresh: true,
  async sync(ctx) {
    const saved = ctx.cursor;
    // A pass resumed after a crash keeps its start.
    const from =
      saved?.next && saved.from !== undefined
        ? saved.from
        : firstStart(ctx.config, ctx.now(), ctx.historyFrom);
    const held = saved?.held === undefined ? from : earliest(saved.held, from);
    await syncList(ctx, {
      path: '/api/v2/surveys/satisfaction_ratings',
      params: { created_since: from ?? EPOCH },
      schema: FreshdeskRating,
      kind: 'satisfactionRatings',
      optional: 'Freshdesk does not let this API key read satisfaction ratings (HTTP 403/404)',
      from: saved?.next,
      cursor: (next) => (next ? { next, from, held } : { held }),
      map: (page) =>
        mapPage(page, recordOrSkip(toSatisfactionRating), { domain: SatisfactionRating }),
    });
    return { historyFrom: historyDate(held), ...(from ? { sweepFrom: new Date(from) } : {}) };
  },
});
