import { z } from 'zod';
import { SatisfactionRating } from '../../../src/domain/records.js';
import { MaturityError } from '../../../src/errors.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import type { ZendeskConfig } from '../config.js';
import { ZendeskSatisfactionRating } from '../schemas.js';
import { exportStart, historyDate, neededStart } from './export-start.js';
import { ListCursor, syncList } from './paged-list.js';

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

/**
 * Where a ratings pass stopped (`next`), where it started (`from`, epoch seconds; 0 = all
 * history) and the earliest start any pass read (`held`), kept between passes.
 */
const RatingsCursor = ListCursor.extend({
  from: z.number().int().nonnegative().optional(),
  held: z.number().int().nonnegative().optional(),
});
type RatingsCursor = z.infer<typeof RatingsCursor>;

// https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/#list-satisfaction-ratings
// The list filters on `start_time` (the oldest rating, epoch seconds). Each pass re-reads the
// ratings from where the snapshot's window starts (a 90-day snapshot does not page through two
// years of ratings at the API's rate limit) and the sweep leaves older stored ratings alone.
export const satisfactionRatings = defineStream<ZendeskConfig, RatingsCursor>({
  name: 'satisfaction-ratings',
  kinds: ['satisfactionRatings'],
  cursor: RatingsCursor,
  fullRefresh: true,
  async sync(ctx) {
    const saved = ctx.cursor;
    // A pass resumed after a crash keeps its start (a cursor saved before starts were kept
    // belongs to a pass that read all history).
    const from = saved?.next
      ? (saved.from ?? 0)
      : exportStart(ctx.config, ctx.now(), neededStart(ctx.historyFrom));
    const held = Math.min(saved?.held ?? from, from);
    await syncList(ctx, {
      path: '/api/v2/satisfaction_ratings.json',
      key: 'satisfaction_ratings',
      schema: ZendeskSatisfactionRating,
      kind: 'satisfactionRatings',
      // CSAT is a plan feature (Support Professional, Suite Growth and up) and an admin's list.
      optional: true,
      unavailable: (status) =>
        `Zendesk does not give this account's satisfaction ratings to this user (HTTP ${status}: CSAT needs Support Professional or Suite Growth and up): satisfaction stays unknown`,
      ...(from > 0 ? { params: { start_time: String(from) } } : {}),
      from: saved?.next,
      cursor: (next) => (next ? { next, from, held } : { held }),
      map: (page) =>
        mapPage(page, recordOrSkip(toSatisfactionRating), { domain: SatisfactionRating }),
    });
    return {
      historyFrom: historyDate(held),
      ...(from > 0 ? { sweepFrom: new Date(from * 1000) } : {}),
    };
  },
});
