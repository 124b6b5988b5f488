import { num, numOrNull, value } from './helpers.js';
import type { MetricDefinition } from './types.js';

export const slaPolicies: MetricDefinition = {
  name: 'sla-policies',
  metrics: [
    {
      id: 'sla.policies.count',
      unit: 'count',
      description: 'SLA policies defined with customers (not OLAs).',
    },
    {
      id: 'sla.ola.count',
      unit: 'count',
      description: 'Operational-level agreements and underpinning contracts defined (OLA, UC).',
    },
    {
      id: 'sla.first_response_target_minutes.urgent',
      unit: 'minutes',
      description:
        'The tightest first-reply target for urgent tickets across SLA policies; breakdown per priority, and calendar = 1 when it runs 24x7.',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('slaPolicies')) return [];
    const [counts] = await ctx.db.query<{ sla: number; ola: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'sla')::int AS sla, count(*) FILTER (WHERE kind <> 'sla')::int AS ola
       FROM sla_policies WHERE account_id = $1`,
      [ctx.accountId],
    );
    const targets = await ctx.db.query<{ priority: string; minutes: number; calendar: boolean }>(
      `SELECT t->>'priority' AS priority, min((t->>'targetMinutes')::float8) AS minutes,
              bool_or(NOT (t->>'businessHours')::boolean) AS calendar
       FROM sla_policies p, jsonb_array_elements(p.targets) t
       WHERE p.account_id = $1 AND p.kind = 'sla' AND t->>'metric' = 'first_reply_time'
       GROUP BY 1`,
      [ctx.accountId],
    );
    const breakdown: Record<string, number> = {};
    for (const t of targets) breakdown[t.priority] = num(t.minutes);
    const urgent = targets.find((t) => t.priority === 'urgent');
    if (urgent) breakdown.calendar = urgent.calendar ? 1 : 0;
    return [
      ...value(ctx, 'sla.policies.count', num(counts?.sla), 'count', num(counts?.sla), [
        'sla_policies',
      ]),
      ...value(ctx, 'sla.ola.count', num(counts?.ola), 'count', num(counts?.ola), ['sla_policies']),
      ...value(
        ctx,
        'sla.first_response_target_minutes.urgent',
        numOrNull(urgent?.minutes),
        'minutes',
        targets.length,
        ['sla_policies'],
        breakdown,
      ),
    ];
  },
};
