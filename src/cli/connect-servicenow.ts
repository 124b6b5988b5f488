import { servicenow } from '../../connectors/servicenow/index.js';
import { inputError } from '../errors.js';
import { connectAccount } from '../jobs/connect-account.js';
import type { CliContext } from './context.js';

export interface ConnectServiceNowFlags {
  name: string;
  instance: string;
  user?: string;
  password?: string;
  oauthToken?: string;
  baseUrl?: string;
  update?: boolean;
}

/**
 * `maturity connect servicenow`: checks the instance URL and the credentials with one Table API
 * call (one incident, one field) and stores the account only when it works, with the password
 * or token sealed. Never prints a secret.
 */
export async function connectServiceNowCommand(
  ctx: CliContext,
  flags: ConnectServiceNowFlags,
): Promise<void> {
  if (flags.oauthToken && (flags.user || flags.password))
    throw inputError('give either --user and --password, or --oauth-token, not both');
  if (!flags.oauthToken && !(flags.user && flags.password))
    throw inputError('--user and --password are required (or --oauth-token)');
  const store = await ctx.openStore();
  const { account, identity } = await connectAccount(store, servicenow, {
    name: flags.name,
    config: {
      instance: flags.instance,
      ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
      ...(flags.user ? { user: flags.user } : {}),
    },
    secret: flags.oauthToken ? { oauthToken: flags.oauthToken } : { password: flags.password },
    box: ctx.secretBox(),
    ...(flags.update ? { update: true } : {}),
  });
  const scheduled = await ctx.scheduleNewAccount(account.name);
  ctx.io.out(
    `connected "${account.name}" as ${identity}; next: maturity sync ${account.name}${scheduled}`,
  );
}
