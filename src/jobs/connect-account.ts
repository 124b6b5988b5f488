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
  checkAccountName(o.name);
  const config = parseOrExplain(connector.configSchema, o.config);
  const secret = parseOrExplain(connector.secretSchema, o.secret);
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
