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
import type { MetricContext, MetricDefinition, MetricInfo } from './types.js';

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
  const out: Metric[] = [];
  for (const def of metricDefinitions) {
    for (const m of await def.compute(ctx)) {
      if (!metricCatalogue.has(m.id))
        throw new Error(`metric ${m.id} from ${def.name} is not declared`);
      out.push(m);
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export type { MetricContext, MetricDefinition, MetricInfo, MetricWindow } from './types.js';
