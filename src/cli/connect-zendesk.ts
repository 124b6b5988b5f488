import { zendesk } from '../../connectors/zendesk/index.js';
import { inputError } from '../errors.js';
import { connectAccount } from '../jobs/connect-account.js';
import type { CliContext } from './context.js';

export interface ConnectZendeskFlags {
  name: string;
  subdomain: string;
  email?: string;
  token?: string;
  oauthToken?: string;
  baseUrl?: string;
  planField?: string;
  planTags?: string;
  knowledgeTags?: string;
  since?: string;
  update?: boolean;
}

const list = (s: string | undefined) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * `maturity connect zendesk`: checks the credentials with one call (users/me) and stores the
 * account only when they work, with the token sealed. Never prints a secret.
 */
export async function connectZendeskCommand(
  ctx: CliContext,
  flags: ConnectZendeskFlags,
): Promise<void> {
  if (flags.oauthToken && (flags.email || flags.token))
    throw inputError('give either --email and --token, or --oauth-token, not both');
  if (!flags.oauthToken && !(flags.email && flags.token))
    throw inputError('--email and --token are required (or --oauth-token)');
  const store = await ctx.openStore();
  const planTags = list(flags.planTags);
  const knowledgeTags = list(flags.knowledgeTags);
  const { account, identity } = await connectAccount(store, zendesk, {
    name: flags.name,
    config: {
      subdomain: flags.subdomain,
      ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
      ...(flags.planField ? { planField: flags.planField } : {}),
      ...(planTags?.length ? { planTags } : {}),
      ...(knowledgeTags?.length ? { knowledgeTags } : {}),
      ...(flags.since ? { since: flags.since } : {}),
    },
    secret: flags.oauthToken
      ? { oauthToken: flags.oauthToken }
      : { email: flags.email, token: flags.token },
    box: ctx.secretBox(),
    ...(flags.update ? { update: true } : {}),
  });
  const scheduled = await ctx.scheduleNewAccount(account.name);
  ctx.io.out(
    `connected "${account.name}" as ${identity}; next: maturity sync ${account.name}${scheduled}`,
  );
}
