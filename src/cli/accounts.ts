import type { CliContext } from './context.js';

export async function accountsListCommand(
  ctx: CliContext,
  flags: { json?: boolean },
): Promise<void> {
  const store = await ctx.openStore();
  const accounts = await store.listAccounts();
  if (flags.json) {
    ctx.io.out(
      JSON.stringify(
        accounts.map(({ name, connector, status, createdAt }) => ({
          name,
          connector,
          status,
          createdAt,
        })),
      ),
    );
    return;
  }
  if (!accounts.length) {
    ctx.io.out(
      'no accounts yet (try: maturity demo, or maturity import records FILE.json --name N)',
    );
    return;
  }
  for (const a of accounts) ctx.io.out(`${a.name}\t${a.connector}\t${a.status}`);
}
