import { customerRequestSql, delivers, inWindow, num, value, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

/** An hour counts as covered when it holds at least a quarter of an even 1/24 share of solves. */
const MIN_SHARE = 0.25 / 24;

export const hourCoverage: MetricDefinition = {
  name: 'hour-coverage',
  needs: { kinds: ['tickets'], families: ['solved'] },
  metrics: [
    {
      id: 'tickets.hour_coverage',
      unit: 'ratio',
      description:
        'Share of the 24 UTC hours in which people solve a meaningful part of the customer requests (follow-the-sun work shows ~1).',
    },
  ],
  async compute(ctx) {
    if (!delivers(ctx, 'solved')) return [];
    const rows = await ctx.db.query<{ hour: number; n: number }>(
      `SELECT extract(hour FROM t.solved_at AT TIME ZONE 'UTC')::int AS hour, count(*)::int AS n
       FROM tickets t WHERE t.account_id = $1 AND t.solved_at IS NOT NULL AND ${inWindow('t.created_at')}
         AND ${customerRequestSql(ctx)}
       GROUP BY 1`,
      windowParams(ctx),
    );
    const total = rows.reduce((s, r) => s + num(r.n), 0);
    if (total < 100) return [];
    const covered = rows.filter((r) => num(r.n) / total >= MIN_SHARE).length;
    return value(ctx, 'tickets.hour_coverage', covered / 24, 'ratio', total, ['tickets.solved_at']);
  },
};
