import type { Decision } from '../domain/decisions.js';
import type { DecisionNote } from '../domain/evidence.js';
import type { Criterion, RuleSet } from './rules-schema.js';

/** How long an attestation (or dispute) lasts when its rule sets no `attestationValidDays`. */
export const DEFAULT_ATTESTATION_DAYS = 365;
const DAY = 86_400_000;

/** How many days a statement about this criterion may stay valid (the rule's, or the default). */
export const attestationValidDays = (c: Pick<Criterion, 'attestationValidDays'>): number =>
  c.attestationValidDays ?? DEFAULT_ATTESTATION_DAYS;

/** The decisions that count at one moment, by what they are about. */
export interface ActiveDecisions {
  /** The latest valid attest or dispute per `model/criterion`. */
  statements: Map<string, Decision>;
  /** `model/criterion` whose statements have all lapsed by then (the report says so). */
  lapsed: Set<string>;
  /** Exempt criteria, by `model/criterion`. */
  exemptCriteria: Map<string, Decision>;
  /** Exempt models, by model id. */
  exemptModels: Map<string, Decision>;
  /** Overrides, by `model/layer`. */
  overrides: Map<string, Decision>;
}

/**
 * Picks, from an account's trail, the decisions that count at `at`: not revoked, started
 * (`since`, else when recorded) and not yet expired — the latest recorded one per subject.
 *
 * An attestation or dispute without its own expiry lapses after the rule's validity
 * (`attestationValidDays`, default 365) from when it was recorded; an exemption or override
 * without one lasts until revoked. Decisions on criteria, layers or models the rules no longer
 * have are left out.
 */
export function activeDecisions(
  rules: RuleSet,
  trail: readonly Decision[],
  at: Date,
): ActiveDecisions {
  const criteria = criterionIndex(rules);
  const revoked = new Set(trail.filter((d) => d.kind === 'revoke').map((d) => d.revokes));
  const out: ActiveDecisions = {
    statements: new Map(),
    lapsed: new Set(),
    exemptCriteria: new Map(),
    exemptModels: new Map(),
    overrides: new Map(),
  };
  const t = at.getTime();
  const later = (a: Decision | undefined, b: Decision) =>
    !a || Date.parse(b.at) > Date.parse(a.at) || (b.at === a.at && b.id > a.id);
  const put = (m: Map<string, Decision>, key: string, d: Decision) => {
    if (later(m.get(key), d)) m.set(key, d);
  };
  for (const d of trail) {
    if (d.kind === 'revoke' || revoked.has(d.id) || !d.model) continue;
    const key = d.criterionId ? `${d.model}/${d.criterionId}` : d.model;
    const criterion = d.criterionId ? criteria.get(key) : undefined;
    if (d.criterionId && !criterion) continue;
    if (!rules.models.some((m) => m.id === d.model)) continue;
    const w = validity(d, criterion);
    if (w.from > t) continue;
    const valid = t < w.to;
    if (d.kind === 'attest' || d.kind === 'dispute') {
      if (valid) put(out.statements, key, d);
      else out.lapsed.add(key);
    } else if (d.kind === 'exempt' && valid) {
      put(d.criterionId ? out.exemptCriteria : out.exemptModels, key, d);
    } else if (d.kind === 'override' && valid && d.layer && d.level !== undefined) {
      put(out.overrides, `${d.model}/${d.layer}`, d);
    }
  }
  for (const key of out.statements.keys()) out.lapsed.delete(key);
  return out;
}

/** From when to when (ms) a decision counts. */
export function validity(
  d: Decision,
  criterion?: Pick<Criterion, 'attestationValidDays'>,
): { from: number; to: number } {
  const made = Date.parse(d.at);
  const from = d.kind === 'attest' && d.since ? Date.parse(d.since) : made;
  if (d.expiresAt) return { from, to: Date.parse(d.expiresAt) };
  if (d.kind === 'attest' || d.kind === 'dispute')
    return { from, to: made + attestationValidDays(criterion ?? {}) * DAY };
  return { from, to: Infinity };
}

/** The criteria of the rules by `model/criterion`. */
export function criterionIndex(rules: RuleSet): Map<string, Criterion & { layer: string }> {
  const out = new Map<string, Criterion & { layer: string }>();
  for (const m of rules.models)
    for (const l of m.layerRules)
      for (const lvl of l.levels)
        for (const c of lvl.criteria) out.set(`${m.id}/${c.id}`, { ...c, layer: l.layer });
  return out;
}

/** The reference a judged criterion or layer carries to the decision behind it. */
export function noteOf(d: Decision): DecisionNote {
  return {
    decision: d.id,
    by: d.actor,
    at: d.at,
    reason: d.reason,
    ...(d.token ? { token: d.token } : {}),
    ...(d.expiresAt ? { expiresAt: d.expiresAt } : {}),
  };
}
