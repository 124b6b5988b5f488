import { z } from 'zod';
import { listDecisions } from '../review/decisions.js';
import type { CliContext } from './context.js';
import { DecisionFlags, decide, describeDecision } from './decide.js';
import { parseFlags } from './flags.js';

export const AttestFlags = DecisionFlags.extend({
  /** Checked against the loaded rules' models; by default the model that has the criterion. */
  model: z.string().optional(),
  /** Attest that the criterion is NOT in place. */
  notInPlace: z.boolean().default(false),
  /** When the attestation lapses; default the rule's validity (src/review/decisions.ts). */
  expires: z.string().optional(),
  /** The date it became true: it counts in snapshots as of that date on. */
  since: z.string().optional(),
  /** A link to the evidence. */
  evidence: z.string().optional(),
});
export type AttestFlags = z.infer<typeof AttestFlags>;

/**
 * A reviewer states what the data cannot show; it counts at once in the reviewed view of the
 * latest snapshot (`maturity report`) and in every snapshot until it expires.
 */
export async function attestCommand(
  ctx: CliContext,
  accountName: string,
  criterion: string,
  rawFlags: unknown,
): Promise<void> {
  const f = parseFlags(AttestFlags, rawFlags);
  await decide(
    ctx,
    accountName,
    {
      kind: 'attest',
      criterion,
      inPlace: !f.notInPlace,
      model: f.model,
      reason: f.reason,
      expires: f.expires,
      since: f.since,
      evidence: f.evidence,
    },
    f.by,
  );
}

export const AttestListFlags = z.object({
  all: z.boolean().default(false),
  json: z.boolean().default(false),
});

/** The account's decisions of every kind (with --all, the revoked ones and the revokes too). */
export async function attestListCommand(
  ctx: CliContext,
  accountName: string,
  rawFlags: unknown,
): Promise<void> {
  const f = parseFlags(AttestListFlags, rawFlags);
  const store = await ctx.openStore();
  const list = await listDecisions(store, accountName, {
    includeRevoked: f.all,
    rules: ctx.rules(),
  });
  if (f.json) return ctx.io.out(JSON.stringify(list, null, 2));
  if (!list.length)
    return ctx.io.out(
      `no decisions for "${accountName}"${f.all ? '' : ' (--all lists revoked ones)'}`,
    );
  for (const d of list) ctx.io.out(describeDecision(d));
}
