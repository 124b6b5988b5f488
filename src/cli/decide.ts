import { z } from 'zod';
import type { Decision, ListedDecision } from '../domain/decisions.js';
import type { LayerSuggestion } from '../domain/evidence.js';
import { MaturityError } from '../errors.js';
import {
  checkDecision,
  decisionWords,
  recordDecision,
  type DecisionInput,
} from '../review/decisions.js';
import { reviewedSnapshot } from '../review/reviewed.js';
import type { Label } from '../review/targets.js';
import type { CliContext } from './context.js';

/**
 * What the decision commands (attest, dispute, exempt, override, revoke) share: who decides
 * (`--by`, else $USER: main.ts gives the option that default), how a field is named in a
 * message (the flag the user typed), and the lines that say what was recorded and what the
 * latest snapshot now shows.
 */

/** Every decision command's flags carry these (the rest is checked by src/review/decisions.ts). */
export const DecisionFlags = z.object({
  by: z.string().optional(),
  reason: z.string().optional(),
});

/** The input fields as the command line names them. */
export const flagLabel: Label = (field) =>
  ({
    criterion: 'CRITERION',
    layer: 'LAYER',
    decision: 'DECISION_ID',
    inPlace: '--not-in-place',
    evidence: '--evidence',
  })[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Checks the decision (before the store is opened: bad input stores nothing and waits for no
 * lock), records it, and prints what was recorded and what the account's latest snapshot shows
 * now that it counts.
 */
export async function decide(
  ctx: CliContext,
  accountName: string,
  fields: { kind: DecisionInput['kind'] } & Record<string, unknown>,
  by: string | undefined,
): Promise<Decision> {
  // Unchecked as typed: checkDecision names what is missing or wrong, by its flag.
  const input = Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as DecisionInput;
  const rules = ctx.rules();
  if (by === undefined)
    throw new MaturityError(
      'E_INPUT',
      '--by must name who decides (no --by, and $USER is not set)',
    );
  const actor = { name: by };
  const o = { rules, label: flagLabel };
  checkDecision(input, actor, o);
  const store = await ctx.openStore();
  const d = await recordDecision(store, accountName, input, actor, o);
  ctx.io.out(`recorded ${describeDecision(d)}`);
  const effect = await effectNow(ctx, accountName, d);
  if (effect) ctx.io.out(effect);
  return d;
}

/** One line: `#12 attest ftworks/strategy/yearly-support-goals: in place … by Dana: "FY26 plan"`. */
export function describeDecision(d: Decision | ListedDecision): string {
  const subject = [d.model, d.layer, d.criterionId].filter(Boolean).join('/');
  const what = decisionWords(d);
  const when = [
    d.since ? `since ${d.since.slice(0, 10)}` : '',
    d.expiresAt ? `until ${d.expiresAt.slice(0, 10)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const state = 'state' in d ? ` [${d.state}${d.revokedBy ? ` by #${d.revokedBy.id}` : ''}]` : '';
  return `#${d.id} ${d.at.slice(0, 10)} ${d.kind} ${subject}: ${what}${when ? `, ${when}` : ''} — by ${d.actor}${d.token ? ` (token ${d.token})` : ''}: "${d.reason}"${d.evidenceUrl ? ` <${d.evidenceUrl}>` : ''}${state}`;
}

/** What the reviewed latest snapshot shows of the decision's subject, now that it counts. */
async function effectNow(
  ctx: CliContext,
  accountName: string,
  d: Decision,
): Promise<string | undefined> {
  const store = await ctx.openStore();
  const body = await reviewedSnapshot(store, accountName, { rules: ctx.rules() }).catch(
    (err: unknown) => {
      if (err instanceof MaturityError && err.code === 'E_NO_SNAPSHOT') return undefined;
      throw err;
    },
  );
  if (!body) return `it counts from the first snapshot (maturity snapshot ${accountName})`;
  const layers = body.layers.filter((l) => l.model === d.model);
  const layer = layers.find((l) => l.layer === d.layer);
  const c = layer?.criteria.find((x) => x.id === d.criterionId);
  const level = (l: LayerSuggestion) =>
    `${l.layerName} at level ${l.level} (${l.levelName})${l.override ? `, decided ${l.override.level}${l.override.stale ? ' (stale)' : ''}` : ''}`;
  if (d.kind === 'override' && layer) return `the latest snapshot now shows ${level(layer)}`;
  if (d.kind === 'exempt' && !d.criterionId)
    return `the latest snapshot now shows ${d.model} as not applicable`;
  if (!layer || !c) return 'the latest snapshot shows it now';
  const state = c.exempt
    ? 'not applicable'
    : c.disputed
      ? `${c.status} by the data, and disputed`
      : `${c.status}${c.attested ? ' (attested)' : ''}`;
  return `the latest snapshot now shows ${c.id} ${state}; ${level(layer)}`;
}
