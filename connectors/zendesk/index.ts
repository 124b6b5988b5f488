import { defineConnector } from '../shared/define-connector.js';
import { checkConnection, createZendeskClient } from './client.js';
import { ZendeskConfig, ZendeskSecret, zendeskConfig } from './config.js';
import { agents } from './streams/agents.js';
import { automations } from './streams/automations.js';
import { groups } from './streams/groups.js';
import { kbArticles } from './streams/kb-articles.js';
import { organisations } from './streams/organisations.js';
import { satisfactionRatings } from './streams/satisfaction-ratings.js';
import { slaOutcomes } from './streams/sla-outcomes.js';
import { slaPolicies } from './streams/sla-policies.js';
import { tickets } from './streams/tickets.js';

/** Zendesk Support (and its Help Center): tickets, SLAs, organisations and plans, people, rules. */
export const zendesk = defineConnector<ZendeskConfig, ZendeskSecret>({
  id: 'zendesk',
  configSchema: ZendeskConfig,
  configSchemaFor: zendeskConfig,
  secretSchema: ZendeskSecret,
  createClient: createZendeskClient,
  testConnection: checkConnection,
  streams: [
    groups,
    agents,
    slaPolicies,
    organisations,
    automations,
    kbArticles,
    tickets,
    slaOutcomes,
    satisfactionRatings,
  ],
});

export default zendesk;
