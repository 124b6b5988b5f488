import { num, value } from './helpers.js';
import type { MetricDefinition } from './types.js';

export const automations: MetricDefinition = {
  name: 'automations',
  needs: { kinds: ['automations'] },
  metrics: [
    {
      id: 'automations.count',
      label: 'Active automations',
      sample: 'of {n} automations',
      at: 'asOf',
      unit: 'count',
      description:
        'Active macros, triggers, automations, workflows, forms and bots; breakdown per kind.',
    },
    {
      id: 'automations.bots.count',
      label: 'Bots and virtual agents',
      sample: 'of {n} automations',
      at: 'asOf',
      unit: 'count',
      description: 'Active bots and virtual agents.',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('automations')) return [];
    const rows = await ctx.db.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM automations WHERE account_id = $1 AND active GROUP BY kind ORDER BY kind`,
      [ctx.accountId],
    );
    const breakdown = Object.fromEntries(rows.map((r) => [r.kind, num(r.n)]));
    const total = rows.reduce((s, r) => s + num(r.n), 0);
    return [
      ...value(ctx, 'automations.count', total, 'count', total, ['automations'], breakdown),
      ...value(ctx, 'automations.bots.count', breakdown.bot ?? 0, 'count', total, ['automations']),
    ];
  },
};
