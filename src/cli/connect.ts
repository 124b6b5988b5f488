import { open } from 'node:fs/promises';
import type { Command } from 'commander';
import { connectors, type ConnectorEntry } from '../../connectors/index.js';
import {
  commonOptions,
  flagOf,
  flagSpec,
  secretEnvName,
  type CliOption,
  type CliOptions,
  type RawFlags,
} from '../../connectors/shared/connector-cli.js';
import type { AnyConnector } from '../../connectors/shared/define-connector.js';
import { MaturityError, inputError } from '../errors.js';
import type { CliContext } from './context.js';

/** What `maturity connect <tool>` hands on once the flags are read. */
export interface ConnectRequest {
  connector: AnyConnector;
  name: string;
  update: boolean;
  /** The raw settings and credentials, for the connector's schemas to parse. */
  config: unknown;
  secret: unknown;
  /** Said after a successful connect (a secret typed on the command line). */
  warnings?: string[];
}

export interface ConnectCommandOptions {
  context: () => Promise<CliContext>;
  /** The command line: connector modules load only when it names `connect`. */
  argv: readonly string[];
  registry?: readonly ConnectorEntry[];
  /** Checks the credentials and stores the account (replaced in tests). */
  connect?: (ctx: CliContext, request: ConnectRequest) => Promise<void>;
  /** Where `MATURITY_<CONNECTOR>_<FLAG>` secrets are read (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Reads standard input whole, for `--<secret>-stdin` (default: process.stdin). */
  readStdin?: () => Promise<string>;
}

/**
 * `maturity connect <tool>`: one subcommand per connector of the registry, built from the
 * connector's own `cli` (its cli.ts): its flags with their help, and how their values become
 * the settings and credentials its schemas parse. `--name` comes first and `--update` last for
 * every connector. A command line that does not name `connect` loads no connector module, so
 * `maturity --help` and the other commands start as fast as before.
 *
 * Every secret flag (`secret: true`: `--token`, `--password`…) may also be given as
 * `--<flag>-file PATH`, `--<flag>-stdin`, or in the environment (`MATURITY_ZENDESK_TOKEN`), so
 * it need not appear in `ps`; see readSecrets.
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
    declare(sub, entry.id, {
      name: commonOptions.name,
      ...cli.options,
      update: commonOptions.update,
    });
    sub.action(async (flags: RawFlags) => {
      const { name, update, ...rest } = flags;
      const read = await readSecrets(entry.id, cli.options, rest, {
        env: o.env ?? process.env,
        readStdin: o.readStdin ?? readProcessStdin,
      });
      let input: { config: unknown; secret: unknown };
      try {
        input = cli.input(read.flags);
      } catch (err) {
        // Credentials the user did not type: say where they came from.
        if (err instanceof MaturityError && read.fromEnv.length)
          throw inputError(`${err.message} (from the environment: ${read.fromEnv.join(', ')})`);
        throw err;
      }
      const connector = (await entry.load()).default;
      await (o.connect ?? connectAccountCommand)(await o.context(), {
        connector,
        name: String(name),
        update: update === true,
        config: input.config,
        secret: input.secret,
        ...(read.warnings.length ? { warnings: read.warnings } : {}),
      });
    });
  });
}

/** The flags a secret option also gets: `--token-file <path>`, `--token-stdin`. */
const fileKey = (key: string) => `${key}File`;
const stdinKey = (key: string) => `${key}Stdin`;

/** Where else a secret flag may come from, for its help and messages. */
const otherSources = (id: string, key: string) =>
  `${flagOf(fileKey(key))}, ${flagOf(stdinKey(key))} or ${secretEnvName(id, key)}`;

function declare(sub: Command, id: string, options: CliOptions): void {
  for (const [key, option] of Object.entries(options)) {
    if (option.secret) {
      sub.option(flagSpec(key, option), `${option.help} (or ${otherSources(id, key)})`);
      sub.option(`${flagOf(fileKey(key))} <path>`, `read ${flagOf(key)} from a file`);
      sub.option(flagOf(stdinKey(key)), `read ${flagOf(key)} from standard input`);
    } else if (option.required) sub.requiredOption(flagSpec(key, option), option.help);
    else sub.option(flagSpec(key, option), option.help);
  }
}

/** Largest secret file or standard input read (a token or password is far smaller). */
const MAX_SECRET_BYTES = 64 * 1024;

/**
 * The connector's flags with every secret filled in from where it was given: the flag itself,
 * `--<flag>-file PATH` (the file's content), `--<flag>-stdin` (standard input, for one secret at
 * most), or, when the command line gives no secret at all, the environment
 * (`MATURITY_<CONNECTOR>_<FLAG>`: a value set there for one kind of credential does not clash
 * with another typed on the command line). A final newline of a file or standard input is
 * dropped. Two sources for one secret, an empty or unreadable one, or a required secret given
 * nowhere: E_INPUT naming the flag, before anything is opened or stored. Never repeats a secret.
 */
export async function readSecrets(
  id: string,
  options: CliOptions,
  raw: RawFlags,
  io: { env: Record<string, string | undefined>; readStdin: () => Promise<string> },
): Promise<{ flags: RawFlags; fromEnv: string[]; warnings: string[] }> {
  const secrets = Object.entries(options).filter(([, o]) => o.secret);
  const flags: RawFlags = { ...raw };
  for (const [key] of secrets) {
    delete flags[fileKey(key)];
    delete flags[stdinKey(key)];
  }
  const stdin = secrets.filter(([key]) => raw[stdinKey(key)] === true);
  if (stdin.length > 1)
    throw inputError(
      `only one secret can come from standard input (got ${stdin.map(([k]) => flagOf(stdinKey(k))).join(' and ')})`,
    );
  const warnings: string[] = [];
  let fromCommandLine = false;
  for (const [key] of secrets) {
    const given = [key, fileKey(key), stdinKey(key)].filter((k) => raw[k] !== undefined);
    if (given.length > 1)
      throw inputError(`give ${flagOf(key)} once (got ${given.map(flagOf).join(' and ')})`);
    if (!given.length) continue;
    fromCommandLine = true;
    const file = raw[fileKey(key)];
    if (typeof file === 'string') flags[key] = await readSecretFile(flagOf(fileKey(key)), file);
    else if (raw[stdinKey(key)] === true) flags[key] = await readSecretStdin(key, io.readStdin);
    else
      warnings.push(
        `${flagOf(key)} on the command line can be read by other users of this machine (ps, shell history); next time use ${otherSources(id, key)}`,
      );
  }
  const fromEnv: string[] = [];
  if (!fromCommandLine) {
    for (const [key] of secrets) {
      const name = secretEnvName(id, key);
      const value = io.env[name];
      if (value === undefined || value === '') continue;
      flags[key] = value;
      fromEnv.push(name);
    }
  }
  for (const [key, option] of secrets as [string, CliOption][]) {
    if (option.required && flags[key] === undefined)
      throw inputError(`${flagOf(key)} is required (or ${otherSources(id, key)})`);
  }
  return { flags, fromEnv, warnings };
}

/** A secret file's content without its final newline. */
async function readSecretFile(flag: string, path: string): Promise<string> {
  let text: string;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_SECRET_BYTES + 1);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_SECRET_BYTES)
        throw inputError(`${flag}: ${path} is larger than 64 KiB, which no secret is`);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await file.close();
    }
  } catch (err) {
    if (err instanceof MaturityError) throw err;
    throw inputError(
      `${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const value = withoutFinalNewline(text);
  if (!value) throw inputError(`${flag}: ${path} is empty`);
  return value;
}

async function readSecretStdin(key: string, readStdin: () => Promise<string>): Promise<string> {
  const flag = flagOf(stdinKey(key));
  let text: string;
  try {
    text = await readStdin();
  } catch (err) {
    throw inputError(`${flag}: ${(err as Error).message}`);
  }
  const value = withoutFinalNewline(text);
  if (!value) throw inputError(`${flag}: standard input is empty`);
  if (value.length > MAX_SECRET_BYTES)
    throw inputError(`${flag}: standard input is larger than 64 KiB, which no secret is`);
  return value;
}

const withoutFinalNewline = (text: string) => text.replace(/\r?\n$/, '');

/** Standard input, whole; refused from a terminal, where typing would show the secret. */
async function readProcessStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new Error(
      'standard input is a terminal: pipe the secret in, e.g. printf %s "$TOKEN" | maturity connect …',
    );
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > MAX_SECRET_BYTES + 2) break;
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Checks the credentials with the connector's one cheap call and stores the account only when
 * they work, with its secret sealed. Never prints a secret.
 */
async function connectAccountCommand(ctx: CliContext, r: ConnectRequest): Promise<void> {
  const { connectAccount, parseConnectInput } = await import('../jobs/connect-account.js');
  // A bad flag stops the command before the store is opened.
  parseConnectInput(r.connector, r);
  const store = await ctx.openStore();
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
  for (const w of r.warnings ?? []) ctx.io.err(`warning: ${w}`);
}
