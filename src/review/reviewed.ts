import type { Decision } from '../domain/decisions.js';
import type { SnapshotBody } from '../domain/evidence.js';
import { activeDecisions, judge, loadDefaultRules, type RuleSet } from '../engine/index.js';
import { inputError, MaturityError } from '../errors.js';
import { readAsOf } from '../metrics/window.js';
import type { StoredSnapshot, Store } from '../store/store.js';

/** A stored snapshot judged again with the decisions as they stand. */
export type ReviewedSnapshot = SnapshotBody & { reviewed: NonNullable<SnapshotBody['reviewed']> };

export interface ReviewedOptions {
  /** The snapshot's id. */
  id?: number;
  /** The latest snapshot as of this date (the end of that day, UTC) or date-time. */
  asOf?: string;
  /** Default: the shipped rules. */
  rules?: RuleSet;
  now?: Date;
}

/**
 * A stored snapshot (by id, as of a date, or the latest) judged again from its stored metrics
 * with the account's decisions as they stand, so a decision shows at once, without a new sync.
 *
 * Which decisions count: those valid at the snapshot's as-of — started (an attestation's
 * `since`, else when it was recorded) and not yet expired. The latest snapshot is judged with
 * the decisions valid now instead (or at its as-of, if that is later): it is the account's
 * current state, and a decision recorded after the night's snapshot belongs to it. So an
 * attestation recorded today counts in last month's snapshot only when its `since` says it was
 * already true then. Revoked decisions never count.
 *
 * The rules are those at hand (the levels carry their version); when they differ from the ones
 * the snapshot was stored with, `reviewed.storedRules` names those. The absent-metric reasons
 * stored with the snapshot are kept (older snapshots have none: their unknowns say less).
 */
export async function reviewedSnapshot(
  store: Store,
  accountName: string,
  o: ReviewedOptions = {},
): Promise<ReviewedSnapshot> {
  const account = await store.getAccount(accountName);
  let asOf: string | undefined;
  if (o.asOf !== undefined) {
    const d = readAsOf(o.asOf);
    if (typeof d === 'string') throw inputError(`as-of ${d} (got "${o.asOf.slice(0, 60)}")`);
    asOf = d.toISOString();
  }
  const found = await store.findSnapshot(account.id, {
    ...(o.id !== undefined ? { id: o.id } : {}),
    ...(asOf ? { asOf } : {}),
  });
  if (!found) throw noSnapshot(account.name, o, asOf, await store.findSnapshot(account.id));
  return judgeStored(store, account.id, found, {
    rules: o.rules ?? loadDefaultRules(),
    now: o.now ?? new Date(),
    trail: await store.decisions(account.id),
  });
}

/**
 * As reviewedSnapshot, for a snapshot already read, with the account's decision trail already
 * read (a history judges many snapshots against one trail).
 */
export async function judgeStored(
  store: Store,
  accountId: number,
  found: StoredSnapshot,
  o: { rules: RuleSet; now: Date; trail: Decision[] },
): Promise<ReviewedSnapshot> {
  const { rules, now, trail } = o;
  const body = found.body;
  const at = new Date(body.asOf);
  const decisionsAt = found.latest && now > at ? now : at;
  const previous = body.partial ? await store.snapshotBefore(accountId, body.asOf) : undefined;
  const { layers, advice, exempt } = judge(rules, {
    metrics: body.metrics,
    decisions: trail,
    asOf: at,
    decisionsAt,
    ...(body.absent ? { absent: body.absent } : {}),
    partial: body.partial,
    ...(previous ? { previous } : {}),
  });
  const active = activeDecisions(rules, trail, decisionsAt);
  const counted =
    active.statements.size +
    active.exemptCriteria.size +
    active.exemptModels.size +
    active.overrides.size;
  const { layers: _layers, advice: _advice, exempt: _exempt, reviewed: _reviewed, ...rest } = body;
  return {
    ...rest,
    rulesVersion: rules.version,
    rulesHash: rules.hash,
    layers,
    ...(advice.length ? { advice } : {}),
    ...(exempt.length ? { exempt } : {}),
    reviewed: {
      snapshotId: found.id,
      at: now.toISOString(),
      decisions: counted,
      ...(body.rulesHash !== rules.hash
        ? { storedRules: { version: body.rulesVersion, hash: body.rulesHash } }
        : {}),
    },
  };
}

function noSnapshot(
  name: string,
  o: ReviewedOptions,
  asOf: string | undefined,
  latest: { body: SnapshotBody } | undefined,
): MaturityError {
  if (!latest)
    return new MaturityError(
      'E_NO_SNAPSHOT',
      `account "${name}" has no snapshot yet (take one with: maturity snapshot ${name})`,
    );
  if (o.id !== undefined)
    return new MaturityError('E_NO_SNAPSHOT', `account "${name}" has no snapshot #${o.id}`);
  return new MaturityError(
    'E_NO_SNAPSHOT',
    `account "${name}" has no snapshot as of ${asOf?.slice(0, 10)} or earlier`,
  );
}
