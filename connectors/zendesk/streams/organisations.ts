import { Organisation, Plan, SlaPolicy } from '../../../src/domain/records.js';
import type { StreamDefinition } from '../../shared/define-connector.js';
import { parseItems, ZendeskApi, type PageRef } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { mapPage } from '../map-page.js';
import { buildPlans, csmFieldKey, findPlanSource, planOf, type PlanSource } from '../plans.js';
import {
  ZendeskOrganization,
  ZendeskOrganizationField,
  ZendeskSlaPolicy,
  type ZendeskOrganizationField as Field,
} from '../schemas.js';
import { toSlaPolicy } from './sla-policies.js';

export interface OrganisationCursor {
  next?: PageRef;
  /** Customers per plan value so far (kept in the checkpoint so a resumed sync counts right). */
  counts: Record<string, number>;
}

/** One organisation, with its plan (as `plan:<value>`) and whether a CSM is named on it. */
export function toOrganisation(
  o: ZendeskOrganization,
  source: PlanSource,
  csmField: string | undefined,
): Organisation {
  const plan = planOf(o, source);
  const csm = csmField ? o.organization_fields?.[csmField] : undefined;
  return {
    sourceId: o.id,
    ...(o.name ? { name: o.name } : {}),
    ...(plan ? { planId: `plan:${plan}`.slice(0, 200) } : {}),
    tags: o.tags ?? [],
    ...(csmField
      ? { hasCsm: csm !== null && csm !== undefined && csm !== '' && csm !== false }
      : {}),
    ...(o.created_at ? { createdAt: o.created_at } : {}),
  };
}

async function allPages(api: ZendeskApi, path: string, key: string): Promise<unknown[]> {
  const out: unknown[] = [];
  let next: PageRef | undefined;
  do {
    const page = await api.listPage(path, key, next);
    out.push(...page.items);
    next = page.next;
  } while (next);
  return out;
}

/**
 * Organisations and the plans derived from them (see plans.ts and the README). Organisation
 * fields and SLA policies are read first (small lists) to find where the plan lives.
 */
export const organisations: StreamDefinition<ZendeskConfig> = {
  name: 'organisations',
  kinds: ['organisations', 'plans'],
  // Plans are derived from the organisations and written with the last page only, so a complete
  // pass rewrites every plan that still has customers and sweeps the others.
  fullRefresh: true,
  async sync(ctx) {
    const api = new ZendeskApi(ctx.client);
    // https://developer.zendesk.com/api-reference/ticketing/organizations/organization_fields/
    const fields: Field[] = parseItems(
      ZendeskOrganizationField,
      await allPages(api, '/api/v2/organization_fields.json', 'organization_fields'),
    ).items;
    const policyPage = await api.listPage('/api/v2/slas/policies.json', 'sla_policies', undefined, {
      unpaged: true,
    });
    const policies = mapPage(
      policyPage.items,
      ZendeskSlaPolicy,
      (p) => toSlaPolicy(p),
      SlaPolicy,
    ).records;
    const source = findPlanSource(fields, policies, ctx.config);
    const csmField = csmFieldKey(fields);
    const state: OrganisationCursor = (ctx.cursor as OrganisationCursor | null) ?? { counts: {} };
    for (;;) {
      // https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#list-organizations
      const page = await api.listPage('/api/v2/organizations.json', 'organizations', state.next);
      const { records, invalid } = mapPage(
        page.items,
        ZendeskOrganization,
        (o) => toOrganisation(o, source, csmField),
        Organisation,
      );
      for (const r of records) {
        if (r.planId) state.counts[r.planId.slice(5)] = (state.counts[r.planId.slice(5)] ?? 0) + 1;
      }
      if (page.next) {
        state.next = page.next;
        await ctx.commit({
          records: { organisations: records },
          quarantined: invalid,
          cursor: state,
        });
        continue;
      }
      const plans = buildPlans(state.counts, source, policies).filter(
        (p) => Plan.safeParse(p).success,
      );
      // Finished: the next sync reads the organisations again from the start.
      await ctx.commit({
        records: { organisations: records, plans },
        quarantined: invalid,
        cursor: null,
      });
      return;
    }
  },
};
