import { importRecords, readRecordsFileWithFields } from '../jobs/import-records.js';
import type { CliContext } from './context.js';

export async function importRecordsCommand(
  ctx: CliContext,
  file: string,
  flags: { name: string },
): Promise<void> {
  const { batch, fields } = readRecordsFileWithFields(file);
  const store = await ctx.openStore();
  const { counts } = await importRecords(store, flags.name, batch, `import:${file}`, fields);
  const summary = Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  ctx.io.out(`imported into "${flags.name}": ${summary || 'no records'}`);
}
