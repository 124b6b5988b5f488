import { defineConnector } from '../shared/define-connector.js';
import { checkConnection, createJsmClient } from './client.js';
import { JsmConfig, JsmSecret, jsmConfig } from './config.js';
import { agents } from './streams/agents.js';
import { groups } from './streams/groups.js';
import { organisations } from './streams/organisations.js';
import { satisfactionRatings } from './streams/satisfaction-ratings.js';
import { serviceDeskSetup } from './streams/service-desks.js';
import { slaPolicies } from './streams/sla-policies.js';
import { tickets } from './streams/tickets.js';

/**
 * Jira Service Management (Cloud): the service projects' issues as tickets with their SLA
 * outcomes, SLA policies derived from the goals, request types and queues, organisations, the
 * licensed agents, the teams and request feedback.
 */
export const jsm = defineConnector<JsmConfig, JsmSecret>({
  id: 'jsm',
  configSchema: JsmConfig,
  configSchemaFor: jsmConfig,
  secretSchema: JsmSecret,
  createClient: createJsmClient,
  testConnection: checkConnection,
  streams: [
    agents,
    organisations,
    serviceDeskSetup,
    slaPolicies,
    groups,
    tickets,
    satisfactionRatings,
  ],
});

export default jsm;
