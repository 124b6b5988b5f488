import { z } from 'zod';
import { Organisation, Plan, SlaPolicy } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { FreshdeskApi } from '../client.js';
import type { FreshdeskConfig } from '../config.js';
import { FreshdeskCompany, FreshdeskSlaPolicy } from '../schemas.js';
import { NextLink } from './paged-list.js';
import { buildPlans, csmField, planOf } from './plans.js';
import { toSlaPolicy } from './sla-policies.js';

const Counts = z.record(z.string(), z.number().int().min(0));
export const OrganisationCursor = z.object({
  next: NextLink.optional(),
  /** Companies per plan value so far, and per value how many each SLA policy names. */
  counts: Counts,
  votes: z.record(z.string(), Counts),
});
export type OrganisationCursor = z.infer<typeof OrganisationCursor>;

/** A company, with its plan (`plan:<value>`) and whether a customer-success manager is named. */
export function toOrganisation(c: FreshdeskCompany, planField: string | undefined): Organisation {
  const plan = planOf(c, planField);
  const csm = csmField(c);
  const manager = csm ? c.custom_fields?.[csm] : undefined;
  return {
    sourceId: c.id,
    ...(c.name ? { name: c.name } : {}),
    ...(plan ? { planId: `plan:${plan}`.slice(0, 200) } : {}),
    tags: [],
    ...(csm ? { hasCsm: manager !== null && manager !== undefined && manager !== '' } : {}),
    ...(c.created_at ? { createdAt: c.created_at } : {}),
  };
}

/**
 * Companies (https://developers.freshdesk.com/api/#list_all_companies) and the plans derived from
 * them (plans.ts). The SLA policies are read first to know which policy names which companies.
 */
export const organisations = defineStream<FreshdeskConfig, OrganisationCursor>({
  name: 'organisations',
  kinds: ['organisations', 'plans'],
  cursor: OrganisationCursor,
  // Plans are written with the last page only: a complete pass rewrites every plan that still has
  // customers and sweeps the others.
  fullRefresh: true,
  async sync(ctx) {
    const api = new FreshdeskApi(ctx.client);
    // An API key that may not read the SLA policies: the companies are read all the same.
    const raw = (await api.all('/api/v2/sla_policies', FreshdeskSlaPolicy, { optional: true }))
      .items;
    const policies = mapPage({ items: raw }, recordOrSkip(toSlaPolicy), {
      domain: SlaPolicy,
    }).records;
    const active = new Set(policies.map((p) => p.sourceId));
    const policiesOf = new Map<string, string[]>();
    for (const p of raw.filter((p) => active.has(p.id)))
      for (const id of p.applicable_to?.company_ids ?? [])
        policiesOf.set(id, [...(policiesOf.get(id) ?? []), p.id]);
    const state: OrganisationCursor = ctx.cursor ?? { counts: {}, votes: {} };
    for (;;) {
      const page = await api.list(state.next ?? '/api/v2/companies', FreshdeskCompany);
      const { records, quarantined } = mapPage(
        page,
        recordOrSkip((c) => toOrganisation(c, ctx.config.planField)),
        { domain: Organisation },
      );
      for (const o of records) {
        if (!o.planId) continue;
        const v = o.planId.slice('plan:'.length);
        state.counts[v] = (state.counts[v] ?? 0) + 1;
        const votes = (state.votes[v] ??= {});
        for (const p of policiesOf.get(o.sourceId) ?? []) votes[p] = (votes[p] ?? 0) + 1;
      }
      if (page.next) {
        state.next = page.next;
        await ctx.commit({ records: { organisations: records }, quarantined, cursor: state });
        continue;
      }
      // Without --plan-field the tiers are Freshdesk's default account_tier field.
      const plans = buildPlans(state.counts, state.votes, policies, !ctx.config.planField).filter(
        (p) => Plan.safeParse(p).success,
      );
      await ctx.commit({ records: { organisations: records, plans }, quarantined, cursor: null });
      return;
    }
  },
});
