import { z } from 'zod';
import { auditCsv, listDecisions } from '../review/decisions.js';
import type { CliContext } from './context.js';
import { describeDecision } from './decide.js';
import { parseFlags } from './flags.js';

export const AuditFlags = z.object({ csv: z.boolean().default(false) });

/**
 * The whole audit trail (who, when, what, why, which token), revokes included: one account's, or
 * every account's. `--csv` for a spreadsheet or an auditor.
 */
export async function auditCommand(
  ctx: CliContext,
  accountName: string | undefined,
  rawFlags: unknown,
): Promise<void> {
  const f = parseFlags(AuditFlags, rawFlags);
  const store = await ctx.openStore();
  const rules = ctx.rules();
  if (f.csv) return ctx.io.out(await auditCsv(store, accountName, { rules }));
  const names = accountName ? [accountName] : (await store.listAccounts()).map((a) => a.name);
  for (const name of names) {
    const list = await listDecisions(store, name, { includeRevoked: true, rules });
    if (!accountName && list.length) ctx.io.out(`${name}:`);
    for (const d of list) ctx.io.out(describeDecision(d));
  }
}
