import { num, value } from './helpers.js';
import { groupPatterns } from './patterns.js';
import type { MetricDefinition } from './types.js';

const kinds = {
  tiered: 'Groups named as support tiers (L1/L2, Tier 1, 2nd line…).',
  ops: 'Support-operations or workforce-management groups.',
  escalation: 'Dedicated escalation teams.',
  success: 'Customer-success, onboarding, implementation or training groups in the same tool.',
  partner: 'Partner, vendor or outsourced teams (flagged, or named so).',
  specialist: 'Special-role groups: knowledge, readiness, self-service, content.',
} as const;

export const groups: MetricDefinition = {
  name: 'groups',
  metrics: [
    { id: 'groups.count', unit: 'count', description: 'Agent groups (teams) defined.' },
    ...Object.entries(kinds).map(([k, description]) => ({
      id: `groups.${k}.count`,
      unit: 'count' as const,
      description,
    })),
  ],
  async compute(ctx) {
    if (!ctx.covered.has('groups')) return [];
    const cols = Object.keys(kinds)
      .map((k) => {
        const flag = k === 'partner' ? 'partner OR ' : '';
        return `count(*) FILTER (WHERE ${flag}name ~* '${groupPatterns[k as keyof typeof kinds]}')::int AS "${k}"`;
      })
      .join(', ');
    const [row] = await ctx.db.query<Record<string, number>>(
      `SELECT count(*)::int AS n, ${cols} FROM groups WHERE account_id = $1`,
      [ctx.accountId],
    );
    const n = num(row?.n);
    return [
      ...value(ctx, 'groups.count', n, 'count', n, ['groups']),
      ...Object.keys(kinds).flatMap((k) =>
        value(ctx, `groups.${k}.count`, num(row?.[k]), 'count', n, ['groups']),
      ),
    ];
  },
};
