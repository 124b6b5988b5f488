import { importRecords, readRecordsFileWithFields } from '../jobs/import-records.js';
import type { CliContext } from './context.js';
import { readGroupRoles, setGroupRoles } from './group-roles.js';

export async function importRecordsCommand(
  ctx: CliContext,
  file: string,
  flags: { name: string; groupRoles?: string },
): Promise<void> {
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
