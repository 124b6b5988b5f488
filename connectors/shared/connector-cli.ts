/**
 * How a connector describes its `maturity connect <id>` command: its flags with their help, and
 * how their values become the raw settings and credentials that its config and secret schemas
 * then parse (src/cli/connect.ts builds the command; connect-account parses and checks).
 * `--name` and `--update` are every connector's and come first and last.
 */
export interface CliOption {
  /** Help text of the flag. */
  help: string;
  /** The value's placeholder (`--subdomain <subdomain>`); a flag without one is a switch. */
  arg?: string;
  required?: boolean;
  /**
   * A credential (`--token`, `--password`, `--oauth-token`, `--api-key`…). `maturity connect`
   * then also reads it, since `ps` shows every flag, from `--<flag>-file PATH`, from
   * `--<flag>-stdin`, or from the environment (`MATURITY_<CONNECTOR>_<FLAG>`, secretEnvName),
   * and never prints it. A required one is required from any of these sources.
   */
  secret?: boolean;
  /**
   * Names a host the connector will call (`--base-url`, `--instance`, `--subdomain`…): its
   * setting goes through the shared address check (check-address.ts, through `addressUrl` in
   * the config schema). Declared here so the contract test can try the refused spellings on it.
   */
  address?: boolean;
}

/** A connector's flags, keyed by the property commander gives them (`--base-url` → `baseUrl`). */
export type CliOptions = Record<string, CliOption>;

/** The values commander gives for these flags: strings, `true` for a switch, absent when not given. */
export type CliFlags<O extends CliOptions> = {
  [K in keyof O]: O[K] extends { arg: string }
    ? O[K] extends { required: true }
      ? string
      : string | undefined
    : boolean | undefined;
};

export type RawFlags = Record<string, string | boolean | undefined>;

export interface ConnectorCli {
  /** One line for `maturity connect --help`. */
  description: string;
  options: CliOptions;
  /**
   * Flag values ► the raw settings and credentials the connector's schemas parse. Throws an
   * E_INPUT MaturityError for a combination of flags that cannot work.
   */
  input(flags: RawFlags): { config: unknown; secret: unknown };
  /** The flags of one working `maturity connect` (without `--name`): docs and the contract test. */
  example: string[];
}

/** The flags every connector has, handled by `maturity connect` itself. */
export const commonOptions = {
  name: {
    help: 'a name for the account (letters, digits, ".", "_", "-")',
    arg: 'account',
    required: true,
  },
  update: { help: 'replace the settings or credentials of an existing account' },
} as const satisfies CliOptions;

/**
 * The environment variable a connector's secret flag may come from:
 * (`zendesk`, `oauthToken`) ► `MATURITY_ZENDESK_OAUTH_TOKEN`.
 */
export const secretEnvName = (connector: string, key: string): string =>
  `MATURITY_${connector}_${key.replace(/[A-Z]/g, (c) => `_${c}`)}`
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_');

/** `baseUrl` ► `--base-url`: the flag commander reads into that property. */
export const flagOf = (key: string): string =>
  `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** `--base-url <url>`, `--update`: the flag as commander declares it. */
export const flagSpec = (key: string, o: CliOption): string =>
  o.arg ? `${flagOf(key)} <${o.arg}>` : flagOf(key);

/** Types a connector's `input` by its own options. */
export function defineCli<const O extends CliOptions>(cli: {
  description: string;
  options: O;
  input(flags: CliFlags<O>): { config: unknown; secret: unknown };
  example: string[];
}): ConnectorCli {
  return cli as unknown as ConnectorCli;
}

/** `a, b,,c` ► `['a', 'b', 'c']`; undefined when nothing is left. */
export function commaList(s: string | undefined): string[] | undefined {
  const list = s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  return list?.length ? list : undefined;
}

/**
 * A connector's message as the HTTP API says it. Connectors word their messages for `maturity
 * connect` ("check --api-key"); through the API the same value is a field of the connect request,
 * so each of the connector's flags becomes that field (`credentials.apiKey`, `settings.domain`).
 * Where a flag's value goes is read from the connector's own `input`, one flag at a time.
 */
export function apiWording(message: string, cli: ConnectorCli): string {
  if (!message.includes('--')) return message;
  const required = Object.entries(cli.options).filter(([, o]) => o.required);
  let out = message;
  for (const [key, option] of Object.entries(cli.options)) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (!out.includes(flag)) continue;
    const field = fieldOf(cli, key, option, required) ?? `settings.${key}`;
    out = out.replace(new RegExp(`(?<![\\w-])${flag}(?![\\w-])`, 'g'), field);
  }
  return out;
}

/** Where `input` puts one flag's value: `settings.<key>` or `credentials.<key>`. */
function fieldOf(
  cli: ConnectorCli,
  key: string,
  option: CliOption,
  required: [string, CliOption][],
): string | undefined {
  const mark = `\u0000${key}`;
  const given = (o: CliOption, k: string) => (o.arg ? `\u0000${k}` : true);
  // The required flags and this one; with one more flag when that combination does not work
  // alone (--password needs --user).
  const tries: RawFlags[] = [undefined, ...Object.keys(cli.options)].map((other) => {
    const flags: RawFlags = {};
    for (const [k, o] of required) flags[k] = given(o, k);
    if (other && other !== key) flags[other] = given(cli.options[other]!, other);
    flags[key] = option.arg ? mark : true;
    return flags;
  });
  let placed: { config: unknown; secret: unknown } | undefined;
  for (const flags of tries) {
    try {
      placed = cli.input(flags);
      break;
    } catch {
      // try the next combination
    }
  }
  if (!placed) return undefined;
  const find = (v: unknown): string | undefined => {
    if (v === null || typeof v !== 'object') return undefined;
    for (const [k, x] of Object.entries(v)) if (x === mark || (!option.arg && k === key)) return k;
    return undefined;
  };
  const inSecret = find(placed.secret);
  if (inSecret) return `credentials.${inSecret}`;
  const inConfig = find(placed.config);
  return inConfig ? `settings.${inConfig}` : undefined;
}
