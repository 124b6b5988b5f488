import { inputError } from '../errors.js';
import type { CliContext } from './context.js';

export interface AttestFlags {
  model?: string;
  no?: boolean;
  by: string;
  reason?: string;
  expires?: string;
}

/** A reviewer states what the data cannot show; the next snapshot counts it (until it expires). */
export async function attestCommand(
  ctx: CliContext,
  accountName: string,
  criterionId: string,
  flags: AttestFlags,
): Promise<void> {
  const rules = ctx.rules();
  const modelId = flags.model ?? 'ftworks';
  const model = rules.models.find((m) => m.id === modelId);
  if (!model)
    throw inputError(
      `--model must be one of ${rules.models.map((m) => m.id).join(', ')} (got "${modelId}")`,
    );
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
  let expiresAt: string | undefined;
  if (flags.expires) {
    const d = new Date(
      /^\d{4}-\d{2}-\d{2}$/.test(flags.expires) ? `${flags.expires}T23:59:59Z` : flags.expires,
    );
    if (Number.isNaN(d.getTime()))
      throw inputError(`--expires must be a date like 2027-06-30 (got "${flags.expires}")`);
    expiresAt = d.toISOString();
  }
  if (!flags.by.trim()) throw inputError('--by must name who attests');
  const store = await ctx.openStore();
  const account = await store.getAccount(accountName);
  await store.addAttestation(account.id, {
    model: modelId,
    criterionId,
    value: !flags.no,
    by: flags.by.trim(),
    ...(flags.reason ? { reason: flags.reason } : {}),
    at: new Date().toISOString(),
    ...(expiresAt ? { expiresAt } : {}),
  });
  ctx.io.out(
    `recorded: ${modelId}/${criterionId} ${flags.no ? 'is NOT in place' : 'is in place'} for "${accountName}", by ${flags.by}; it counts from the next snapshot`,
  );
}
