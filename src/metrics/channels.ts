import { inWindow, num, round, value, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

/** A channel counts when it carries at least this share of the window's tickets. */
const MIN_SHARE = 0.05;

export const channels: MetricDefinition = {
  name: 'channels',
  metrics: [
    {
      id: 'tickets.channels.count',
      unit: 'count',
      description: `Channels carrying at least ${MIN_SHARE * 100}% of the window's tickets; breakdown = share per channel.`,
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('tickets')) return [];
    const rows = await ctx.db.query<{ channel: string; n: number }>(
      `SELECT channel, count(*)::int AS n FROM tickets
       WHERE account_id = $1 AND channel IS NOT NULL AND ${inWindow('created_at')}
       GROUP BY channel ORDER BY n DESC`,
      windowParams(ctx),
    );
    const total = rows.reduce((s, r) => s + num(r.n), 0);
    if (!total) return [];
    const breakdown = Object.fromEntries(rows.map((r) => [r.channel, round(num(r.n) / total)]));
    const count = rows.filter((r) => num(r.n) / total >= MIN_SHARE).length;
    return value(ctx, 'tickets.channels.count', count, 'count', total, ['tickets'], breakdown);
  },
};
