import type { TicketFieldFamily } from '../domain/fields.js';
import { onboardingTags } from './patterns.js';
import {
  apiOpenedSql,
  botSql,
  delivers,
  inWindow,
  num,
  proactiveSql,
  proportion,
  windowParams,
  withUndetermined,
} from './helpers.js';
import type { MetricContext, MetricDefinition } from './types.js';

interface Share {
  id: string;
  label: string;
  sample: string;
  description: string;
  /** Any one of these families delivered makes the share computable; none leaves it absent. */
  families: TicketFieldFamily[];
  hit: (ctx: MetricContext) => string;
  /** The ticket counts in the denominator (its field is known and it belongs to the ratio). */
  known: (ctx: MetricContext) => string;
  /** A ticket of the denominator that may be a hit or not: the data cannot say (undetermined). */
  maybe?: (ctx: MetricContext) => string;
}

/**
 * Shares of the window's tickets, all in one pass over the tickets table. Each share is absent
 * when the source never delivered the fields it rests on; its denominator is the tickets for which
 * the field is known and that belong to the question (see customerRequestSql in helpers.ts).
 */
const shares: Share[] = [
  {
    id: 'tickets.reopen_rate',
    label: 'Requests reopened',
    sample: 'of {n} customer requests',
    description: 'Share of customer requests reopened at least once.',
    families: ['reopens'],
    hit: () => 't.reopen_count > 0',
    known: () => 't.reopen_count IS NOT NULL AND t.customer',
  },
  {
    id: 'tickets.reassignment_rate',
    label: 'Requests reassigned',
    sample: 'of {n} customer requests',
    description:
      'Share of customer requests reassigned at least once (passed between groups or agents).',
    families: ['reassignments'],
    hit: () => 't.reassignment_count > 0',
    known: () => 't.reassignment_count IS NOT NULL AND t.customer',
  },
  {
    id: 'kb.linked_ticket_share',
    label: 'Requests linked to a knowledge article',
    sample: 'of {n} customer requests',
    description: 'Share of customer requests linked to a knowledge article.',
    families: ['knowledge'],
    hit: () => 't.knowledge_linked',
    known: () => 't.knowledge_linked IS NOT NULL AND t.customer',
  },
  {
    id: 'sla.coverage',
    label: 'Requests carrying an SLA',
    sample: 'of {n} customer requests',
    description:
      'Share of customer requests that carry an SLA (a policy applied, a target, or a made-SLA flag).',
    families: ['sla'],
    hit: () => 't.sla_hit',
    known: () => 't.customer',
  },
  {
    id: 'tickets.problem_linked_share',
    label: 'Requests linked to a problem or engineering issue',
    sample: 'of {n} customer requests',
    description: 'Share of customer requests linked to a problem, change or engineering issue.',
    families: ['problem'],
    hit: () => 't.problem_linked',
    known: () => 't.problem_linked IS NOT NULL AND t.customer',
  },
  {
    id: 'tickets.proactive_share',
    label: 'Tickets opened proactively',
    sample: 'of {n} tickets',
    description:
      "Share of tickets opened by monitoring, alerts or outbound work rather than by a customer. Tickets opened through the API with no proactive tag are undetermined: an integration may raise alerts or pass on customers' requests.",
    families: ['channel', 'tags'],
    hit: () => 't.proactive',
    known: (ctx) => (delivers(ctx, 'tags') ? 'true' : 't.channel IS NOT NULL'),
    maybe: () => 't.api',
  },
  {
    id: 'tickets.bot_resolved_share',
    label: 'Requests handled by a bot',
    sample: 'of {n} customer requests',
    description:
      'Share of the tickets customers opened that a bot or AI agent handled or resolved.',
    families: ['channel', 'tags'],
    hit: () => 't.bot',
    known: (ctx) =>
      `${delivers(ctx, 'tags') ? 'true' : 't.channel IS NOT NULL'} AND NOT t.proactive AND NOT t.api`,
  },
  {
    id: 'tickets.onboarding_share',
    label: 'Onboarding tickets',
    sample: 'of {n} tickets',
    description:
      'Share of tickets about onboarding or implementation (customer requests and onboarding outreach).',
    families: ['tags'],
    hit: () => 't.onboarding',
    // Outbound work that is not onboarding is left out, so alerts never dilute the share; so are
    // tickets of undetermined origin.
    known: () => '(NOT (t.proactive OR t.api) OR t.onboarding)',
  },
  {
    id: 'tickets.fcr_rate',
    label: 'First-contact resolution',
    sample: 'of {n} solved requests',
    description:
      'First-contact resolution: solved customer requests closed with exactly one agent reply and never reopened (one-touch; a ticket closed without any reply was not resolved by contact).',
    families: ['replies'],
    hit: () => 't.agent_replies = 1 AND COALESCE(t.reopen_count, 0) = 0',
    known: () => `t.agent_replies IS NOT NULL AND t.status IN ('solved','closed') AND t.customer`,
  },
];

export const ticketShares: MetricDefinition = {
  name: 'ticket-shares',
  needs: { kinds: ['tickets'] },
  metrics: shares.map((s) => ({
    id: s.id,
    unit: 'ratio' as const,
    label: s.label,
    sample: s.sample,
    description: s.description,
    needs:
      s.id === 'sla.coverage'
        ? [{ kinds: ['tickets'], families: s.families }, { kinds: ['tickets', 'slaOutcomes'] }]
        : { kinds: ['tickets'], families: s.families },
  })),
  async compute(ctx) {
    const live = shares.filter((s) => s.families.some((f) => delivers(ctx, f)));
    // SLA outcomes vouch for SLA on tickets even where the tickets carry no SLA field.
    const sla = shares.find((s) => s.id === 'sla.coverage')!;
    if (!live.includes(sla) && ctx.covered.has('tickets') && ctx.covered.has('slaOutcomes'))
      live.push(sla);
    if (!live.length) return [];
    const cols = live
      .map((s, i) => {
        const known = s.known(ctx);
        const maybe = s.maybe
          ? `, count(*) FILTER (WHERE ${known} AND NOT ${s.hit(ctx)} AND ${s.maybe(ctx)})::int AS u${i}`
          : '';
        return `count(*) FILTER (WHERE ${known} AND ${s.hit(ctx)})::int AS h${i}, count(*) FILTER (WHERE ${known})::int AS n${i}${maybe}`;
      })
      .join(',\n');
    // Each ticket's flags are worked out once, and the SLA outcome lookup runs only for tickets
    // that carry no SLA field of their own.
    const outcome = ctx.covered.has('slaOutcomes')
      ? 'EXISTS (SELECT 1 FROM sla_outcomes o WHERE o.account_id = x.account_id AND o.ticket_id = x.source_id)'
      : 'false';
    const [row] = await ctx.db.query<Record<string, number>>(
      `SELECT ${cols} FROM (
         SELECT x.*, ${proactiveSql(ctx, 'x')} AS proactive, ${apiOpenedSql(ctx, 'x')} AS api,
                ${botSql(ctx, 'x')} AS bot,
                ${delivers(ctx, 'tags') ? `EXISTS (SELECT 1 FROM unnest(x.tags) g WHERE g ~* '${onboardingTags}')` : 'false'} AS onboarding,
                (x.sla_policy_id IS NOT NULL OR x.made_sla IS NOT NULL OR ${outcome}) AS sla_hit
         FROM tickets x
         WHERE x.account_id = $1 AND ${inWindow('x.created_at')}
         OFFSET 0 -- keeps the planner from inlining the flags into every FILTER that uses them
       ) t0, LATERAL (SELECT t0.*, NOT t0.proactive AND NOT t0.api AND NOT t0.bot AS customer) t`,
      windowParams(ctx),
    );
    return live.flatMap((s, i) =>
      withUndetermined(
        proportion(ctx, s.id, num(row?.[`h${i}`]), num(row?.[`n${i}`]), ['tickets']),
        num(row?.[`u${i}`]),
      ),
    );
  },
};
