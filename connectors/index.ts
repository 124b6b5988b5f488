import type { ConnectorDefinition } from './shared/define-connector.js';
import { servicenow } from './servicenow/index.js';
import { zendesk } from './zendesk/index.js';

/**
 * Any connector, whatever its settings and credentials types: the registry parses both with the
 * connector's own schemas before handing them back to that connector, so they always match.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConnector = ConnectorDefinition<any, any>;

/** Every connector the product ships: adding one is one folder plus one line here. */
export const connectors: AnyConnector[] = [zendesk, servicenow];

export const findConnector = (id: string): AnyConnector | undefined =>
  connectors.find((c) => c.id === id);
