import { z } from 'zod';
import { ROLES, checkTokenName, createApiToken, revokeApiToken } from '../server/api-tokens.js';
import type { CliContext } from './context.js';
import { oneOf, parseFlags } from './flags.js';

export const TokensCreateFlags = z.object({ role: oneOf(ROLES) });
export const TokensListFlags = z.object({
  json: z.boolean().default(false),
  /** Revoked tokens too (their rows stay, for the audit trail). */
  all: z.boolean().default(false),
});

/**
 * `maturity tokens create NAME --role R`: a new API token for `maturity serve`, printed once on
 * stdout (only its hash is stored; lost, it is revoked and made again). Its name is who the audit
 * trail says acted.
 */
export async function tokensCreateCommand(
  ctx: CliContext,
  name: string,
  rawFlags: unknown,
): Promise<void> {
  const { role } = parseFlags(TokensCreateFlags, rawFlags);
  checkTokenName(name);
  const store = await ctx.openStore();
  const { token } = await createApiToken(store, name, role, 'cli');
  ctx.io.err(
    `created ${role} token "${name}"; it is shown once, below: keep it in a secret store (send it as "Authorization: Bearer <token>")`,
  );
  ctx.io.out(token);
}

export async function tokensListCommand(ctx: CliContext, rawFlags: unknown): Promise<void> {
  const flags = parseFlags(TokensListFlags, rawFlags);
  const store = await ctx.openStore();
  const rows = await store.listApiTokens({ includeRevoked: flags.all });
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const list = rows.map((t) => ({
    name: t.name,
    role: t.role,
    createdAt: iso(t.createdAt),
    lastUsedAt: iso(t.lastUsedAt),
    ...(t.revokedAt ? { revokedAt: iso(t.revokedAt) } : {}),
  }));
  if (flags.json) return ctx.io.out(JSON.stringify(list));
  const envNote = ctx.config.MATURITY_API_TOKEN
    ? '; MATURITY_API_TOKEN is set too (an admin named "env")'
    : '';
  if (!list.length) return ctx.io.out(`no API tokens yet${envNote}`);
  for (const t of list)
    ctx.io.out(
      `${t.name}\t${t.role}\tcreated ${t.createdAt?.slice(0, 16)}\t${t.revokedAt ? `revoked ${t.revokedAt.slice(0, 16)}` : t.lastUsedAt ? `last used ${t.lastUsedAt.slice(0, 16)}` : 'never used'}`,
    );
  if (envNote) ctx.io.err(envNote.slice(2));
}

export async function tokensRevokeCommand(ctx: CliContext, name: string): Promise<void> {
  const store = await ctx.openStore();
  await revokeApiToken(store, name);
  ctx.io.out(`revoked token "${name}": requests carrying it are refused from now on`);
}
