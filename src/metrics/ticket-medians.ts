import { delivers, inWindow, numOrNull, num, value, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

/**
 * Medians over the window's tickets, as the vendors define them: first reply minus creation, and
 * resolved (ServiceNow resolved_at, Zendesk solved_at) minus opened. The close time never stands in
 * for the resolution: it includes the wait before auto-close. Unresolved tickets are left out;
 * the breakdown says how many.
 */
export const ticketMedians: MetricDefinition = {
  name: 'ticket-medians',
  needs: { kinds: ['tickets'] },
  metrics: [
    {
      id: 'tickets.first_response_minutes.median',
      label: 'Median first reply',
      sample: 'over {n} replied tickets',
      unit: 'minutes',
      needs: { kinds: ['tickets'], families: ['firstResponse'] },
      description:
        'Median minutes from creation to the first agent reply, over tickets created in the window.',
    },
    {
      id: 'tickets.resolution_hours.median',
      label: 'Median resolution time',
      sample: 'over {n} resolved tickets',
      unit: 'hours',
      needs: { kinds: ['tickets'], families: ['solved'] },
      description:
        'Median hours from opened to resolved (solved), over tickets created in the window and resolved; the close time is never used. Breakdown: resolved and unresolved counts.',
    },
  ],
  async compute(ctx) {
    const frt = delivers(ctx, 'firstResponse');
    const res = delivers(ctx, 'solved');
    if (!frt && !res) return [];
    const [row] = await ctx.db.query<Record<string, unknown>>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_minutes)
                FILTER (WHERE first_response_minutes IS NOT NULL) AS frt,
              count(first_response_minutes)::int AS frt_n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (solved_at - created_at)) / 3600.0)
                FILTER (WHERE solved_at >= created_at) AS res,
              count(*) FILTER (WHERE solved_at >= created_at)::int AS res_n,
              count(*) FILTER (WHERE solved_at IS NULL)::int AS open_n
       FROM tickets WHERE account_id = $1 AND ${inWindow('created_at')}`,
      windowParams(ctx),
    );
    return [
      ...(frt
        ? value(
            ctx,
            'tickets.first_response_minutes.median',
            numOrNull(row?.frt),
            'minutes',
            num(row?.frt_n),
            ['tickets'],
          )
        : []),
      ...(res
        ? value(
            ctx,
            'tickets.resolution_hours.median',
            numOrNull(row?.res),
            'hours',
            num(row?.res_n),
            ['tickets.solved_at (resolved minus opened; unresolved tickets left out)'],
            { resolved: num(row?.res_n), unresolved: num(row?.open_n) },
          )
        : []),
    ];
  },
};
