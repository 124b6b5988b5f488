import { num, proportion, value } from './helpers.js';
import type { MetricDefinition } from './types.js';

export const organisations: MetricDefinition = {
  name: 'organisations',
  needs: { kinds: ['organisations'] },
  metrics: [
    {
      id: 'organisations.count',
      label: 'Customer organisations',
      sample: 'of {n} organisations',
      at: 'asOf',
      unit: 'count',
      description: 'Customer organisations.',
    },
    {
      id: 'organisations.csm_share',
      label: 'Organisations with a CSM',
      sample: 'of {n} organisations',
      at: 'asOf',
      unit: 'ratio',
      description: 'Share of organisations with a named customer-success manager.',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('organisations')) return [];
    const [row] = await ctx.db.query<Record<string, number>>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE has_csm)::int AS csm, count(has_csm)::int AS csm_known
       FROM organisations WHERE account_id = $1`,
      [ctx.accountId],
    );
    return [
      ...value(ctx, 'organisations.count', num(row?.n), 'count', num(row?.n), ['organisations']),
      ...proportion(ctx, 'organisations.csm_share', num(row?.csm), num(row?.csm_known), [
        'organisations',
      ]),
    ];
  },
};
