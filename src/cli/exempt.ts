import { z } from 'zod';
import type { CliContext } from './context.js';
import { DecisionFlags, decide } from './decide.js';
import { parseFlags } from './flags.js';

export const ExemptFlags = DecisionFlags.extend({
  /** The criterion's model, or (without a criterion) the model exempt as a whole. */
  model: z.string().optional(),
  expires: z.string().optional(),
});

/**
 * Not applicable: a criterion (or, with --model and no criterion, a whole model) leaves the
 * blockers, unknowns and actions until the exemption expires, and is listed apart.
 */
export async function exemptCommand(
  ctx: CliContext,
  accountName: string,
  criterion: string | undefined,
  rawFlags: unknown,
): Promise<void> {
  const f = parseFlags(ExemptFlags, rawFlags);
  await decide(
    ctx,
    accountName,
    { kind: 'exempt', criterion, model: f.model, reason: f.reason, expires: f.expires },
    f.by,
  );
}
