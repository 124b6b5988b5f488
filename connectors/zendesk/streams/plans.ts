import type { Plan, SlaPolicy } from '../../../src/domain/records.js';
import type { ZendeskOrganization, ZendeskOrganizationField } from '../schemas.js';

/**
 * Plans are not a Zendesk object: accounts record a customer's plan either in an organisation
 * field (a dropdown "Support plan") or as organisation tags ("premium"), and key SLA policies on
 * it. This file finds where the plan lives and turns the organisations' values into plan records.
 * All functions are pure.
 */
export type PlanSource =
  | { kind: 'field'; key: string; labels: Record<string, string>; why: string; guessed?: true }
  | { kind: 'tags'; tags: string[] | 'vocabulary'; why: string; guessed?: true };

/** Usual plan names, ranked: the rank orders plans into tiers when no SLA says otherwise. */
const VOCABULARY: Record<string, number> = {
  free: 0,
  community: 0,
  starter: 1,
  basic: 1,
  bronze: 1,
  essential: 1,
  essentials: 1,
  standard: 2,
  silver: 2,
  business: 3,
  professional: 3,
  pro: 3,
  premium: 3,
  gold: 3,
  plus: 3,
  advanced: 3,
  enterprise: 4,
  platinum: 4,
  elite: 5,
  vip: 5,
  diamond: 5,
};
const WORD = new RegExp(
  `^(?:(?:plan|tier|support|sla)[_-])?(${Object.keys(VOCABULARY).join('|')})(?:[_-](?:plan|tier|support|sla|customer))?$`,
  'i',
);
const PLAN_FIELD =
  /plan|tier|support[_ -]?level|service[_ -]?level|\bsla\b|package|subscription|entitlement/i;
const CSM_FIELD =
  /\bcsm\b|customer[_ -]?success|success[_ -]?manager|account[_ -]?manager|\btam\b/i;
const TAG_FIELDS = new Set(['current_tags', 'organization_tags', 'organization.tags', 'tags']);

/** The organisation-field key an SLA condition tests, if any (`organization.custom_fields.plan`…). */
function conditionFieldKey(field: string): string | undefined {
  const m = /^organization(?:\.custom_fields|_fields|\.organization_fields)?\.(.+)$/.exec(field);
  if (!m || m[1] === 'tags' || m[1] === 'id') return undefined;
  return m[1];
}

const conditionValues = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value])
    .flatMap((v) =>
      typeof v === 'string' ? v.split(/\s+/) : typeof v === 'number' ? [String(v)] : [],
    )
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);

/**
 * Where plans live, in order: the configured field, the configured tags, what the SLA policies
 * filter on (an organisation field or tags), an organisation field named like a plan, and
 * otherwise tags from the usual vocabulary (basic, standard, premium, enterprise, gold…).
 */
export function findPlanSource(
  fields: ZendeskOrganizationField[],
  policies: SlaPolicy[],
  o: { planField?: string; planTags?: string[] } = {},
): PlanSource {
  const labelsOf = (key: string) =>
    Object.fromEntries(
      (fields.find((f) => f.key === key)?.custom_field_options ?? []).map((x) => [
        x.value.toLowerCase(),
        x.name,
      ]),
    );
  if (o.planField)
    return {
      kind: 'field',
      key: o.planField,
      labels: labelsOf(o.planField),
      why: 'configured field',
    };
  if (o.planTags?.length)
    return { kind: 'tags', tags: o.planTags.map((t) => t.toLowerCase()), why: 'configured tags' };
  const customer = policies.filter((p) => p.kind === 'sla');
  for (const p of customer) {
    for (const c of p.conditions) {
      const key = typeof c.field === 'string' ? conditionFieldKey(c.field) : undefined;
      if (key)
        return {
          kind: 'field',
          key,
          labels: labelsOf(key),
          why: `SLA policy "${p.name}" filters on it`,
        };
    }
  }
  const tagValues = customer.flatMap((p) =>
    p.conditions
      .filter((c) => typeof c.field === 'string' && TAG_FIELDS.has(c.field))
      .flatMap((c) => conditionValues(c.value)),
  );
  if (tagValues.length)
    return {
      kind: 'tags',
      tags: [...new Set(tagValues)],
      why: 'SLA policies filter on these tags',
    };
  const named = fields.find(
    (f) => f.active !== false && PLAN_FIELD.test(`${f.key} ${f.title ?? ''}`),
  );
  // The last two only guess from names: `guessed` lets the sync say so.
  if (named)
    return {
      kind: 'field',
      key: named.key,
      labels: labelsOf(named.key),
      why: 'field named like a plan',
      guessed: true,
    };
  return {
    kind: 'tags',
    tags: 'vocabulary',
    why: 'usual plan names in organisation tags',
    guessed: true,
  };
}

/** The plan value (lower case) of one organisation, or undefined. */
export function planOf(org: ZendeskOrganization, source: PlanSource): string | undefined {
  if (source.kind === 'field') {
    const v = org.organization_fields?.[source.key];
    if (typeof v === 'string' && v.trim()) return v.trim().toLowerCase();
    if (typeof v === 'number') return String(v);
    return undefined;
  }
  const tags = (org.tags ?? []).map((t) => t.toLowerCase());
  const hits =
    source.tags === 'vocabulary'
      ? tags.filter((t) => WORD.test(t))
      : tags.filter((t) => (source.tags as string[]).includes(t));
  // The highest-ranked plan tag wins when an organisation carries several.
  return hits.sort((a, b) => rankOf(b) - rankOf(a))[0];
}

/** The organisation field that names a customer-success manager, if the account has one. */
export function csmFieldKey(fields: ZendeskOrganizationField[]): string | undefined {
  return fields.find((f) => f.active !== false && CSM_FIELD.test(`${f.key} ${f.title ?? ''}`))?.key;
}

function rankOf(value: string): number {
  const m = WORD.exec(value);
  return m ? (VOCABULARY[m[1]!.toLowerCase()] ?? 0) : -1;
}

const titleCase = (v: string) => {
  const s = v.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
};

/** A custom ticket field in an SLA condition (`custom_fields_<id>`, as Zendesk writes it). */
const CUSTOM_TICKET_FIELD = /^(?:ticket\.)?custom_fields[._]\w+$|^ticket_fields_\d+$/;

/**
 * The SLA policy whose conditions name this plan value. For a plan source guessed from a name,
 * only a condition on that organisation field, on tags (a dropdown's values are tags too) or on a
 * custom ticket field counts: "support level is high" is not "priority is high".
 */
function policyFor(
  value: string,
  policies: SlaPolicy[],
  source: PlanSource,
): SlaPolicy | undefined {
  const confirms = (field: unknown) => {
    if (!source.guessed) return true;
    if (typeof field !== 'string') return false;
    if (TAG_FIELDS.has(field)) return true;
    if (source.kind === 'tags') return false;
    return conditionFieldKey(field) === source.key || CUSTOM_TICKET_FIELD.test(field);
  };
  return policies.find(
    (p) =>
      p.kind === 'sla' &&
      p.conditions.some((c) => confirms(c.field) && conditionValues(c.value).includes(value)),
  );
}

const urgentTarget = (p: SlaPolicy | undefined) =>
  Math.min(
    ...(p?.targets ?? [])
      .filter((t) => t.priority === 'urgent' && t.metric === 'first_reply_time')
      .map((t) => t.targetMinutes),
  );

/**
 * Plan records from the customer count per plan value. Tiers rank the plans 1..n: by the usual
 * vocabulary, then by the tightest urgent first-reply target of the plan's SLA (tighter = higher).
 */
export function buildPlans(
  counts: Record<string, number>,
  source: PlanSource,
  policies: SlaPolicy[],
): Plan[] {
  const values = Object.keys(counts);
  const order = values
    .map((v) => ({ v, policy: policyFor(v, policies, source) }))
    .sort(
      (a, b) =>
        rankOf(a.v) - rankOf(b.v) ||
        urgentTarget(b.policy) - urgentTarget(a.policy) ||
        a.v.localeCompare(b.v),
    );
  return order.map(({ v, policy }, i) => ({
    sourceId: `plan:${v}`.slice(0, 200),
    name: (source.kind === 'field' ? source.labels[v] : undefined) ?? titleCase(v),
    tier: Math.min(i + 1, 20),
    ...(policy ? { slaPolicyId: policy.sourceId } : {}),
    customerCount: counts[v] ?? 0,
    services: [],
    // Found by a name only, and no SLA policy names it: it may be a sales tier.
    ...(source.guessed && !policy ? { guessed: true } : {}),
    ...(policy?.createdAt ? { createdAt: policy.createdAt } : {}),
    ...(policy?.updatedAt ? { updatedAt: policy.updatedAt } : {}),
  }));
}
