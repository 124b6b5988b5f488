import { MaturityError } from '../errors.js';
import { syncAccount } from '../jobs/sync-account.js';
import type { CliContext } from './context.js';
import { syncProgressReporter } from './progress.js';

export async function syncCommand(ctx: CliContext, accountName: string): Promise<void> {
  const store = await ctx.openStore();
  const account = await store.getAccount(accountName);
  const progress = syncProgressReporter(ctx.io);
  let outcomes;
  try {
    outcomes = await syncAccount(store, account, {
      box: ctx.secretBox(),
      onProgress: progress.onProgress,
      onWait: progress.onWait,
      onBusy: (stream) =>
        ctx.io.err(
          `sync ${stream}: another sync of "${accountName}" is fetching this stream; waiting for it to finish, then fetching only what changed since`,
        ),
    });
  } finally {
    progress.stop();
  }
  const failed = outcomes.filter((o) => !o.ok);
  const records = outcomes.reduce((n, o) => n + o.records, 0);
  const quarantined = outcomes.reduce((n, o) => n + o.quarantined, 0);
  const removed = outcomes.reduce((n, o) => n + (o.removed ?? 0), 0);
  ctx.io.out(
    `synced "${accountName}": ${records} records from ${outcomes.length - failed.length}/${outcomes.length} streams` +
      (removed ? `, ${removed} deleted at the source and removed` : '') +
      (quarantined ? `, ${quarantined} invalid records quarantined` : ''),
  );
  for (const o of outcomes) {
    if (o.unavailable) ctx.io.err(`missing evidence: ${o.stream}: ${o.unavailable}`);
    for (const w of o.warnings ?? []) ctx.io.err(`warning: ${o.stream}: ${w}`);
  }
  if (failed.length) {
    throw new MaturityError(
      'E_CONNECTOR_UNAVAILABLE',
      `${failed.length} stream(s) failed: ${failed.map((f) => `${f.stream} (${f.error?.message})`).join('; ')}; run sync again to resume`,
    );
  }
}
