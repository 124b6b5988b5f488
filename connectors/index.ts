import type { ConnectorDefinition } from './shared/define-connector.js';
import { servicenow } from './servicenow/index.js';
import { zendesk } from './zendesk/index.js';

/** Every connector the product ships: adding one is one folder plus one line here. */
export const connectors: ConnectorDefinition<never, never>[] = [
  zendesk as unknown as ConnectorDefinition<never, never>,
  servicenow as unknown as ConnectorDefinition<never, never>,
];

export const findConnector = (id: string) => connectors.find((c) => c.id === id);
