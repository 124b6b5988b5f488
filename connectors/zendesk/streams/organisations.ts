import { z } from 'zod';
import { Organisation, Plan, SlaPolicy } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { PageRef, ZendeskApi } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import {
  ZendeskOrganization,
  ZendeskOrganizationField,
  ZendeskSlaPolicy,
  type ZendeskOrganizationField as Field,
} from '../schemas.js';
import { buildPlans, csmFieldKey, findPlanSource, planOf, type PlanSource } from './plans.js';
import { toSlaPolicy } from './sla-policies.js';

export const OrganisationCursor = z.object({
  next: PageRef.optional(),
  /** Customers per plan value so far (kept in the checkpoint so a resumed sync counts right). */
  counts: z.record(z.string(), z.number().int().min(0)),
});
export type OrganisationCursor = z.infer<typeof OrganisationCursor>;

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

async function allPages<T>(
  api: ZendeskApi,
  path: string,
  key: string,
  schema: z.ZodType<T>,
): Promise<T[]> {
  const out: T[] = [];
  let next: PageRef | undefined;
  do {
    const page = await api.listPage(path, key, schema, next);
    out.push(...page.items);
    next = page.next;
  } while (next);
  return out;
}

/**
 * Organisations and the plans derived from them (see plans.ts and the README). Organisation
 * fields and SLA policies are read first (small lists) to find where the plan lives.
 */
export const organisations = defineStream<ZendeskConfig, OrganisationCursor>({
  name: 'organisations',
  kinds: ['organisations', 'plans'],
  cursor: OrganisationCursor,
  // Plans are derived from the organisations and written with the last page only, so a complete
  // pass rewrites every plan that still has customers and sweeps the others.
  fullRefresh: true,
  async sync(ctx) {
    const api = new ZendeskApi(ctx.client);
    // https://developer.zendesk.com/api-reference/ticketing/organizations/organization_fields/
    const fields: Field[] = await allPages(
      api,
      '/api/v2/organization_fields.json',
      'organization_fields',
      ZendeskOrganizationField,
    );
    // Without SLA policies (a plan or a user without them), plans are found by the fields alone.
    const policyPage = await api.listPage(
      '/api/v2/slas/policies.json',
      'sla_policies',
      ZendeskSlaPolicy,
      undefined,
      { unpaged: true, optional: true },
    );
    const policies = mapPage(
      policyPage,
      recordOrSkip((p) => toSlaPolicy(p)),
      {
        domain: SlaPolicy,
      },
    ).records;
    const source = findPlanSource(fields, policies, ctx.config);
    const csmField = csmFieldKey(fields);
    const state: OrganisationCursor = ctx.cursor ?? { counts: {} };
    for (;;) {
      // https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#list-organizations
      const page = await api.listPage(
        '/api/v2/organizations.json',
        'organizations',
        ZendeskOrganization,
        state.next,
      );
      const { records, quarantined: invalid } = mapPage(
        page,
        recordOrSkip((o) => toOrganisation(o, source, csmField)),
        { domain: Organisation },
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
      const guessed = plansGuessed(source, plans);
      await ctx.commit({
        records: { organisations: records, plans },
        quarantined: invalid,
        cursor: null,
        ...(guessed ? { warnings: [guessed] } : {}),
      });
      return;
    }
  },
});

/**
 * Plans found only by a name (a field named like a plan, or tags like "premium") may be sales
 * tiers rather than support plans: the sync says where they came from and how to correct it.
 */
export function plansGuessed(source: PlanSource, plans: Plan[]): string | undefined {
  // Plans an SLA policy names by their value are support plans, however they were found.
  if (!source.guessed || !plans.length || plans.every((p) => p.slaPolicyId)) return undefined;
  const where =
    source.kind === 'field'
      ? `the organisation field "${source.key}", named like a plan`
      : 'organisation tags with usual plan names';
  const names = plans.map((p) => p.name).join(', ');
  const these = plans.length === 1 ? 'it' : 'them';
  return `${plans.length} support ${plans.length === 1 ? 'plan' : 'plans'} (${names}) read from ${where}, not from SLA policies: undetermined until named; name the plan field or tags with maturity connect zendesk --update --plan-field or --plan-tags (the same ones to count ${these}, others if ${these === 'it' ? 'it is' : 'they are'} not support plans)`;
}
