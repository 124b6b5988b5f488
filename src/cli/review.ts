import { z } from 'zod';
import { pendingCriteria } from '../review/decisions.js';
import type { CliContext } from './context.js';
import { parseFlags } from './flags.js';

export const PendingFlags = z.object({ json: z.boolean().default(false) });

/** The criteria awaiting a decision (unknown, not exempt), most useful first. */
export async function reviewPendingCommand(
  ctx: CliContext,
  accountName: string,
  rawFlags: unknown,
): Promise<void> {
  const f = parseFlags(PendingFlags, rawFlags);
  const store = await ctx.openStore();
  const pending = await pendingCriteria(store, accountName, { rules: ctx.rules() });
  if (f.json) return ctx.io.out(JSON.stringify(pending, null, 2));
  if (!pending.length) return ctx.io.out(`nothing awaits a decision for "${accountName}"`);
  ctx.io.out(`${pending.length} criteria of "${accountName}" await a decision, most useful first:`);
  for (const p of pending) {
    const tags = [
      p.unlocks ? `unlocks ${p.layerName} level ${p.level}` : `${p.layerName} level ${p.level}`,
      p.byReviewer ? 'a reviewer decides' : 'data or a reviewer',
    ];
    ctx.io.out(`- ${p.model}/${p.criterionId} (${tags.join('; ')}): ${p.statement}`);
    if (p.reason) ctx.io.out(`    why unknown: ${p.reason}`);
  }
}
