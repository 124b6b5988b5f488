import { inWindow, num, value, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

export const ticketsCount: MetricDefinition = {
  name: 'tickets-count',
  needs: { kinds: ['tickets'] },
  metrics: [
    {
      id: 'tickets.count',
      label: 'Tickets created',
      sample: 'of {n} tickets',
      unit: 'count',
      description: 'Tickets created in the window.',
    },
    {
      id: 'tickets.backlog',
      label: 'Open tickets (backlog)',
      sample: 'of {n} tickets',
      at: 'asOf',
      unit: 'count',
      description:
        'Tickets open at the as-of instant (created before it, not yet solved or closed).',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('tickets')) return [];
    const [row] = await ctx.db.query<{ n: number; backlog: number; total: number }>(
      `SELECT count(*) FILTER (WHERE ${inWindow('created_at')})::int AS n,
              count(*) FILTER (WHERE created_at <= $2::timestamptz AND CASE
                 WHEN COALESCE(solved_at, closed_at) IS NOT NULL THEN COALESCE(solved_at, closed_at) > $2::timestamptz
                 ELSE status NOT IN ('solved', 'closed') END)::int AS backlog,
              count(*) FILTER (WHERE created_at <= $2::timestamptz)::int AS total
       FROM tickets WHERE account_id = $1`,
      windowParams(ctx),
    );
    return [
      ...value(ctx, 'tickets.count', num(row?.n), 'count', num(row?.n), ['tickets']),
      ...value(ctx, 'tickets.backlog', num(row?.backlog), 'count', num(row?.total), ['tickets']),
    ];
  },
};
