import {
  delivers,
  inWindow,
  num,
  proportion,
  round,
  value,
  windowParams,
  withUndetermined,
} from './helpers.js';
import { SHIPPED } from './sla-policies.js';
import type { MetricContext, MetricDefinition } from './types.js';

/**
 * SLA targets met / SLA targets completed (met or breached) in the window. Where the tool gives no
 * per-target outcomes, the share of the window's tickets whose made-SLA flag is true — and the
 * sources say so. `sla.measured.count` says how many were measured: a real zero when the outcomes
 * (or the made-SLA field) were delivered and nothing was measured.
 *
 * Outcomes are measured against whatever policy the helpdesk applied. Where every customer
 * policy it holds is its own default, unchanged since it was created (sla-policies.ts), the
 * targets are the vendor's, not a promise the team is known to have made: the targets measured
 * are then undetermined (a reviewer says whether the team adopted the default), as the policy
 * itself is. The attainment figure stays, with a source line saying what it was measured against.
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
        "SLA targets completed (met or breached) in the window, or tickets with a made-SLA flag where the tool has no per-target outcomes; 0 when SLA data was delivered and nothing was measured. Targets measured while the helpdesk's unchanged default is the only customer policy are undetermined (a reviewer says whether the team adopted it).",
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
        const stock = done ? await onlyStockDefault(ctx) : false;
        const sources = [
          'sla_outcomes',
          ...(stock
            ? [
                "measured against the helpdesk's default SLA policy, unchanged since it was created and the only customer policy: a reviewer says whether the team adopted it",
              ]
            : []),
        ];
        return [
          ...proportion(ctx, 'sla.attainment', met, done, sources, breakdown),
          // Measured against the vendor's default: none known to be the team's, all undetermined.
          ...withUndetermined(
            value(ctx, 'sla.measured.count', stock ? 0 : done, 'count', done, sources),
            stock ? done : 0,
          ),
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

/** The account's customer SLA policies are known, and every one is the helpdesk's unchanged default. */
async function onlyStockDefault(ctx: MetricContext): Promise<boolean> {
  if (!ctx.covered.has('slaPolicies')) return false;
  const [row] = await ctx.db.query<{ team: number; stock: number }>(
    `SELECT count(*) FILTER (WHERE NOT ${SHIPPED})::int AS team,
            count(*) FILTER (WHERE ${SHIPPED})::int AS stock
       FROM sla_policies WHERE account_id = $1 AND kind = 'sla'`,
    [ctx.accountId],
  );
  return num(row?.team) === 0 && num(row?.stock) > 0;
}
