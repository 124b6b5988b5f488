import { inputError } from '../errors.js';
import type { CliContext } from './context.js';
import { DecisionFlags, decide } from './decide.js';
import { parseFlags, wholeNumber } from './flags.js';

export const RevokeFlags = DecisionFlags;

/** Takes back a decision (of any kind) with a reason; the trail keeps both. */
export async function revokeCommand(
  ctx: CliContext,
  accountName: string,
  decisionId: string,
  rawFlags: unknown,
): Promise<void> {
  const f = parseFlags(RevokeFlags, rawFlags);
  const id = wholeNumber(1).safeParse(decisionId.replace(/^#/, ''));
  if (!id.success)
    throw inputError(`DECISION_ID must be a decision's number, like 12 (got "${decisionId}")`);
  await decide(ctx, accountName, { kind: 'revoke', decision: id.data, reason: f.reason }, f.by);
}
