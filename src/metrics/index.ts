import type { Metric } from '../domain/evidence.js';
import { agents } from './agents.js';
import { automations } from './automations.js';
import { channels } from './channels.js';
import { csat } from './csat.js';
import { groups } from './groups.js';
import { hourCoverage } from './hour-coverage.js';
import { kb } from './kb.js';
import { organisations } from './organisations.js';
import { partner } from './partner.js';
import { plans } from './plans.js';
import { slaAttainment } from './sla-attainment.js';
import { slaPolicies } from './sla-policies.js';
import { staffingStability } from './staffing-stability.js';
import { ticketMedians } from './ticket-medians.js';
import { ticketShares } from './ticket-shares.js';
import { ticketsCount } from './tickets-count.js';
import { classifyGroup, type ClassifiedGroup, type GroupRolesMapping } from './group-roles.js';
import type { RecordKind } from '../domain/records.js';
import { delivers, deliversOf } from './helpers.js';
import { kindFieldFamilies } from '../domain/fields.js';
import type { MetricContext, MetricDefinition, MetricInfo, Needs } from './types.js';

/** The registry: adding a metric is one file plus one line here. */
export const metricDefinitions: MetricDefinition[] = [
  ticketsCount,
  ticketShares,
  ticketMedians,
  slaAttainment,
  slaPolicies,
  plans,
  agents,
  groups,
  kb,
  automations,
  csat,
  channels,
  staffingStability,
  hourCoverage,
  partner,
  organisations,
];

export const metricCatalogue: Map<string, MetricInfo> = new Map(
  metricDefinitions.flatMap((d) => d.metrics.map((m) => [m.id, m] as const)),
);

/** Runs every definition in the database; metrics with no data are simply absent. */
export async function computeMetrics(ctx: MetricContext): Promise<Metric[]> {
  return (await computeEvidence(ctx)).metrics;
}

/**
 * The metrics, and the groups as read (names, flags and the account's group-roles mapping), which
 * the group and partner metrics share and the report lists.
 */
export async function computeEvidence(
  ctx: MetricContext,
  o: { groupRoles?: GroupRolesMapping } = {},
): Promise<{ metrics: Metric[]; groups?: ClassifiedGroup[]; absent: Record<string, string> }> {
  if (!ctx.groups && ctx.covered.has('groups')) {
    const rows = await ctx.db.query<{ id: string; name: string; partner: boolean | null }>(
      'SELECT source_id AS id, name, partner FROM groups WHERE account_id = $1 ORDER BY source_id',
      [ctx.accountId],
    );
    ctx = { ...ctx, groups: rows.map((g) => classifyGroup(g, o.groupRoles)) };
  }
  const withheld = new Map<string, string>();
  const withCtx: MetricContext = { ...ctx, withhold: (id, reason) => withheld.set(id, reason) };
  // The definitions are independent read queries: PostgreSQL runs them side by side on its pool
  // (PGlite, single-threaded, takes them one after the other all the same).
  const results = await Promise.all(metricDefinitions.map((def) => def.compute(withCtx)));
  const out: Metric[] = [];
  results.forEach((ms, i) => {
    for (const m of ms) {
      if (!metricCatalogue.has(m.id))
        throw new Error(`metric ${m.id} from ${metricDefinitions[i]!.name} is not declared`);
      out.push(m);
    }
  });
  const produced = new Set(out.map((m) => m.id));
  const absent: Record<string, string> = {};
  for (const def of metricDefinitions)
    for (const m of def.metrics)
      if (!produced.has(m.id))
        absent[m.id] = withheld.get(m.id) ?? whyAbsent(m.needs ?? def.needs, ctx);
  return {
    metrics: out.sort((a, b) => a.id.localeCompare(b.id)),
    ...(ctx.groups ? { groups: ctx.groups } : {}),
    absent,
  };
}

const KIND_NAMES: Record<RecordKind, string> = {
  tickets: 'tickets',
  slaPolicies: 'SLA policies',
  slaOutcomes: 'SLA outcomes',
  plans: 'plans',
  organisations: 'organisations',
  agents: 'agents',
  groups: 'groups',
  automations: 'automations',
  kbArticles: 'knowledge articles',
  satisfactionRatings: 'satisfaction ratings',
};

/** Why a metric is absent, in words: what the source never delivered, or too little data. */
export function whyAbsent(needs: Needs | Needs[], ctx: MetricContext): string {
  const options = Array.isArray(needs) ? needs : [needs];
  const missing = options.map((n) => {
    const kinds = (n.kinds ?? []).filter((k) => !ctx.covered.has(k));
    if (kinds.length)
      return `no ${kinds.map((k) => KIND_NAMES[k]).join(' or ')} were synced or imported`;
    if (n.families?.length && !n.families.some((f) => delivers(ctx, f)))
      return `the source never delivers the tickets' ${n.families.join(' or ')} field`;
    for (const [kind, families] of Object.entries(n.kindFamilies ?? {}) as [
      keyof typeof kindFieldFamilies,
      string[],
    ][])
      for (const f of families)
        if (!deliversOf(ctx, kind, f))
          return (kindFieldFamilies[kind] as Record<string, string>)[f]!;
    return undefined;
  });
  if (missing.some((m) => m === undefined))
    return 'the records delivered do not hold what it needs in this window';
  return missing.join('; nor: ');
}

export type { MetricContext, MetricDefinition, MetricInfo, MetricWindow } from './types.js';
export { GroupRolesMapping, type ClassifiedGroup } from './group-roles.js';
