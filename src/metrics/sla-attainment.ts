import { delivers, inWindow, num, proportion, round, value, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

/**
 * SLA targets met / SLA targets completed (met or breached) in the window. Where the tool gives no
 * per-target outcomes, the share of the window's tickets whose made-SLA flag is true — and the
 * sources say so. `sla.measured.count` says how many were measured: a real zero when the outcomes
 * (or the made-SLA field) were delivered and nothing was measured.
 */
export const slaAttainment: MetricDefinition = {
  name: 'sla-attainment',
  needs: [{ kinds: ['slaOutcomes'] }, { kinds: ['tickets'], families: ['sla'] }],
  metrics: [
    {
      id: 'sla.attainment',
      label: 'SLA attainment',
      sample: 'of {n} SLA targets',
      unit: 'ratio',
      description: 'SLA targets met out of targets completed (met or breached) in the window.',
    },
    {
      id: 'sla.measured.count',
      label: 'SLA targets measured',
      sample: 'of {n} SLA targets',
      unit: 'count',
      description:
        'SLA targets completed (met or breached) in the window, or tickets with a made-SLA flag where the tool has no per-target outcomes; 0 when SLA data was delivered and nothing was measured.',
    },
  ],
  async compute(ctx) {
    const flags = delivers(ctx, 'sla');
    if (ctx.covered.has('slaOutcomes')) {
      const [any] = await ctx.db.query<{ any: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM sla_outcomes WHERE account_id = $1) AS any',
        [ctx.accountId],
      );
      if (any?.any || !flags) {
        const byMetric = await ctx.db.query<{ metric: string; met: number; done: number }>(
          `SELECT metric, count(*) FILTER (WHERE status = 'met')::int AS met, count(*)::int AS done
           FROM sla_outcomes WHERE account_id = $1 AND status IN ('met','breached') AND ${inWindow('completed_at')}
           GROUP BY metric ORDER BY metric`,
          windowParams(ctx),
        );
        const met = byMetric.reduce((s, m) => s + num(m.met), 0);
        const done = byMetric.reduce((s, m) => s + num(m.done), 0);
        const breakdown = Object.fromEntries(
          byMetric.map((m) => [m.metric, m.done ? round(m.met / m.done) : 0]),
        );
        return [
          ...proportion(ctx, 'sla.attainment', met, done, ['sla_outcomes'], breakdown),
          ...value(ctx, 'sla.measured.count', done, 'count', done, ['sla_outcomes']),
        ];
      }
    }
    if (!flags) return [];
    const [row] = await ctx.db.query<{ met: number; known: number }>(
      `SELECT count(*) FILTER (WHERE made_sla)::int AS met, count(made_sla)::int AS known
       FROM tickets WHERE account_id = $1 AND ${inWindow('created_at')}`,
      windowParams(ctx),
    );
    const src = [
      'tickets.made_sla (no per-target SLA outcomes: share of tickets flagged as having made their SLA)',
    ];
    return [
      ...proportion(ctx, 'sla.attainment', num(row?.met), num(row?.known), src),
      ...value(ctx, 'sla.measured.count', num(row?.known), 'count', num(row?.known), src),
    ];
  },
};
