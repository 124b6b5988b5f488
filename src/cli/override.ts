import { z } from 'zod';
import type { CliContext } from './context.js';
import { DecisionFlags, decide } from './decide.js';
import { parseFlags, wholeNumber } from './flags.js';

export const OverrideFlags = DecisionFlags.extend({
  model: z.string().optional(),
  level: wholeNumber(0, 10).optional(),
  expires: z.string().optional(),
});

/**
 * A reviewer decides a layer's level: shown beside the suggested one, and stale once the evidence
 * behind the suggestion changes.
 */
export async function overrideCommand(
  ctx: CliContext,
  accountName: string,
  layer: string,
  rawFlags: unknown,
): Promise<void> {
  const f = parseFlags(OverrideFlags, rawFlags);
  await decide(
    ctx,
    accountName,
    {
      kind: 'override',
      layer,
      level: f.level,
      model: f.model,
      reason: f.reason,
      expires: f.expires,
    },
    f.by,
  );
}
