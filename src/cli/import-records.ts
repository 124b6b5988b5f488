import { z } from 'zod';
import { importRecords, readRecordsFileWithFields } from '../jobs/import-records.js';
import type { CliContext } from './context.js';
import { accountName, parseFlags } from './flags.js';
import { readGroupRoles, setGroupRoles } from './group-roles.js';

export const ImportRecordsFlags = z.object({
  /** The account to load into (created if new). */
  name: accountName,
  /** A file mapping groups to support roles (see: maturity accounts group-roles). */
  groupRoles: z.string().optional(),
});
export type ImportRecordsFlags = z.infer<typeof ImportRecordsFlags>;

export async function importRecordsCommand(
  ctx: CliContext,
  file: string,
  rawFlags: unknown,
): Promise<void> {
  const flags = parseFlags(ImportRecordsFlags, rawFlags);
  const { batch, fields } = readRecordsFileWithFields(file);
  const roles = flags.groupRoles ? readGroupRoles(flags.groupRoles) : undefined;
  const store = await ctx.openStore();
  const { counts, account } = await importRecords(
    store,
    flags.name,
    batch,
    `import:${file}`,
    fields,
  );
  if (roles) await setGroupRoles(store, account.id, roles);
  const summary = Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  ctx.io.out(`imported into "${flags.name}": ${summary || 'no records'}`);
}
