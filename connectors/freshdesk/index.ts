import { defineConnector } from '../shared/define-connector.js';
import { checkConnection, createFreshdeskClient } from './client.js';
import { FreshdeskConfig, FreshdeskSecret, freshdeskConfig } from './config.js';
import { agents } from './streams/agents.js';
import { automations } from './streams/automations.js';
import { groups } from './streams/groups.js';
import { kbArticles } from './streams/kb-articles.js';
import { organisations } from './streams/organisations.js';
import { satisfactionRatings } from './streams/satisfaction-ratings.js';
import { slaPolicies } from './streams/sla-policies.js';
import { tickets } from './streams/tickets.js';

/** Freshdesk (API v2): tickets with their stats and SLA outcomes, policies, companies and plans,
 * people, automation rules, the knowledge base and satisfaction ratings. */
export const freshdesk = defineConnector<FreshdeskConfig, FreshdeskSecret>({
  id: 'freshdesk',
  configSchema: FreshdeskConfig,
  configSchemaFor: freshdeskConfig,
  secretSchema: FreshdeskSecret,
  createClient: createFreshdeskClient,
  testConnection: checkConnection,
  streams: [
    groups,
    agents,
    slaPolicies,
    organisations,
    automations,
    kbArticles,
    tickets,
    satisfactionRatings,
  ],
});

export default freshdesk;
