import { generateOrganisation } from '../demo/generate-org.js';
import { profileNames, profiles, type ProfileName } from '../demo/profiles.js';
import { inputError } from '../errors.js';
import { importRecords } from '../jobs/import-records.js';
import { takeSnapshot } from '../jobs/take-snapshot.js';
import { renderMarkdown } from '../report/render-markdown.js';
import type { CliContext } from './context.js';

export interface DemoFlags {
  profile?: string;
  tickets?: string;
  json?: boolean;
}

/**
 * Builds a deterministic organisation of the chosen profile in the embedded store, snapshots it
 * and prints the report: the whole pipeline on the embedded default, no service needed.
 */
export async function demoCommand(ctx: CliContext, flags: DemoFlags): Promise<void> {
  const profile = (flags.profile ?? 'managed') as ProfileName;
  if (!profileNames.includes(profile))
    throw inputError(
      `--profile must be one of ${profileNames.join(', ')} (got "${flags.profile}")`,
    );
  const tickets = flags.tickets === undefined ? 5000 : Number(flags.tickets);
  if (!Number.isInteger(tickets) || tickets < 0 || tickets > 2_000_000) {
    throw inputError(`--tickets must be a whole number from 0 to 2000000 (got "${flags.tickets}")`);
  }
  const rules = ctx.rules();
  const store = await ctx.openStore();
  const name = `demo-${profile}`;
  const now = new Date();
  ctx.io.err(
    `demo: building the "${profile}" organisation (${profiles[profile].description}) with ${tickets} tickets…`,
  );
  const batch = generateOrganisation(profiles[profile], { tickets, now });
  // A demo account is rebuilt from scratch each run, so its figures never mix with older runs.
  await store.db.query(`DELETE FROM accounts WHERE name = $1 AND connector = 'records'`, [name]);
  const { account } = await importRecords(store, name, batch, 'demo');
  ctx.io.err(
    `demo: stored ${tickets} tickets in ${ctx.config.DATABASE_URL ? 'PostgreSQL' : ctx.config.dbDir}; computing the snapshot…`,
  );
  const body = await takeSnapshot(store, account, { rules, now });
  ctx.io.out(flags.json ? JSON.stringify(body, null, 2) : renderMarkdown(body));
}
