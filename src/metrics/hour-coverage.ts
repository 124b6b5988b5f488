import { inWindow, num, value, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

/** An hour counts as covered when it holds at least a quarter of an even 1/24 share of solves. */
const MIN_SHARE = 0.25 / 24;

export const hourCoverage: MetricDefinition = {
  name: 'hour-coverage',
  metrics: [
    {
      id: 'tickets.hour_coverage',
      unit: 'ratio',
      description:
        'Share of the 24 UTC hours in which agents solve a meaningful part of the tickets (follow-the-sun work shows ~1).',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('tickets')) return [];
    const rows = await ctx.db.query<{ hour: number; n: number }>(
      `SELECT extract(hour FROM solved_at AT TIME ZONE 'UTC')::int AS hour, count(*)::int AS n
       FROM tickets WHERE account_id = $1 AND solved_at IS NOT NULL AND ${inWindow('created_at')}
       GROUP BY 1`,
      windowParams(ctx),
    );
    const total = rows.reduce((s, r) => s + num(r.n), 0);
    if (total < 100) return [];
    const covered = rows.filter((r) => num(r.n) / total >= MIN_SHARE).length;
    return value(ctx, 'tickets.hour_coverage', covered / 24, 'ratio', total, ['tickets.solved_at']);
  },
};
