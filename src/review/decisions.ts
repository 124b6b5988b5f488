import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Decision, ListedDecision } from '../domain/decisions.js';
import type { SnapshotBody } from '../domain/evidence.js';
import { textProblem } from '../domain/text.js';
import {
  attestationValidDays,
  criterionIndex,
  loadDefaultRules,
  validity,
  type RuleSet,
} from '../engine/index.js';
import { inputError, MaturityError, zodSentence } from '../errors.js';
import { readAsOf } from '../metrics/window.js';
import type { Account, NewDecision, Store } from '../store/store.js';
import { atChosenBaseline } from './chosen-baseline.js';
import { reviewedSnapshot } from './reviewed.js';
import { findCriterion, findLayer, findModel, plainLabel, type Label } from './targets.js';

/**
 * Review decisions, the same from the CLI and the API: their inputs (zod, one clear line per
 * problem), the checks that need the rules and the clock, and the trail they go to
 * (src/domain/decisions.ts says what each kind means).
 *
 * Limits:
 * - attest, dispute: the expiry lies in the future and no later than the rule's validity
 *   (`attestationValidDays`, default 365 days) from now, to the end of that day (UTC); without
 *   one, it is that latest day. An attestation's `since` (the date it became true) is not in
 *   the future: it makes the attestation count in snapshots as of that date on.
 * - exempt: an expiry is required, in the future, at most two years ahead (a "not applicable"
 *   deserves a second look); override: an expiry is optional, with the same limit.
 * - every kind needs a reason; a revoke names the decision it takes back.
 */

/** The furthest an exemption or override may reach. */
export const MAX_DECISION_DAYS = 730;
const DAY = 86_400_000;

const Reason = z
  .string({ error: (i) => (i.input === undefined ? 'is required: say why' : 'must be text') })
  .trim()
  .min(1, 'is required: say why')
  .max(2000, 'must be at most 2000 characters')
  .superRefine((v, ctx) => {
    const p = textProblem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });

const Name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[a-z0-9-]+(\/[a-z0-9-]+)?$/, 'must be an id like yearly-support-goals');

/** A date (`day`: the start or end of that day, UTC) or an ISO date-time, as an ISO string. */
const dateText = (day: 'start' | 'end') =>
  z.string().transform((value, ctx) => {
    const d = readAsOf(value);
    if (typeof d === 'string') {
      ctx.addIssue({ code: 'custom', message: `${d} (got "${value.slice(0, 60)}")` });
      return z.NEVER;
    }
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
    return dateOnly && day === 'start' ? `${value.trim()}T00:00:00.000Z` : d.toISOString();
  });

const EvidenceUrl = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http or https link without a user or password');

/** Attest a criterion the data cannot show: in place (default) or not. */
export const AttestInput = z.strictObject({
  model: Name.optional(),
  criterion: Name,
  inPlace: z.boolean().default(true),
  reason: Reason,
  /** Default: the rule's validity from now. */
  expires: dateText('end').optional(),
  /** The date it became true (not in the future). */
  since: dateText('start').optional(),
  evidence: EvidenceUrl.optional(),
});
export type AttestInput = z.input<typeof AttestInput>;

/** Contradict what the data shows: the criterion is not in place (default) or is. */
export const DisputeInput = z.strictObject({
  model: Name.optional(),
  criterion: Name,
  inPlace: z.boolean().default(false),
  reason: Reason,
  expires: dateText('end').optional(),
  evidence: EvidenceUrl.optional(),
});
export type DisputeInput = z.input<typeof DisputeInput>;

/** Not applicable: a criterion, or (no criterion) a whole model. */
export const ExemptInput = z
  .strictObject({
    model: Name.optional(),
    criterion: Name.optional(),
    reason: Reason,
    expires: dateText('end'),
  })
  .refine((v) => v.model || v.criterion, {
    message: 'must name a criterion, or a model to exempt whole',
    path: ['criterion'],
  });
export type ExemptInput = z.input<typeof ExemptInput>;

/** A layer's level as the reviewer decides it. */
export const OverrideInput = z.strictObject({
  model: Name.optional(),
  layer: Name,
  level: z
    .number({ error: (i) => (i.input === undefined ? 'is required' : 'must be a whole number') })
    .int('must be a whole number')
    .min(0, 'must be at least 0'),
  reason: Reason,
  expires: dateText('end').optional(),
});
export type OverrideInput = z.input<typeof OverrideInput>;

/** Take back a decision. */
export const RevokeInput = z.strictObject({
  decision: z
    .number({ error: (i) => (i.input === undefined ? 'is required' : 'must be a decision id') })
    .int('must be a decision id')
    .positive('must be a decision id'),
  reason: Reason,
});
export type RevokeInput = z.input<typeof RevokeInput>;

export type DecisionInput =
  | ({ kind: 'attest' } & AttestInput)
  | ({ kind: 'dispute' } & DisputeInput)
  | ({ kind: 'exempt' } & ExemptInput)
  | ({ kind: 'override' } & OverrideInput)
  | ({ kind: 'revoke' } & RevokeInput);

/** Who decides: a person's name, and the API token it came through (none from the CLI). */
export interface Actor {
  name: string;
  token?: string;
}

export interface DecisionOptions {
  /** Default: the shipped rules. */
  rules?: RuleSet;
  now?: Date;
  /** How fields are named in messages (the CLI's flags); default the input's field names. */
  label?: Label;
}

/** Parses with `schema`; a failure is one E_INPUT line naming the field. */
function parse<S extends z.ZodType>(schema: S, input: unknown, label: Label): z.output<S> {
  const r = schema.safeParse(input, {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? issue.input === undefined
          ? 'is required'
          : `must be a ${issue.expected}`
        : issue.code === 'unrecognized_keys'
          ? `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
          : undefined,
  });
  if (r.success) return r.data;
  throw inputError(
    zodSentence(r.error, {
      top: 'the decision',
      label: (p) => label(String(p[0])),
      separator: ' ',
    }),
  );
}

const endOfDay = (t: number) => {
  const d = new Date(t);
  d.setUTCHours(23, 59, 59, 999);
  return d;
};
const day = (iso: string) => iso.slice(0, 10);

/** An expiry in the future and within `maxDays` (to the end of that day); default that day. */
function expiry(
  given: string | undefined,
  now: Date,
  maxDays: number,
  why: string,
  label: Label,
): string {
  const max = endOfDay(now.getTime() + maxDays * DAY);
  if (given === undefined) return max.toISOString();
  const t = Date.parse(given);
  if (t <= now.getTime())
    throw inputError(`${label('expires')} must be in the future (got ${day(given)})`);
  if (t > max.getTime())
    throw inputError(
      `${label('expires')} must be no later than ${day(max.toISOString())}: ${why} (got ${day(given)})`,
    );
  return given;
}

/**
 * Checks and records one decision for the account; returns it as stored. Bad input throws one
 * E_INPUT line and stores nothing; an unknown account is E_ACCOUNT_NOT_FOUND; an override
 * before any snapshot is E_NO_SNAPSHOT (there is no suggested level to decide against).
 */
export async function recordDecision(
  store: Store,
  accountName: string,
  input: DecisionInput,
  actor: Actor,
  o: DecisionOptions = {},
): Promise<Decision> {
  const rules = o.rules ?? loadDefaultRules();
  const now = o.now ?? new Date();
  const d = checkDecision(input, actor, { ...o, rules, now });
  const account = await store.getAccount(accountName);
  const full = await againstTrail(store, account, d, { rules, now, label: o.label ?? plainLabel });
  return store.addDecision(account.id, { ...full, at: now.toISOString() });
}

/**
 * Every check of a decision that needs neither the store nor the account: its input, who
 * decides, and what the rules and the clock say (a known criterion, layer or model; the expiry
 * and `since` limits). Returns the decision to store, short of what the trail adds (an
 * override's fingerprint, a revoke's subject). The CLI runs it before it opens the store.
 */
export function checkDecision(
  input: DecisionInput,
  actor: Actor,
  o: DecisionOptions = {},
): NewDecision {
  const label = o.label ?? plainLabel;
  const rules = o.rules ?? loadDefaultRules();
  const now = o.now ?? new Date();
  const { kind, ...rest } = input;
  const schema = {
    attest: AttestInput,
    dispute: DisputeInput,
    exempt: ExemptInput,
    override: OverrideInput,
    revoke: RevokeInput,
  }[kind];
  if (!schema) throw inputError('kind must be attest, dispute, exempt, override or revoke');
  const parsed = parse(schema as z.ZodType<Parsed>, rest, label);
  return { ...resolve(kind, parsed, { rules, now, label }), ...actorOf(actor, label) };
}

function actorOf(actor: Actor, label: Label): Pick<NewDecision, 'actor' | 'token'> {
  const name = actor.name?.trim() ?? '';
  if (!name || name.length > 200 || textProblem(name))
    throw inputError(
      `${label('by')} must name who decides (1 to 200 characters)${name ? ` (got "${name.slice(0, 60)}")` : ''}`,
    );
  return { actor: name, ...(actor.token ? { token: actor.token } : {}) };
}

type Parsed =
  | z.output<typeof AttestInput>
  | z.output<typeof DisputeInput>
  | z.output<typeof ExemptInput>
  | z.output<typeof OverrideInput>
  | z.output<typeof RevokeInput>;

/** The checks that need the rules and the clock; the decision to store (short of the actor). */
function resolve(
  kind: DecisionInput['kind'],
  p: Parsed,
  o: { rules: RuleSet; now: Date; label: Label },
): Omit<NewDecision, 'actor' | 'token'> {
  const { rules, now, label } = o;
  if (kind === 'attest' || kind === 'dispute') {
    const a = p as z.output<typeof AttestInput> & z.output<typeof DisputeInput>;
    const t = findCriterion(rules, a.criterion, a.model, label);
    const days = attestationValidDays(t.criterion);
    const why = `the rule ${t.criterion.id} holds a reviewer's statement for at most ${days} days${t.criterion.attestationValidDays ? '' : ' (the default: the rule sets no attestationValidDays)'}`;
    const expiresAt = expiry(a.expires, now, days, why, label);
    if (a.since && Date.parse(a.since) > now.getTime())
      throw inputError(
        `${label('since')} must not be in the future: it is the date the criterion became true (got ${day(a.since)})`,
      );
    return {
      kind,
      model: t.model.id,
      layer: t.layer.layer,
      criterionId: t.criterion.id,
      inPlace: a.inPlace,
      reason: a.reason,
      expiresAt,
      ...(a.since ? { since: a.since } : {}),
      ...(a.evidence ? { evidenceUrl: a.evidence } : {}),
    };
  }
  if (kind === 'exempt') {
    const e = p as z.output<typeof ExemptInput>;
    const expiresAt = expiry(
      e.expires,
      now,
      MAX_DECISION_DAYS,
      'an exemption lasts at most two years',
      label,
    );
    if (!e.criterion) {
      const model = findModel(rules, e.model!, label);
      return { kind, model: model.id, reason: e.reason, expiresAt };
    }
    const t = findCriterion(rules, e.criterion, e.model, label);
    return {
      kind,
      model: t.model.id,
      layer: t.layer.layer,
      criterionId: t.criterion.id,
      reason: e.reason,
      expiresAt,
    };
  }
  if (kind === 'override') {
    const v = p as z.output<typeof OverrideInput>;
    const t = findLayer(rules, v.layer, v.model, label);
    const top = t.model.levels.length;
    if (v.level > top)
      throw inputError(
        `${label('level')} must be from 0 to ${top} for ${t.model.id} (got ${v.level})`,
      );
    const expiresAt =
      v.expires &&
      expiry(v.expires, now, MAX_DECISION_DAYS, 'an override lasts at most two years', label);
    return {
      kind,
      model: t.model.id,
      layer: t.layer.layer,
      level: v.level,
      reason: v.reason,
      ...(expiresAt ? { expiresAt } : {}),
    };
  }
  const r = p as z.output<typeof RevokeInput>;
  return { kind, revokes: r.decision, reason: r.reason };
}

/**
 * What the account's trail and snapshots add: an override gets the fingerprint and level of the
 * evidence it overrides (from the reviewed latest snapshot); a revoke must name a decision of
 * this account that is not a revoke and not yet revoked, and carries its subject.
 */
async function againstTrail(
  store: Store,
  account: Account,
  d: NewDecision,
  o: { rules: RuleSet; now: Date; label: Label },
): Promise<NewDecision> {
  const { label } = o;
  if (d.kind === 'override') {
    const seen = await reviewedSnapshot(store, account.name, { rules: o.rules, now: o.now }).catch(
      (err) => {
        if (err instanceof MaturityError && err.code === 'E_NO_SNAPSHOT')
          throw new MaturityError(
            'E_NO_SNAPSHOT',
            `account "${account.name}" has no snapshot yet: an override needs the suggested level it overrides (take one with: maturity snapshot ${account.name})`,
          );
        throw err;
      },
    );
    const layer = seen.layers.find((l) => l.model === d.model && l.layer === d.layer);
    return {
      ...d,
      ...(layer?.fingerprint ? { fingerprint: layer.fingerprint } : {}),
      ...(layer ? { suggestedLevel: layer.level } : {}),
    };
  }
  if (d.kind !== 'revoke') return d;
  const trail = await store.decisions(account.id);
  const target = trail.find((x) => x.id === d.revokes);
  if (!target)
    throw inputError(
      `${label('decision')} #${d.revokes} is no decision of "${account.name}" (list them with: maturity attest list ${account.name} --all)`,
    );
  if (target.kind === 'revoke')
    throw inputError(`${label('decision')} #${target.id} is a revoke; it cannot be revoked`);
  const by = trail.find((x) => x.revokes === target.id);
  if (by) throw inputError(`decision #${target.id} is already revoked (by #${by.id})`);
  return {
    ...d,
    ...(target.model ? { model: target.model } : {}),
    ...(target.layer ? { layer: target.layer } : {}),
    ...(target.criterionId ? { criterionId: target.criterionId } : {}),
  };
}

/**
 * The account's decisions with where each stands now (active, expired, revoked). Revoked ones
 * and the revokes themselves are listed only with `includeRevoked`.
 */
export async function listDecisions(
  store: Store,
  accountName: string,
  o: { includeRevoked?: boolean; rules?: RuleSet; now?: Date } = {},
): Promise<ListedDecision[]> {
  const account = await store.getAccount(accountName);
  const listed = withState(await store.decisions(account.id), o.rules ?? loadDefaultRules(), o.now);
  return o.includeRevoked
    ? listed
    : listed.filter((d) => d.state !== 'revoked' && d.state !== 'revoke');
}

function withState(
  trail: (Decision & { account: string })[],
  rules: RuleSet,
  now = new Date(),
): ListedDecision[] {
  const criteria = criterionIndex(rules);
  const revokes = new Map(trail.filter((d) => d.revokes).map((d) => [d.revokes!, d]));
  return trail.map((d) => {
    const by = revokes.get(d.id);
    const state: ListedDecision['state'] =
      d.kind === 'revoke'
        ? 'revoke'
        : by
          ? 'revoked'
          : validity(d, criteria.get(`${d.model}/${d.criterionId}`)).to <= now.getTime()
            ? 'expired'
            : 'active';
    return {
      ...d,
      state,
      ...(by ? { revokedBy: { id: by.id, actor: by.actor, at: by.at, reason: by.reason } } : {}),
    };
  });
}

/**
 * The audit trail as CSV, one row per decision (revokes included), oldest first: one account's,
 * or every account's. Cells a spreadsheet would run as a formula (starting with = + - @) are
 * prefixed with a quote.
 */
export async function auditCsv(
  store: Store,
  accountName?: string,
  o: { rules?: RuleSet; now?: Date } = {},
): Promise<string> {
  const accountId = accountName ? (await store.getAccount(accountName)).id : undefined;
  const rows = withState(await store.decisions(accountId), o.rules ?? loadDefaultRules(), o.now);
  return stringify(
    rows.map((d) => auditRow(d)),
    { header: true, columns: AUDIT_COLUMNS as unknown as string[] },
  );
}

export const AUDIT_COLUMNS = [
  'id',
  'account',
  'at',
  'kind',
  'by',
  'token',
  'model',
  'layer',
  'criterion',
  'decided',
  'reason',
  'evidence',
  'since',
  'expires',
  'revokes',
  'state',
  'revoked_by',
  'fingerprint',
] as const;

/**
 * What a decision says, in a few words: "in place", "not in place", "not applicable", "whole
 * model not applicable", "level 3 (suggested 2)", "takes back #4".
 */
export function decisionWords(d: Decision): string {
  if (d.kind === 'override')
    return `level ${d.level}${d.suggestedLevel !== undefined ? ` (suggested ${d.suggestedLevel})` : ''}`;
  if (d.kind === 'exempt') return d.criterionId ? 'not applicable' : 'whole model not applicable';
  if (d.kind === 'revoke') return `takes back #${d.revokes}`;
  return d.inPlace ? 'in place' : 'not in place';
}

function auditRow(d: ListedDecision): Record<(typeof AUDIT_COLUMNS)[number], string> {
  const decided = d.kind === 'revoke' ? '' : decisionWords(d).replace('whole model ', '');
  return {
    id: String(d.id),
    account: cell(d.account),
    at: d.at,
    kind: d.kind,
    by: cell(d.actor),
    token: cell(d.token ?? ''),
    model: d.model ?? '',
    layer: d.layer ?? '',
    criterion: d.criterionId ?? (d.kind === 'exempt' ? '(whole model)' : ''),
    decided,
    reason: cell(d.reason),
    evidence: cell(d.evidenceUrl ?? ''),
    since: d.since ?? '',
    expires: d.expiresAt ?? '',
    revokes: d.revokes ? String(d.revokes) : '',
    state: d.state,
    revoked_by: d.revokedBy ? String(d.revokedBy.id) : '',
    fingerprint: d.fingerprint ?? '',
  };
}

/** Text a spreadsheet would run as a formula gets a leading quote. */
const cell = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/** A criterion awaiting a decision: unknown and not exempt, in the account's reviewed latest snapshot. */
export interface PendingCriterion {
  model: string;
  modelName: string;
  layer: string;
  layerName: string;
  criterionId: string;
  statement: string;
  level: number;
  /** The layer's proven level now. */
  layerLevel: number;
  reason?: string;
  wouldDecide?: string;
  /** Only a reviewer can decide it: the data cannot show it, or cannot rule it out. */
  byReviewer: boolean;
  /** Decided as in place, it alone would raise the layer's proven level. */
  unlocks: boolean;
}

/**
 * The criteria awaiting a decision, most useful first: those that alone would raise a layer's
 * level, then the nearest levels first, then those only a reviewer can decide, then the rules'
 * order. Exempt models and criteria are left out.
 */
export async function pendingCriteria(
  store: Store,
  accountName: string,
  o: { rules?: RuleSet; now?: Date } = {},
): Promise<PendingCriterion[]> {
  const rules = o.rules ?? loadDefaultRules();
  const body = await reviewedSnapshot(store, accountName, {
    rules,
    ...(o.now ? { now: o.now } : {}),
  });
  return pendingIn(body, rules);
}

/** As pendingCriteria, from a reviewed snapshot already at hand (judged with `rules`). */
export function pendingIn(body: Pick<SnapshotBody, 'layers'>, rules: RuleSet): PendingCriterion[] {
  const criteria = criterionIndex(rules);
  const out: PendingCriterion[] = [];
  for (const l of body.layers) {
    if (l.exempt || atChosenBaseline(l, rules)) continue;
    for (const c of l.criteria) {
      if (c.status !== 'unknown' || c.exempt) continue;
      const rule = criteria.get(`${l.model}/${c.id}`);
      const others = l.criteria.filter((x) => x.level === c.level && x.id !== c.id);
      out.push({
        model: l.model,
        modelName: l.modelName,
        layer: l.layer,
        layerName: l.layerName,
        criterionId: c.id,
        statement: c.statement,
        level: c.level,
        layerLevel: l.level,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.wouldDecide ? { wouldDecide: c.wouldDecide } : {}),
        byReviewer: !rule?.when || !!c.confirmOnly,
        unlocks:
          c.level === l.level + 1 &&
          others.every((x) => x.status === 'met' || x.exempt?.scope === 'criterion'),
      });
    }
  }
  const rank = (p: PendingCriterion) => [
    p.unlocks ? 0 : 1,
    p.level - p.layerLevel,
    p.byReviewer ? 0 : 1,
  ];
  return out
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r[0]! - b.r[0]! || a.r[1]! - b.r[1]! || a.r[2]! - b.r[2]! || a.i - b.i)
    .map((x) => x.p);
}
