import { MaturityError } from '../../src/errors.js';
import { defineConnector } from '../shared/define-connector.js';
import { HttpClient } from '../shared/http-client.js';
import { budgets, ZendeskApi } from './client.js';
import { authHeader, ZendeskConfig, ZendeskSecret } from './config.js';
import { agents } from './streams/agents.js';
import { automations } from './streams/automations.js';
import { groups } from './streams/groups.js';
import { kbArticles } from './streams/kb-articles.js';
import { organisations } from './streams/organisations.js';
import { satisfactionRatings } from './streams/satisfaction-ratings.js';
import { slaOutcomes } from './streams/sla-outcomes.js';
import { slaPolicies } from './streams/sla-policies.js';
import { tickets } from './streams/tickets.js';

/** Help Center requests are limited apart from Support's; we keep well under its limit. */
const HELP_CENTER_PER_MINUTE = 300;

export const zendesk = defineConnector<ZendeskConfig, ZendeskSecret>({
  id: 'zendesk',
  configSchema: ZendeskConfig,
  secretSchema: ZendeskSecret,
  createClient(config, secret, options) {
    const client = new HttpClient({
      tool: 'Zendesk',
      baseURL: config.baseUrl,
      headers: { Authorization: authHeader(secret) },
      ...options,
    });
    // https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/ (10 requests/minute)
    client.defineBudget(budgets.incremental, {
      limit: config.incrementalPerMinute,
      windowMs: 60_000,
    });
    client.defineBudget(budgets.helpCenter, { limit: HELP_CENTER_PER_MINUTE, windowMs: 60_000 });
    return client;
  },
  /**
   * GET /api/v2/users/me.json. Zendesk answers bad credentials with 200 and the anonymous user
   * (id null), an unknown subdomain with 404 and an empty body; the exports need an admin.
   */
  async testConnection(client, config) {
    const where = config.baseUrl;
    const res = await new ZendeskApi(client).me();
    if (res.status === 404) {
      throw new MaturityError(
        'E_CONNECTOR_NOT_FOUND',
        `there is no Zendesk account at ${where} (HTTP 404): check --subdomain`,
      );
    }
    if (res.status === 401 || res.status === 403 || !res.user || res.user.id === null) {
      throw new MaturityError(
        'E_CONNECTOR_AUTH',
        `Zendesk at ${where} did not accept the credentials (it answered as the anonymous user): check --email and --token (or --oauth-token), and that token access is enabled in Admin Center`,
      );
    }
    const who = res.user.email ?? res.user.name ?? `user ${res.user.id}`;
    if (res.user.role !== 'admin') {
      throw new MaturityError(
        'E_CONNECTOR_AUTH',
        `${who} is a Zendesk ${res.user.role ?? 'user'}, but the incremental exports need an admin: connect with an admin's email and API token`,
      );
    }
    return { identity: `${who} (admin) on ${where}` };
  },
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
