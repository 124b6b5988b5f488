import type { Plan, SlaPolicy } from '../../../src/domain/records.js';
import type { FreshdeskCompany } from '../schemas.js';

/**
 * Plans are not a Freshdesk object. Companies carry their tier in the default field
 * `account_tier` (Basic, Premium, Enterprise…) or in a custom field (`--plan-field`), and SLA
 * policies apply to companies by id (`applicable_to.company_ids`). Each distinct value is a plan,
 * linked to the policy that applies to most of its companies. Pure functions.
 */

/** Usual names, lowest first: they rank plans when no SLA tells them apart. */
const RANKS: [RegExp, number][] = [
  [/free|community|trial/i, 0],
  [/basic|starter|bronze|essential/i, 1],
  [/standard|silver/i, 2],
  [/premium|pro|gold|business|plus|advanced/i, 3],
  [/enterprise|platinum/i, 4],
  [/elite|vip|diamond|strategic/i, 5],
];
const CSM_FIELD = /\bcsm\b|customer[_ ]?success|success[_ ]?manager|account[_ ]?manager|\btam\b/i;

/** The plan value of a company (as given, trimmed), from `planField` or account_tier. */
export function planOf(c: FreshdeskCompany, planField: string | undefined): string | undefined {
  const v =
    planField && planField !== 'account_tier' ? c.custom_fields?.[planField] : c.account_tier;
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The custom field naming a customer-success manager, when the companies have one. */
export const csmField = (c: FreshdeskCompany): string | undefined =>
  Object.keys(c.custom_fields ?? {}).find((k) => CSM_FIELD.test(k));

const rank = (value: string) => RANKS.find(([re]) => re.test(value))?.[1] ?? -1;

const urgentFirstReply = (p: SlaPolicy | undefined) =>
  Math.min(
    ...(p?.targets ?? [])
      .filter((t) => t.priority === 'urgent' && t.metric === 'first_reply_time')
      .map((t) => t.targetMinutes),
  );

/**
 * Plan records from the companies counted per value and, per value, how many of its companies
 * each SLA policy names. Tiers rank the plans 1..n by the usual names, then by the tighter urgent
 * first-response target of their policy. With `fromDefaultField` (no `--plan-field`: the values
 * are Freshdesk's own account tiers, which may be sales tiers), the plans are `guessed` unless an
 * SLA policy of its own applies to the companies of at least one tier: that shows the field holds
 * support plans (the base tier is usually left to the default policy).
 */
export function buildPlans(
  counts: Record<string, number>,
  votes: Record<string, Record<string, number>>,
  policies: SlaPolicy[],
  fromDefaultField = false,
): Plan[] {
  const policyOf = (value: string) => {
    const best = Object.entries(votes[value] ?? {}).sort((a, b) => b[1] - a[1])[0]?.[0];
    return policies.find((p) => p.sourceId === best);
  };
  const ranked = Object.keys(counts).map((v) => ({ v, policy: policyOf(v) }));
  const guessed = fromDefaultField && !ranked.some((r) => r.policy);
  return ranked
    .sort(
      (a, b) =>
        rank(a.v) - rank(b.v) ||
        urgentFirstReply(b.policy) - urgentFirstReply(a.policy) ||
        a.v.localeCompare(b.v),
    )
    .map(({ v, policy }, i) => ({
      sourceId: `plan:${v}`.slice(0, 200),
      name: v,
      tier: Math.min(i + 1, 20),
      ...(policy ? { slaPolicyId: policy.sourceId } : {}),
      customerCount: counts[v] ?? 0,
      services: [],
      ...(guessed ? { guessed: true } : {}),
    }));
}
