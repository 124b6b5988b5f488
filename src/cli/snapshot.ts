import { takeSnapshot } from '../jobs/take-snapshot.js';
import { renderMarkdown } from '../report/render-markdown.js';
import type { CliContext } from './context.js';

export interface SnapshotFlags {
  asOf?: string;
  window?: string;
  json?: boolean;
  rules?: string;
}

export async function snapshotCommand(
  ctx: CliContext,
  accountName: string,
  flags: SnapshotFlags,
): Promise<void> {
  const rules = ctx.rules(flags.rules);
  const store = await ctx.openStore();
  const account = await store.getAccount(accountName);
  const body = await takeSnapshot(store, account, {
    asOf: flags.asOf,
    window: flags.window,
    rules,
  });
  ctx.io.out(flags.json ? JSON.stringify(body, null, 2) : renderMarkdown(body));
}
