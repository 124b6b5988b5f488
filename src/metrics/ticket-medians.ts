import { inWindow, numOrNull, num, value, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

export const ticketMedians: MetricDefinition = {
  name: 'ticket-medians',
  metrics: [
    {
      id: 'tickets.first_response_minutes.median',
      unit: 'minutes',
      description:
        'Median minutes from creation to the first agent reply, over tickets created in the window.',
    },
    {
      id: 'tickets.resolution_hours.median',
      unit: 'hours',
      description:
        'Median hours from creation to solved (or closed), over tickets created in the window and solved.',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('tickets')) return [];
    const [row] = await ctx.db.query<Record<string, unknown>>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_minutes)
                FILTER (WHERE first_response_minutes IS NOT NULL) AS frt,
              count(first_response_minutes)::int AS frt_n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (COALESCE(solved_at, closed_at) - created_at)) / 3600.0)
                FILTER (WHERE COALESCE(solved_at, closed_at) >= created_at) AS res,
              count(*) FILTER (WHERE COALESCE(solved_at, closed_at) >= created_at)::int AS res_n
       FROM tickets WHERE account_id = $1 AND ${inWindow('created_at')}`,
      windowParams(ctx),
    );
    return [
      ...value(
        ctx,
        'tickets.first_response_minutes.median',
        numOrNull(row?.frt),
        'minutes',
        num(row?.frt_n),
        ['tickets'],
      ),
      ...value(
        ctx,
        'tickets.resolution_hours.median',
        numOrNull(row?.res),
        'hours',
        num(row?.res_n),
        ['tickets'],
      ),
    ];
  },
};
