import type { GroupRole } from './group-roles.js';
import { delivers, inWindow, sourcesOf, value, windowParams, withUndetermined } from './helpers.js';
import type { MetricDefinition } from './types.js';

/** The role counts, each with its literal id (the catalogue test finds every id in this file). */
const kinds: {
  id: string;
  label: string;
  sample: string;
  at: 'asOf';
  roles: GroupRole[];
  description: string;
}[] = [
  {
    id: 'groups.tiered.count',
    label: 'Support-tier groups',
    sample: 'of {n} groups',
    at: 'asOf',
    roles: ['tier1', 'tier2', 'tier3', 'tier4'],
    description:
      'Groups that are support tiers (L1/L2, Tier 1, 2nd line, second level, service desk…).',
  },
  {
    id: 'groups.ops.count',
    label: 'Support-operations groups',
    sample: 'of {n} groups',
    at: 'asOf',
    roles: ['ops'],
    description: 'Support-operations or workforce-management groups.',
  },
  {
    id: 'groups.escalation.count',
    label: 'Escalation teams',
    sample: 'of {n} groups',
    at: 'asOf',
    roles: ['escalation'],
    description: 'Dedicated escalation teams.',
  },
  {
    id: 'groups.success.count',
    label: 'Customer-success or onboarding groups',
    sample: 'of {n} groups',
    at: 'asOf',
    roles: ['success'],
    description:
      'Customer-success, onboarding, implementation or training groups in the same tool.',
  },
  {
    id: 'groups.partner.count',
    label: 'Partner or vendor groups',
    sample: 'of {n} groups',
    at: 'asOf',
    roles: ['partner'],
    description: 'Partner, vendor or outsourced teams (flagged, mapped or named so).',
  },
  {
    id: 'groups.specialist.count',
    label: 'Knowledge or readiness groups',
    sample: 'of {n} groups',
    at: 'asOf',
    roles: ['specialist'],
    description: 'Special-role groups: knowledge, readiness, self-service, content.',
  },
  {
    id: 'groups.product_specialist.count',
    label: 'Product specialist groups',
    sample: 'of {n} groups',
    at: 'asOf',
    roles: ['product'],
    description:
      'Product or technology specialist teams (product, platform, network, database, billing, specialists…).',
  },
];

/**
 * Counts of groups by role, from the groups as read by group-roles.ts (the account's mapping
 * first, then flags and names). Groups whose anonymised names say nothing are `undetermined`:
 * the true count may be higher, so a threshold the readable groups miss stays unknown.
 */
export const groups: MetricDefinition = {
  name: 'groups',
  needs: { kinds: ['groups'] },
  metrics: [
    {
      id: 'groups.count',
      label: 'Agent groups',
      sample: 'of {n} groups',
      at: 'asOf',
      unit: 'count',
      description: 'Agent groups (teams) defined.',
    },
    ...kinds.map(({ roles: _roles, ...info }) => ({ ...info, unit: 'count' as const })),
    {
      id: 'groups.success_working.count',
      label: 'Customer-success or onboarding groups at work',
      sample: 'of {n} such groups',
      at: 'asOf',
      unit: 'count',
      needs: { kinds: ['groups', 'tickets'], families: ['group'] },
      description:
        "Customer-success, onboarding, implementation or training groups that hold at least one of the window's tickets: a group's name alone shows no work.",
    },
    {
      id: 'groups.tier_levels.count',
      label: 'Support tier levels',
      sample: 'across {n} groups',
      at: 'asOf',
      unit: 'count',
      description: 'Distinct support tier levels among the groups (L1 and L2 make two).',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('groups') || !ctx.groups) return [];
    const all = ctx.groups;
    const n = all.length;
    const opaque = all.filter((g) => g.by === 'opaque').length;
    const src = [sourcesOf(ctx, 'groups', 'groups'), 'group names, flags and group-roles mapping'];
    const out = value(ctx, 'groups.count', n, 'count', n, [sourcesOf(ctx, 'groups', 'groups')]);
    for (const { id, roles } of kinds) {
      const hits = all.filter((g) => g.roles.some((r) => (roles as string[]).includes(r))).length;
      const u = id === 'groups.partner.count' ? all.filter((g) => !g.partnerKnown).length : opaque;
      out.push(...withUndetermined(value(ctx, id, hits, 'count', n, src), u));
    }
    if (ctx.covered.has('tickets') && delivers(ctx, 'group')) {
      const success = all.filter((g) => g.roles.includes('success'));
      const held = await ctx.db.query<{ group_id: string }>(
        `SELECT DISTINCT group_id FROM tickets
          WHERE account_id = $1 AND ${inWindow('created_at')} AND group_id IS NOT NULL`,
        windowParams(ctx),
      );
      const working = new Set(held.map((r) => r.group_id));
      out.push(
        ...withUndetermined(
          value(
            ctx,
            'groups.success_working.count',
            success.filter((g) => working.has(g.id)).length,
            'count',
            success.length,
            [...src, 'tickets.group_id (groups holding tickets in the window)'],
          ),
          // An unreadable group holding tickets might be one.
          all.filter((g) => g.by === 'opaque' && working.has(g.id)).length,
        ),
      );
    }
    const levels = new Set(all.flatMap((g) => (g.tier ? [g.tier] : [])));
    out.push(
      ...withUndetermined(
        value(ctx, 'groups.tier_levels.count', levels.size, 'count', n, src),
        Math.min(opaque, 4 - levels.size),
      ),
    );
    return out;
  },
};
