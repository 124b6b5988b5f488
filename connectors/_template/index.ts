import { defineConnector } from '../shared/define-connector.js';
import { checkConnection, createTemplateClient } from './client.js';
import { TemplateConfig, TemplateSecret, templateConfig } from './config.js';
import { tickets } from './streams/tickets.js';

/** A connector to copy: `cp -r connectors/_template connectors/<id>`, then README.md. */
export const template = defineConnector<TemplateConfig, TemplateSecret>({
  id: 'template',
  configSchema: TemplateConfig,
  configSchemaFor: templateConfig,
  secretSchema: TemplateSecret,
  createClient: createTemplateClient,
  testConnection: checkConnection,
  streams: [tickets],
});

export default template;
