import type { Command } from 'commander';
import { connectors, type ConnectorEntry } from '../../connectors/index.js';
import {
  commonOptions,
  flagSpec,
  type CliOptions,
  type RawFlags,
} from '../../connectors/shared/connector-cli.js';
import type { AnyConnector } from '../../connectors/shared/define-connector.js';
import type { CliContext } from './context.js';

/** What `maturity connect <tool>` hands on once the flags are read. */
export interface ConnectRequest {
  connector: AnyConnector;
  name: string;
  update: boolean;
  /** The raw settings and credentials, for the connector's schemas to parse. */
  config: unknown;
  secret: unknown;
}

export interface ConnectCommandOptions {
  context: () => Promise<CliContext>;
  /** The command line: connector modules load only when it names `connect`. */
  argv: readonly string[];
  registry?: readonly ConnectorEntry[];
  /** Checks the credentials and stores the account (replaced in tests). */
  connect?: (ctx: CliContext, request: ConnectRequest) => Promise<void>;
}

/**
 * `maturity connect <tool>`: one subcommand per connector of the registry, built from the
 * connector's own `cli` (its cli.ts): its flags with their help, and how their values become
 * the settings and credentials its schemas parse. `--name` comes first and `--update` last for
 * every connector. A command line that does not name `connect` loads no connector module, so
 * `maturity --help` and the other commands start as fast as before.
 */
export async function addConnectCommand(program: Command, o: ConnectCommandOptions): Promise<void> {
  const connect = program
    .command('connect')
    .description(
      'connect a helpdesk account (the credentials are checked before anything is stored)',
    );
  if (!o.argv.slice(2).includes('connect')) return;
  const registry = o.registry ?? connectors;
  const clis = await Promise.all(registry.map(async (entry) => (await entry.cli()).cli));
  registry.forEach((entry, i) => {
    const cli = clis[i]!;
    const sub = connect.command(entry.id).description(cli.description);
    declare(sub, { name: commonOptions.name, ...cli.options, update: commonOptions.update });
    sub.action(async (flags: RawFlags) => {
      const { name, update, ...rest } = flags;
      const { config, secret } = cli.input(rest);
      const connector = (await entry.load()).default;
      await (o.connect ?? connectAccountCommand)(await o.context(), {
        connector,
        name: String(name),
        update: update === true,
        config,
        secret,
      });
    });
  });
}

function declare(sub: Command, options: CliOptions): void {
  for (const [key, option] of Object.entries(options)) {
    if (option.required) sub.requiredOption(flagSpec(key, option), option.help);
    else sub.option(flagSpec(key, option), option.help);
  }
}

/**
 * Checks the credentials with the connector's one cheap call and stores the account only when
 * they work, with its secret sealed. Never prints a secret.
 */
async function connectAccountCommand(ctx: CliContext, r: ConnectRequest): Promise<void> {
  const store = await ctx.openStore();
  const { connectAccount } = await import('../jobs/connect-account.js');
  const { account, identity } = await connectAccount(store, r.connector, {
    name: r.name,
    config: r.config,
    secret: r.secret,
    box: ctx.secretBox(),
    ...(r.update ? { update: true } : {}),
  });
  const scheduled = await ctx.scheduleNewAccount(account.name);
  ctx.io.out(
    `connected "${account.name}" as ${identity}; next: maturity sync ${account.name}${scheduled}`,
  );
}
