import { z } from 'zod';
import type { CliContext } from './context.js';
import { DecisionFlags, decide } from './decide.js';
import { parseFlags } from './flags.js';

export const DisputeFlags = DecisionFlags.extend({
  model: z.string().optional(),
  /** The reviewer says it IS in place (where the data shows it unmet); default: it is not. */
  inPlace: z.boolean().default(false),
  expires: z.string().optional(),
  evidence: z.string().optional(),
});

/**
 * A reviewer contradicts the data: the criterion keeps the data's status and shows as disputed,
 * with who says otherwise and why, in every output.
 */
export async function disputeCommand(
  ctx: CliContext,
  accountName: string,
  criterion: string,
  rawFlags: unknown,
): Promise<void> {
  const f = parseFlags(DisputeFlags, rawFlags);
  await decide(
    ctx,
    accountName,
    {
      kind: 'dispute',
      criterion,
      inPlace: f.inPlace,
      model: f.model,
      reason: f.reason,
      expires: f.expires,
      evidence: f.evidence,
    },
    f.by,
  );
}
