import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { readProblem } from '../domain/text.js';
import { inputError } from '../errors.js';
import { importServiceNowIncidents } from '../jobs/import-servicenow-incidents.js';
import type { CliContext, Io } from './context.js';
import { accountName, oneOf, parseFlags } from './flags.js';
import { readGroupRoles, setGroupRoles } from './group-roles.js';

export const ImportServiceNowFlags = z.object({
  /** The account to load into (created if new). */
  name: accountName,
  /** A file mapping groups to support roles (see: maturity accounts group-roles). */
  groupRoles: z.string().optional(),
  /** The order of day, month and year in the export's dates (default: detected from the data). */
  dateFormat: oneOf(['dmy', 'mdy', 'ymd'], { ignoreCase: true }).optional(),
});
export type ImportServiceNowFlags = z.infer<typeof ImportServiceNowFlags>;

export async function importServiceNowIncidentsCommand(
  ctx: CliContext,
  file: string,
  rawFlags: unknown,
): Promise<void> {
  const flags = parseFlags(ImportServiceNowFlags, rawFlags);
  const fmt = flags.dateFormat;
  let size = 0;
  try {
    size = statSync(file).size;
  } catch (err) {
    throw inputError(`cannot read ${file}: ${readProblem(err)}`);
  }
  const roles = flags.groupRoles ? readGroupRoles(flags.groupRoles) : undefined;
  const store = await ctx.openStore();
  const progress = fileProgress(ctx.io, size);
  const started = Date.now();
  let result;
  try {
    result = await importServiceNowIncidents(store, file, {
      name: flags.name,
      ...(fmt ? { dateOrder: fmt } : {}),
      onProgress: progress.update,
    });
  } finally {
    progress.stop();
  }
  if (roles) await setGroupRoles(store, result.account.id, roles);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const { groups, agents } = result.derived;
  const derived = [
    groups === undefined ? 'groups unknown (no assignment_group column)' : `${groups} groups`,
    agents === undefined
      ? 'people unknown (no assigned_to or resolved_by column)'
      : `${agents} people${result.derived.resolversLeftOut ? ' (assignees only: no resolver is ever an assignee, so the export pseudonymised the columns apart)' : ''}`,
  ].join(', ');
  ctx.io.out(
    `imported into "${flags.name}": ${result.incidents} incidents from ${result.rows} rows in ${seconds} s` +
      ` (dates ${result.dateOrder}${result.bad.count ? `, ${result.bad.count} bad rows skipped` : ''});` +
      ` derived from incidents: ${derived}`,
  );
  if (result.bad.count) {
    for (const b of result.bad.samples) ctx.io.err(`  line ${b.line}: ${b.error}`);
    if (result.bad.count > result.bad.samples.length)
      ctx.io.err(`  … and ${result.bad.count - result.bad.samples.length} more bad rows`);
  }
}

/** Import progress on stderr: a bar over the file's bytes on a terminal, a line every 5 s otherwise. */
function fileProgress(io: Io, total: number) {
  type P = { bytes: number; rows: number; incidents: number; bad: number };
  if (io.isTty) {
    const bar = new cliProgress.SingleBar(
      {
        format: ' import |{bar}| {percentage}% | {rows} rows | {incidents} incidents | {bad} bad',
        hideCursor: true,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_grey,
    );
    bar.start(Math.max(total, 1), 0, { rows: 0, incidents: 0, bad: 0 });
    return {
      update: (p: P) => bar.update(Math.min(p.bytes, total), p),
      stop: () => bar.stop(),
    };
  }
  let last = Date.now();
  return {
    update(p: P) {
      if (Date.now() - last < 5000) return;
      last = Date.now();
      const pct = total ? Math.round((p.bytes / total) * 100) : 0;
      io.err(`import: ${pct}% · ${p.rows} rows · ${p.incidents} incidents · ${p.bad} bad rows`);
    },
    stop() {},
  };
}
