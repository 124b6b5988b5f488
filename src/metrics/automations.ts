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
        'Active macros, triggers, automations, workflows, forms and bots the team set up; breakdown per kind. Rules the helpdesk created with the account and nobody changed since (a batch of 3 or more created in its first 10 minutes, each unchanged a minute after creation) are not counted: breakdown `shipped`.',
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
    // A new Zendesk (or Freshdesk) account comes with a dozen active rules: created with the
    // account, in one batch, and left as they came, they are the vendor's, not the team's work.
    const rows = await ctx.db.query<{ kind: string; n: number; shipped: number }>(
      `WITH r AS (
         SELECT kind, active, created_at, updated_at,
                created_at < min(created_at) OVER () + interval '10 minutes' AS first_batch
         FROM automations WHERE account_id = $1
       ), s AS (
         SELECT kind, active,
                first_batch AND count(*) FILTER (WHERE first_batch) OVER () >= 3
                  AND updated_at < created_at + interval '1 minute' AS shipped
         FROM r
       )
       SELECT kind, count(*) FILTER (WHERE shipped IS NOT TRUE)::int AS n,
              count(*) FILTER (WHERE shipped)::int AS shipped
       FROM s WHERE active GROUP BY kind ORDER BY kind`,
      [ctx.accountId],
    );
    const breakdown: Record<string, number> = Object.fromEntries(
      rows.filter((r) => num(r.n) > 0).map((r) => [r.kind, num(r.n)]),
    );
    const total = rows.reduce((s, r) => s + num(r.n), 0);
    const shipped = rows.reduce((s, r) => s + num(r.shipped), 0);
    const read = total + shipped;
    if (shipped) breakdown.shipped = shipped;
    return [
      ...value(ctx, 'automations.count', total, 'count', read, ['automations'], breakdown),
      ...value(ctx, 'automations.bots.count', breakdown.bot ?? 0, 'count', read, ['automations']),
    ];
  },
};
