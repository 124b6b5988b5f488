import {
  delivers,
  deliversOf,
  inWindow,
  num,
  proportion,
  sourcesOf,
  value,
  windowParams,
} from './helpers.js';
import type { MetricDefinition } from './types.js';

export const agents: MetricDefinition = {
  name: 'agents',
  needs: { kinds: ['agents'] },
  metrics: [
    {
      id: 'agents.count',
      label: 'Active agents',
      sample: 'of {n} agents',
      at: 'asOf',
      unit: 'count',
      description: 'Active agents and admins (light agents excluded).',
    },
    {
      id: 'agents.multi_group_share',
      label: 'Agents in two or more groups',
      sample: 'of {n} agents',
      at: 'asOf',
      unit: 'ratio',
      description: 'Share of active agents in two or more groups (T-shaped specialisation).',
      needs: { kinds: ['agents'], kindFamilies: { agents: ['memberships'] } },
    },
    {
      id: 'agents.knowledge_roles.count',
      label: 'Knowledge authors and managers',
      sample: 'of {n} active users',
      at: 'asOf',
      unit: 'count',
      description: 'Active users with a knowledge-author or knowledge-manager role.',
    },
    {
      id: 'tickets.per_agent_month',
      label: 'Tickets per agent per month',
      sample: 'from {n} tickets',
      unit: 'count',
      needs: { kinds: ['tickets', 'agents'] },
      description: 'Tickets created per active agent per 30 days in the window.',
    },
    {
      id: 'people.count',
      label: 'People working tickets',
      sample: 'from {n} tickets or agents',
      unit: 'count',
      needs: [{ kinds: ['agents'] }, { kinds: ['tickets'], families: ['assignee'] }],
      description:
        'People who work tickets: active agents and admins, or, where the tool lists no agents (or only people seen on tickets), the distinct assignees of the window.',
    },
  ],
  async compute(ctx) {
    const out = [];
    let n = 0;
    const listed = ctx.covered.has('agents');
    if (listed) {
      const [row] = await ctx.db.query<Record<string, number>>(
        `SELECT count(*) FILTER (WHERE active AND role IN ('agent','admin'))::int AS n,
                count(*) FILTER (WHERE active AND role IN ('agent','admin') AND cardinality(group_ids) >= 2)::int AS multi,
                count(*) FILTER (WHERE active AND role = 'knowledge')::int AS knowledge,
                count(*) FILTER (WHERE active)::int AS active_n
         FROM agents WHERE account_id = $1`,
        [ctx.accountId],
      );
      n = num(row?.n);
      const src = [sourcesOf(ctx, 'agents', 'agents')];
      out.push(
        ...value(ctx, 'agents.count', n, 'count', n, src),
        ...(deliversOf(ctx, 'agents', 'memberships')
          ? proportion(ctx, 'agents.multi_group_share', num(row?.multi), n, src)
          : []),
      );
      // People seen on tickets carry no roles: a zero there would be a guess.
      if (!ctx.derived?.has('agents'))
        out.push(
          ...value(
            ctx,
            'agents.knowledge_roles.count',
            num(row?.knowledge),
            'count',
            num(row?.active_n),
            src,
          ),
        );
    }
    if (listed && !ctx.derived?.has('agents'))
      out.push(...value(ctx, 'people.count', n, 'count', n, ['agents (active agents and admins)']));
    if (!ctx.covered.has('tickets')) return out;
    const assignees = delivers(ctx, 'assignee');
    const [t] = await ctx.db.query<{ n: number; first: Date | null; people: number }>(
      `SELECT count(*)::int AS n, min(created_at) AS first,
              count(DISTINCT assignee_id)::int AS people
       FROM tickets WHERE account_id = $1 AND ${inWindow('created_at')}`,
      windowParams(ctx),
    );
    if (!(listed && !ctx.derived?.has('agents')) && assignees)
      out.push(
        ...value(ctx, 'people.count', num(t?.people), 'count', num(t?.n), [
          'tickets.assignee_id (distinct assignees in the window)',
        ]),
      );
    if (n > 0) {
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
            ['tickets', sourcesOf(ctx, 'agents', 'agents')],
          ),
        );
      }
    }
    return out;
  },
};
