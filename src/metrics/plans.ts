import { num, proportion, value, withUndetermined } from './helpers.js';
import type { MetricDefinition } from './types.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;
/** Share of a plan's customers (with a known CSM field) that must have a CSM for it to be bundled. */
const CSM_BUNDLED = 0.8;
/** A plan (`p`) bundling proactive services: listed on it, or a CSM that comes with it. */
const PROACTIVE = `(cardinality(services) > 0 OR EXISTS (
  SELECT 1 FROM organisations o WHERE o.account_id = p.account_id AND o.plan_id = p.source_id
  HAVING count(o.has_csm) > 0 AND count(*) FILTER (WHERE o.has_csm) >= ${CSM_BUNDLED} * count(o.has_csm)
))`;

export const plans: MetricDefinition = {
  name: 'plans',
  needs: { kinds: ['plans'] },
  metrics: [
    {
      id: 'plans.count',
      label: 'Support plans',
      sample: 'of {n} plans',
      at: 'asOf',
      unit: 'count',
      description:
        'Distinct support plans (offerings) defined. Plans found only by their names (an organisation field or tags named like plans, or a default tier field, with no SLA policy confirming them) are undetermined: they may be sales tiers.',
    },
    {
      id: 'plans.documented.count',
      label: 'Plans published to customers',
      sample: 'of {n} plans',
      at: 'asOf',
      unit: 'count',
      description:
        'Plans published to customers; plans that do not say whether they are published are undetermined.',
    },
    {
      id: 'plans.proactive_services.count',
      label: 'Plans bundling proactive services',
      sample: 'of {n} plans',
      at: 'asOf',
      unit: 'count',
      description:
        "Plans that bundle proactive, cross-functional services (onboarding, CSM, alerts, consulting…): listed on the plan, or a customer-success manager assigned to at least 80% of the plan's customers (a CSM that comes with the plan). A CSM sold apart from the plans does not count. Plans found only by their names are undetermined.",
    },
    {
      id: 'plans.premium_customer_share',
      label: 'Customers on a premium plan',
      sample: 'of {n} organisations',
      at: 'asOf',
      unit: 'ratio',
      needs: [{ kinds: ['plans', 'organisations'] }, { kinds: ['plans'] }],
      description:
        'Share of customers (organisations) on a plan above the base tier. Not computed while a plan above the base tier was found only by its name (it may be a sales tier).',
    },
    {
      id: 'offerings.revised_12m.count',
      label: 'Plans and SLA policies revised in 12 months',
      sample: 'of {n} plans and policies',
      at: 'asOf',
      unit: 'count',
      needs: [{ kinds: ['plans'] }, { kinds: ['slaPolicies'] }],
      description:
        'Plans and SLA policies created or revised in the 12 months before the as-of date.',
    },
  ],
  async compute(ctx) {
    const out = [];
    if (ctx.covered.has('plans')) {
      const [row] = await ctx.db.query<Record<string, number>>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE guessed)::int AS guessed,
                count(*) FILTER (WHERE documented)::int AS documented,
                count(documented)::int AS documented_known,
                count(*) FILTER (WHERE ${PROACTIVE})::int AS proactive,
                count(*) FILTER (WHERE guessed AND ${PROACTIVE})::int AS proactive_guessed,
                count(*) FILTER (WHERE guessed AND tier > (SELECT min(tier) FROM plans q WHERE q.account_id = $1))::int AS guessed_premium,
                COALESCE(min(tier), 1)::int AS base_tier,
                COALESCE(sum(customer_count) FILTER (WHERE tier > COALESCE((SELECT min(tier) FROM plans q WHERE q.account_id = $1), 1)), 0)::int AS premium_customers,
                COALESCE(sum(customer_count), 0)::int AS customers,
                count(customer_count)::int AS with_counts
         FROM plans p WHERE account_id = $1`,
        [ctx.accountId],
      );
      out.push(
        // Plans guessed from names may count: undetermined, for a reviewer to settle.
        ...withUndetermined(
          value(ctx, 'plans.count', num(row?.n) - num(row?.guessed), 'count', num(row?.n), [
            'plans',
            ...(num(row?.guessed)
              ? [
                  'plans found only by their names (a field or tags named like plans, or a tier field no SLA policy confirms): a reviewer says whether they are support plans',
                ]
              : []),
          ]),
          num(row?.guessed),
        ),
        // Unknown, not zero, when no plan says whether it is published.
        // Plans that do not say whether they are published are undetermined, not unpublished.
        ...withUndetermined(
          value(ctx, 'plans.documented.count', num(row?.documented), 'count', num(row?.n), [
            'plans',
          ]),
          num(row?.n) - num(row?.documented_known),
        ),
        // A plan found only by its name with CSMs on its customers may be a sales tier with
        // account managers: undetermined.
        ...withUndetermined(
          value(
            ctx,
            'plans.proactive_services.count',
            num(row?.proactive) - num(row?.proactive_guessed),
            'count',
            num(row?.n),
            ['plans.services', 'organisations.has_csm per plan'],
          ),
          num(row?.proactive_guessed),
        ),
      );
      // Tiers above the base found only by their names may be sales tiers: who is on a premium
      // support plan is then unknown, not a share of them.
      const premiumGuessed = num(row?.guessed_premium) > 0;
      if (premiumGuessed)
        ctx.withhold?.(
          'plans.premium_customer_share',
          'plans above the base tier were found only by their names and may be sales tiers; naming the plan field or tags, or a reviewer, settles which customers are on a premium support plan',
        );
      if (!premiumGuessed && ctx.covered.has('organisations')) {
        const [orgs] = await ctx.db.query<{ premium: number; n: number }>(
          `SELECT count(*) FILTER (WHERE p.tier > (SELECT min(tier) FROM plans q WHERE q.account_id = $1))::int AS premium,
                  count(*)::int AS n
           FROM organisations o JOIN plans p ON p.account_id = o.account_id AND p.source_id = o.plan_id
           WHERE o.account_id = $1 AND p.tier IS NOT NULL`,
          [ctx.accountId],
        );
        out.push(
          ...proportion(ctx, 'plans.premium_customer_share', num(orgs?.premium), num(orgs?.n), [
            'organisations',
            'plans',
          ]),
        );
      }
      if (
        !premiumGuessed &&
        !out.some((m) => m.id === 'plans.premium_customer_share') &&
        num(row?.with_counts) > 0
      ) {
        out.push(
          ...proportion(
            ctx,
            'plans.premium_customer_share',
            num(row?.premium_customers),
            num(row?.customers),
            ['plans.customer_count'],
          ),
        );
      }
    }
    if (ctx.covered.has('plans') || ctx.covered.has('slaPolicies')) {
      const since = new Date(ctx.window.to.getTime() - YEAR_MS).toISOString();
      const [row] = await ctx.db.query<{ n: number; total: number }>(
        `SELECT count(*) FILTER (WHERE COALESCE(updated_at, created_at) > $2::timestamptz
                  AND COALESCE(updated_at, created_at) <= $3::timestamptz)::int AS n,
                count(*) FILTER (WHERE COALESCE(updated_at, created_at) <= $3::timestamptz)::int AS total
         FROM (SELECT updated_at, created_at FROM plans WHERE account_id = $1
               UNION ALL SELECT updated_at, created_at FROM sla_policies WHERE account_id = $1) x`,
        [ctx.accountId, since, ctx.window.to.toISOString()],
      );
      if (num(row?.total) > 0) {
        out.push(
          ...value(ctx, 'offerings.revised_12m.count', num(row?.n), 'count', num(row?.total), [
            'plans',
            'sla_policies',
          ]),
        );
      }
    }
    return out;
  },
};
