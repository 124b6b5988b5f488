import { z } from 'zod';
import { MaturityError } from '../errors.js';
import type { CliContext } from './context.js';
import { parseFlags } from './flags.js';

/** The flags of `accounts list` and `accounts show`. */
export const AccountsFlags = z.object({ json: z.boolean().default(false) });
export type AccountsFlags = z.infer<typeof AccountsFlags>;

export async function accountsListCommand(ctx: CliContext, rawFlags: unknown): Promise<void> {
  const flags = parseFlags(AccountsFlags, rawFlags);
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

export async function accountsShowCommand(
  ctx: CliContext,
  name: string,
  rawFlags: unknown,
): Promise<void> {
  const flags = parseFlags(AccountsFlags, rawFlags);
  const store = await ctx.openStore();
  const a = await store.getAccount(name);
  const counts = await store.countRecords(a.id);
  const streams = await store.streamsSynced(a.id);
  const quarantined = await store.countQuarantined(a.id);
  const snaps = await store.listSnapshots(a.id);
  const sched = await store.schedule(a.id);
  const info = {
    name: a.name,
    connector: a.connector,
    status: a.status,
    ...(a.statusDetail ? { statusDetail: a.statusDetail } : {}),
    // Settings only: credentials are stored sealed and never shown.
    config: a.config,
    credentials: (await store.accountSecret(a.id)) ? 'stored (encrypted)' : 'none',
    records: counts,
    quarantined,
    lastSync: Object.fromEntries(streams.map((s) => [s.stream, s.updatedAt.toISOString()])),
    snapshots: snaps.length,
    lastSnapshot: snaps.at(-1) ? new Date(snaps.at(-1)!.asOf).toISOString() : null,
    schedule: sched ? (sched.enabled ? `${sched.cron} (${sched.tz})` : 'off') : 'none',
  };
  if (flags.json) {
    ctx.io.out(JSON.stringify(info, null, 2));
    return;
  }
  ctx.io.out(
    [
      `account     ${info.name} (${info.connector})`,
      `status      ${info.status}${info.statusDetail ? `: ${info.statusDetail}` : ''}`,
      `settings    ${JSON.stringify(info.config)}`,
      `credentials ${info.credentials}`,
      `records     ${
        Object.entries(counts)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ') || 'none'
      }`,
      `quarantined ${info.quarantined}`,
      `snapshots   ${info.snapshots}${info.lastSnapshot ? ` (latest as of ${info.lastSnapshot})` : ''}`,
      `schedule    ${info.schedule}`,
    ].join('\n'),
  );
}

/** Removes one account with its records, snapshots and schedule; other accounts are untouched. */
export async function accountsRemoveCommand(ctx: CliContext, name: string): Promise<void> {
  const store = await ctx.openStore();
  const a = await store.getAccount(name);
  if (ctx.config.REDIS_URL && ctx.config.DATABASE_URL) {
    const { QUEUES, checkRedis, queue } = await import('../jobs/queues.js');
    const { schedulerId } = await import('../jobs/schedules.js');
    const setup = ctx.queueSetup();
    await checkRedis(setup);
    const q = queue(setup, QUEUES.trigger);
    try {
      await q.removeJobScheduler(schedulerId(a.id));
    } finally {
      await q.close();
    }
  }
  await store.removeAccount(a.name);
  ctx.io.out(`removed "${name}" with its records, snapshots and schedule`);
}

/**
 * Re-seals every stored credential under the current MATURITY_SECRET. The previous key comes from
 * MATURITY_SECRET_PREVIOUS (or the generated key file when there was no MATURITY_SECRET before).
 */
export async function accountsRotateKeyCommand(
  ctx: CliContext,
  env: Record<string, string | undefined>,
): Promise<void> {
  const { SecretBox, secretBoxFor } = await import('../store/secrets.js');
  if (!ctx.config.MATURITY_SECRET) {
    throw new MaturityError(
      'E_CONFIG',
      'set MATURITY_SECRET to the new key (and MATURITY_SECRET_PREVIOUS to the old one) before rotating',
    );
  }
  const next = new SecretBox(ctx.config.MATURITY_SECRET);
  const previous = env.MATURITY_SECRET_PREVIOUS
    ? new SecretBox(env.MATURITY_SECRET_PREVIOUS)
    : secretBoxFor(undefined, ctx.config.MATURITY_HOME);
  const store = await ctx.openStore();
  const rows = await store.sealedSecrets();
  let rotated = 0;
  await store.transaction(async (tx) => {
    for (const r of rows) {
      const keyId = r.secret.split(':')[1];
      if (keyId === next.keyId) continue;
      if (keyId !== previous.keyId) {
        throw new MaturityError(
          'E_CONFIG',
          `the credentials of "${r.name}" were sealed with key ${keyId}, neither the new nor the previous key; nothing was changed`,
        );
      }
      await tx.setAccountSecret(r.id, next.seal(previous.open(r.secret)));
      rotated++;
    }
  });
  ctx.io.out(`re-sealed ${rotated} of ${rows.length} stored credentials under key ${next.keyId}`);
}
