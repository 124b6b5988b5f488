import type { AnyConnector, ConnectorEntry } from './shared/define-connector.js';

export type { AnyConnector, ConnectorEntry } from './shared/define-connector.js';

/**
 * Every connector the product ships: adding one is one folder plus one line here. Entries load
 * nothing until asked: `cli` (cli.ts) for `maturity connect`, `load` (index.ts) to sync.
 */
// prettier-ignore
export const connectors: ConnectorEntry[] = [
  { id: 'zendesk', cli: () => import('./zendesk/cli.js'), load: () => import('./zendesk/index.js') },
  { id: 'servicenow', cli: () => import('./servicenow/cli.js'), load: () => import('./servicenow/index.js') },
  { id: 'freshdesk', cli: () => import('./freshdesk/cli.js'), load: () => import('./freshdesk/index.js') },
  { id: 'jsm', cli: () => import('./jsm/cli.js'), load: () => import('./jsm/index.js') },
];

/** The connector an account was made with (undefined: imported from files, or an unknown id). */
export async function loadConnector(
  id: string,
  registry: readonly ConnectorEntry[] = connectors,
): Promise<AnyConnector | undefined> {
  const entry = registry.find((c) => c.id === id);
  return entry ? loadEntry(entry) : undefined;
}

/** Every connector of the registry, loaded. */
export const loadConnectors = (
  registry: readonly ConnectorEntry[] = connectors,
): Promise<AnyConnector[]> => Promise.all(registry.map(loadEntry));

async function loadEntry(entry: ConnectorEntry): Promise<AnyConnector> {
  const connector = (await entry.load()).default;
  // A registry line pointing at the wrong folder: a programming error.
  if (connector.id !== entry.id)
    throw new Error(`connector ${entry.id}: its index.ts defines connector "${connector.id}"`);
  return connector;
}
