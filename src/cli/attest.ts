import { z } from 'zod';
import { inputError } from '../errors.js';
import { asOfProblem } from '../metrics/window.js';
import type { CliContext } from './context.js';
import { orList, parseFlags, readFlag } from './flags.js';

export const AttestFlags = z.object({
  /** Who attests (name or email). */
  by: z.string().trim().min(1, 'must name who attests'),
  /** Checked against the loaded rules' models by the command. */
  model: z.string().default('ftworks'),
  /** Attest that the criterion is NOT in place. */
  notInPlace: z.boolean().default(false),
  /** Why; kept in the audit trail. */
  reason: z.string().optional(),
  /** When the attestation lapses (a date: the end of that day, UTC), as an ISO date-time. */
  expires: readFlag('must be a date like 2027-06-30', (value) => {
    // Read strictly, as --as-of is: `new Date()` takes "1" for 2001 and rolls 2026-02-30 over.
    if (asOfProblem(value)) return undefined;
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59Z` : value);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }).optional(),
});
export type AttestFlags = z.infer<typeof AttestFlags>;

/** A reviewer states what the data cannot show; the next snapshot counts it (until it expires). */
export async function attestCommand(
  ctx: CliContext,
  accountName: string,
  criterionId: string,
  rawFlags: unknown,
): Promise<void> {
  const flags = parseFlags(AttestFlags, rawFlags);
  const rules = ctx.rules();
  const modelId = flags.model;
  const model = rules.models.find((m) => m.id === modelId);
  if (!model)
    throw inputError(`--model must be ${orList(rules.models.map((m) => m.id))} (got "${modelId}")`);
  const known = model.layerRules.flatMap((l) =>
    l.levels.flatMap((v) => v.criteria.map((c) => c.id)),
  );
  if (!known.includes(criterionId)) {
    const close = known
      .filter((k) => k.includes(criterionId.split('-')[0] ?? criterionId))
      .slice(0, 5);
    throw inputError(
      `no criterion "${criterionId}" in model ${modelId}${close.length ? ` (did you mean: ${close.join(', ')}?)` : ''}`,
    );
  }
  const store = await ctx.openStore();
  const account = await store.getAccount(accountName);
  await store.addAttestation(account.id, {
    model: modelId,
    criterionId,
    value: !flags.notInPlace,
    by: flags.by,
    ...(flags.reason ? { reason: flags.reason } : {}),
    at: new Date().toISOString(),
    ...(flags.expires ? { expiresAt: flags.expires } : {}),
  });
  ctx.io.out(
    `recorded: ${modelId}/${criterionId} ${flags.notInPlace ? 'is NOT in place' : 'is in place'} for "${accountName}", by ${flags.by}; it counts from the next snapshot`,
  );
}
