import { inWindow, num, proportion, value, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

export const agents: MetricDefinition = {
  name: 'agents',
  metrics: [
    {
      id: 'agents.count',
      unit: 'count',
      description: 'Active agents and admins (light agents excluded).',
    },
    {
      id: 'agents.multi_group_share',
      unit: 'ratio',
      description: 'Share of active agents in two or more groups (T-shaped specialisation).',
    },
    {
      id: 'agents.knowledge_roles.count',
      unit: 'count',
      description: 'Active users with a knowledge-author or knowledge-manager role.',
    },
    {
      id: 'tickets.per_agent_month',
      unit: 'count',
      description: 'Tickets created per active agent per 30 days in the window.',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('agents')) return [];
    const [row] = await ctx.db.query<Record<string, number>>(
      `SELECT count(*) FILTER (WHERE active AND role IN ('agent','admin'))::int AS n,
              count(*) FILTER (WHERE active AND role IN ('agent','admin') AND cardinality(group_ids) >= 2)::int AS multi,
              count(*) FILTER (WHERE active AND role = 'knowledge')::int AS knowledge
       FROM agents WHERE account_id = $1`,
      [ctx.accountId],
    );
    const n = num(row?.n);
    const out = [
      ...value(ctx, 'agents.count', n, 'count', n, ['agents']),
      ...proportion(ctx, 'agents.multi_group_share', num(row?.multi), n, ['agents']),
      ...value(ctx, 'agents.knowledge_roles.count', num(row?.knowledge), 'count', n, ['agents']),
    ];
    if (ctx.covered.has('tickets') && n > 0) {
      const [t] = await ctx.db.query<{ n: number; first: Date | null }>(
        `SELECT count(*)::int AS n, min(created_at) AS first FROM tickets WHERE account_id = $1 AND ${inWindow('created_at')}`,
        windowParams(ctx),
      );
      const from = ctx.window.from ?? (t?.first ? new Date(t.first) : null);
      const days = from ? (ctx.window.to.getTime() - from.getTime()) / 86_400_000 : 0;
      if (days >= 1 && num(t?.n) > 0) {
        out.push(
          ...value(
            ctx,
            'tickets.per_agent_month',
            (num(t?.n) / n / days) * 30,
            'count',
            num(t?.n),
            ['tickets', 'agents'],
          ),
        );
      }
    }
    return out;
  },
};
