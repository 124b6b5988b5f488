import {
  botChannels,
  botTags,
  onboardingTags,
  proactiveChannels,
  proactiveTags,
} from './patterns.js';
import { inWindow, num, proportion, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

/**
 * Shares of the window's tickets, all in one pass over the tickets table. Each share's
 * denominator is the tickets for which the tool reports the field (unknown fields do not dilute).
 */
const shares = [
  {
    id: 'tickets.reopen_rate',
    description: 'Share of tickets reopened at least once.',
    hit: 'reopen_count > 0',
    known: 'reopen_count IS NOT NULL',
  },
  {
    id: 'tickets.reassignment_rate',
    description: 'Share of tickets reassigned at least once (passed between groups or agents).',
    hit: 'reassignment_count > 0',
    known: 'reassignment_count IS NOT NULL',
  },
  {
    id: 'kb.linked_ticket_share',
    description: 'Share of tickets linked to a knowledge article.',
    hit: 'knowledge_linked',
    known: 'knowledge_linked IS NOT NULL',
  },
  {
    id: 'sla.coverage',
    description:
      'Share of tickets that carry an SLA (a policy applied, a target, or a made-SLA flag).',
    hit: `(sla_policy_id IS NOT NULL OR made_sla IS NOT NULL OR EXISTS (
             SELECT 1 FROM sla_outcomes o WHERE o.account_id = t.account_id AND o.ticket_id = t.source_id))`,
    known: 'true',
  },
  {
    id: 'tickets.problem_linked_share',
    description: 'Share of tickets linked to a problem, change or engineering issue.',
    hit: 'problem_linked',
    known: 'problem_linked IS NOT NULL',
  },
  {
    id: 'tickets.proactive_share',
    description:
      'Share of tickets opened by monitoring, the API or outbound work rather than by a customer.',
    hit: `(channel = ANY(ARRAY[${proactiveChannels.map((c) => `'${c}'`).join(',')}])
           OR EXISTS (SELECT 1 FROM unnest(tags) g WHERE g ~* '${proactiveTags}'))`,
    known: 'channel IS NOT NULL',
  },
  {
    id: 'tickets.bot_resolved_share',
    description: 'Share of tickets handled or resolved by a bot or AI agent.',
    hit: `(channel = ANY(ARRAY[${botChannels.map((c) => `'${c}'`).join(',')}])
           OR EXISTS (SELECT 1 FROM unnest(tags) g WHERE g ~* '${botTags}'))`,
    known: 'true',
  },
  {
    id: 'tickets.onboarding_share',
    description: 'Share of tickets about onboarding or implementation.',
    hit: `EXISTS (SELECT 1 FROM unnest(tags) g WHERE g ~* '${onboardingTags}')`,
    known: 'true',
  },
  {
    id: 'tickets.fcr_rate',
    description:
      'First-contact resolution: solved tickets closed with at most one agent reply and never reopened.',
    hit: 'agent_replies <= 1 AND COALESCE(reopen_count, 0) = 0',
    known: "agent_replies IS NOT NULL AND status IN ('solved','closed')",
  },
] as const;

export const ticketShares: MetricDefinition = {
  name: 'ticket-shares',
  metrics: shares.map((s) => ({ id: s.id, unit: 'ratio' as const, description: s.description })),
  async compute(ctx) {
    if (!ctx.covered.has('tickets')) return [];
    const cols = shares
      .map(
        (s, i) =>
          `count(*) FILTER (WHERE ${s.known} AND ${s.hit})::int AS h${i}, count(*) FILTER (WHERE ${s.known})::int AS n${i}`,
      )
      .join(',\n');
    const [row] = await ctx.db.query<Record<string, number>>(
      `SELECT ${cols} FROM tickets t WHERE account_id = $1 AND ${inWindow('created_at')}`,
      windowParams(ctx),
    );
    return shares.flatMap((s, i) =>
      proportion(ctx, s.id, num(row?.[`h${i}`]), num(row?.[`n${i}`]), ['tickets']),
    );
  },
};
