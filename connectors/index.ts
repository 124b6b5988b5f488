import type { ConnectorDefinition } from './shared/define-connector.js';

/** Every connector the product ships: adding one is one folder plus one line here. */
export const connectors: ConnectorDefinition<never, never>[] = [];

export const findConnector = (id: string) => connectors.find((c) => c.id === id);
