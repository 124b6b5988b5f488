import type { AddressPolicy } from '../../connectors/shared/check-address.js';
import type { ConnectorDefinition } from '../../connectors/shared/define-connector.js';
import type { HttpClientOptions } from '../../connectors/shared/http-client.js';
import { checkAccountName } from '../domain/account-name.js';
import { MaturityError, inputError, zodSentence } from '../errors.js';
import type { SecretBox } from '../store/secrets.js';
import type { Account, Store } from '../store/store.js';

export interface ConnectOptions {
  name: string;
  /** Raw settings and credentials, validated here with the connector's schemas. */
  config: unknown;
  secret: unknown;
  box: SecretBox;
  /** Replace the credentials/config of an existing account. */
  update?: boolean;
  clientOptions?: Partial<HttpClientOptions>;
  /**
   * Which hosts the settings may name (connectors/shared/check-address.ts). Link-local and cloud
   * metadata addresses are refused whatever it says. Default: the command line's
   * (`cliAddresses`: an operator's own private and loopback hosts allowed). An account created
   * through the HTTP API must pass `{ allowPrivate: false }` unless the operator enables private
   * addresses, so an API user cannot make the server call into its own network.
   */
  addresses?: AddressPolicy;
}

/**
 * Validates settings, makes one cheap authenticated call, and only then stores the account with
 * its credentials sealed. Nothing is stored when any step fails.
 */
export async function connectAccount<C, S>(
  store: Store,
  connector: ConnectorDefinition<C, S>,
  o: ConnectOptions,
): Promise<{ account: Account; identity: string }> {
  const { config, secret } = parseConnectInput(connector, o);
  const existing = await store.findAccount(o.name);
  if (existing && !o.update) {
    throw inputError(
      `account "${o.name}" already exists; pass --update to change its settings or credentials`,
    );
  }
  if (existing && existing.connector !== connector.id) {
    throw inputError(`account "${o.name}" is a ${existing.connector} account, not ${connector.id}`);
  }
  const client = connector.createClient(config, secret, o.clientOptions);
  const { identity } = await connector.testConnection(client, config);
  const account = await store.saveConnectedAccount(
    o.name,
    connector.id,
    config,
    o.box.seal(secret),
  );
  const stored = await store.getAccount(o.name);
  return { account: { ...stored, id: account }, identity };
}

/**
 * The account name, settings and credentials, checked with the connector's schemas (under the
 * address policy): E_INPUT naming the flag at the first problem. Touches nothing, so a command
 * can check its input before it opens the store.
 */
export function parseConnectInput<C, S>(
  connector: ConnectorDefinition<C, S>,
  o: Pick<ConnectOptions, 'name' | 'config' | 'secret' | 'addresses'>,
): { config: C; secret: S } {
  checkAccountName(o.name);
  const config = parseOrExplain(
    o.addresses ? connector.configSchemaFor(o.addresses) : connector.configSchema,
    o.config,
  );
  const secret = parseOrExplain(connector.secretSchema, o.secret);
  return { config, secret };
}

function parseOrExplain<T>(
  schema: {
    safeParse(
      x: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  raw: unknown,
): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new MaturityError(
    'E_INPUT',
    zodSentence(r.error, {
      top: 'input',
      label: (p) => `--${String(p[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    }),
  );
}
