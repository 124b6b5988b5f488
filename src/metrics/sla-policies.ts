import { ticketProfile } from './ticket-profile.js';
import { delivers, num, numOrNull, round, value, withUndetermined } from './helpers.js';
import type { MetricDefinition } from './types.js';

const SEVERITY = ['urgent', 'high', 'normal', 'low'] as const;
/** A priority is "in use" when it carries at least this share of the window's prioritised tickets. */
const IN_USE = 0.01;
/**
 * A default policy the helpdesk created with the account and nobody edited since (a minute's
 * grace for the account's own setup writes): Freshdesk's "Default SLA Policy" applies to every
 * ticket from day one, whether or not anyone agreed it with a customer.
 */
export const SHIPPED = `(conditions @> '[{"field":"is_default","value":true}]'::jsonb
  AND created_at IS NOT NULL AND updated_at IS NOT NULL
  AND updated_at < created_at + interval '1 minute')`;

export const slaPolicies: MetricDefinition = {
  name: 'sla-policies',
  needs: { kinds: ['slaPolicies'] },
  metrics: [
    {
      id: 'sla.policies.count',
      label: 'Customer SLA policies',
      sample: 'of {n} policies',
      at: 'asOf',
      unit: 'count',
      description:
        "SLA policies defined with customers (not OLAs). The helpdesk's own default policy, unchanged a minute after it was created (Freshdesk ships one with every account), may be a promise nobody made: it is undetermined (a reviewer decides), and its targets are not read (breakdown `shipped`).",
    },
    {
      id: 'sla.ola.count',
      label: 'OLAs and underpinning contracts',
      sample: 'of {n} agreements',
      at: 'asOf',
      unit: 'count',
      description: 'Operational-level agreements and underpinning contracts defined (OLA, UC).',
    },
    {
      id: 'sla.first_response_target_minutes.urgent',
      label: 'Urgent first-reply target',
      sample: 'across {n} priorities with a target',
      at: 'asOf',
      breakdownLabels: { calendar: 'the urgent first-reply target runs around the clock' },
      unit: 'minutes',
      description:
        'The tightest first-reply target for urgent tickets across SLA policies; breakdown per priority, and calendar = 1 when that tightest target runs 24x7.',
    },
    {
      id: 'sla.first_response_target_minutes.top_priority',
      label: 'First-reply target for the top priority in use',
      sample: 'across {n} priorities with a target',
      at: 'asOf',
      breakdownLabels: { calendar: 'the top-priority first-reply target runs around the clock' },
      unit: 'minutes',
      description:
        "The first-reply promise for the highest priority the organisation actually uses (1%+ of the window's prioritised customer requests: urgent, or high where nothing is urgent…; without ticket priorities, the highest priority with a target): its tightest around-the-clock target, or without one its tightest office-hours target. Breakdown: the tightest target per priority, the rank of the priority judged (1 urgent … 4 low), its share of requests, and calendar = 1 when the promise runs 24x7.",
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('slaPolicies')) return [];
    const [counts] = await ctx.db.query<{ sla: number; ola: number; shipped: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'sla' AND NOT ${SHIPPED})::int AS sla,
              count(*) FILTER (WHERE kind = 'sla' AND ${SHIPPED})::int AS shipped,
              count(*) FILTER (WHERE kind <> 'sla')::int AS ola
       FROM sla_policies WHERE account_id = $1`,
      [ctx.accountId],
    );
    // Per priority: the tightest target, and the tightest that runs around the clock.
    const targets = await ctx.db.query<{
      priority: string;
      minutes: number;
      calendar_minutes: number | null;
    }>(
      `SELECT t->>'priority' AS priority, min((t->>'targetMinutes')::float8) AS minutes,
              min((t->>'targetMinutes')::float8) FILTER (WHERE NOT (t->>'businessHours')::boolean) AS calendar_minutes
       FROM sla_policies p, jsonb_array_elements(p.targets) t
       WHERE p.account_id = $1 AND p.kind = 'sla' AND NOT ${SHIPPED}
         AND t->>'metric' = 'first_reply_time'
       GROUP BY 1`,
      [ctx.accountId],
    );
    const breakdown: Record<string, number> = {};
    for (const t of targets) breakdown[t.priority] = num(t.minutes);
    const urgent = targets.find((t) => t.priority === 'urgent');
    const top = await topPriority(ctx);
    const judged = top
      ? targets.find((t) => t.priority === top.priority)
      : SEVERITY.map((p) => targets.find((t) => t.priority === p)).find(Boolean);
    const judgedPriority = top?.priority ?? judged?.priority;
    const topBreakdown: Record<string, number> = { ...breakdown };
    if (judgedPriority) topBreakdown.rank = SEVERITY.indexOf(judgedPriority as never) + 1;
    if (top) topBreakdown.share = round(top.share);
    // The promise judged for the top priority is its tightest around-the-clock target, or, without
    // one, its tightest office-hours target (calendar = 0): one policy's 24x7 flag never dresses
    // up another policy's tighter office-hours minutes.
    const judgedMinutes = judged
      ? (numOrNull(judged.calendar_minutes) ?? num(judged.minutes))
      : null;
    if (judged) topBreakdown.calendar = judged.calendar_minutes !== null ? 1 : 0;
    if (urgent)
      breakdown.calendar =
        urgent.calendar_minutes !== null && num(urgent.calendar_minutes) === num(urgent.minutes)
          ? 1
          : 0;
    return [
      // The unchanged default is undetermined, not absent: whether the team made it its promise
      // is a reviewer's call (the criteria it decides stay unknown until then).
      ...withUndetermined(
        value(
          ctx,
          'sla.policies.count',
          num(counts?.sla),
          'count',
          num(counts?.sla) + num(counts?.shipped),
          [
            'sla_policies',
            ...(counts?.shipped
              ? [
                  counts.shipped === 1
                    ? "1 default policy unchanged since the helpdesk created it: a reviewer says whether it is the team's promise"
                    : `${counts.shipped} default policies unchanged since the helpdesk created them: a reviewer says whether they are the team's promise`,
                ]
              : []),
          ],
          counts?.shipped ? { shipped: num(counts.shipped) } : undefined,
        ),
        num(counts?.shipped),
      ),
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
      ...value(
        ctx,
        'sla.first_response_target_minutes.top_priority',
        judgedMinutes,
        'minutes',
        targets.length,
        [
          'sla_policies',
          top
            ? `top priority in use: ${top.priority} (${(top.share * 100).toFixed(1)}% of ${top.n} prioritised tickets)`
            : `no ticket priorities to judge by: the highest priority with a target (${judgedPriority ?? 'none'})`,
        ],
        topBreakdown,
      ),
    ];
  },
};

/**
 * The highest priority carrying IN_USE of the window's prioritised customer requests, if priorities
 * are known (alerts opened by monitoring are not the customers' worst day).
 */
async function topPriority(
  ctx: Parameters<MetricDefinition['compute']>[0],
): Promise<{ priority: string; share: number; n: number } | undefined> {
  if (!delivers(ctx, 'priority')) return undefined;
  const rows = (await ticketProfile(ctx)).priorities;
  const total = rows.reduce((s, r) => s + num(r.n), 0);
  if (!total) return undefined;
  for (const p of SEVERITY) {
    const n = num(rows.find((r) => r.priority === p)?.n);
    if (n > 0 && n / total >= IN_USE) return { priority: p, share: n / total, n: total };
  }
  return undefined;
}
