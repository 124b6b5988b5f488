import { MaturityError, zodSentence } from '../../src/errors.js';
import type { ConnectionCheck } from '../shared/define-connector.js';
import { HttpClient, type HttpClientOptions } from '../shared/http-client.js';
import { parseItems, type Parsed } from '../shared/map-page.js';
import type { TemplateConfig, TemplateSecret } from './config.js';
import { TemplateMe, TemplateTicket, TemplateTicketPage } from './schemas.js';

/** The shared HTTP client (retries, rate limits, budgets) with this vendor's authentication. */
export function createTemplateClient(
  config: TemplateConfig,
  secret: TemplateSecret,
  options: Partial<HttpClientOptions> = {},
): HttpClient {
  return new HttpClient({
    tool: 'Template',
    baseURL: config.url,
    headers: { Authorization: `Bearer ${secret.token}` },
    ...options,
  });
}

/** One cheap authenticated call; each way it fails is one sentence naming the flag to fix. */
export async function checkConnection(
  http: HttpClient,
  config: TemplateConfig,
): Promise<ConnectionCheck> {
  const res = await http.get('/api/v1/me');
  const me = TemplateMe.safeParse(res.data);
  if (!me.success)
    throw new MaturityError(
      'E_CONNECTOR_RESPONSE',
      `${config.url} answered /api/v1/me with JSON that is not a user: check --url`,
    );
  return { identity: `${me.data.user.email ?? `user ${me.data.user.id}`} on ${config.url}` };
}

/**
 * The only file of the connector that talks HTTP. Every answer is parsed here: envelopes whole
 * (a wrong shape is the vendor's fault, said once), items one by one (parsed, and invalid).
 */
export class TemplateApi {
  constructor(private readonly http: HttpClient) {}

  // GET /api/v1/tickets?page=N (the vendor's doc URL here)
  async ticketsPage(page: number): Promise<Parsed<TemplateTicket> & { next?: number }> {
    const res = await this.http.get('/api/v1/tickets', { params: { page } });
    const env = TemplateTicketPage.safeParse(res.data);
    if (!env.success)
      throw new MaturityError(
        'E_CONNECTOR_RESPONSE',
        `Template answered /api/v1/tickets with an unexpected page (${zodSentence(env.error, { top: 'body' })})`,
      );
    const next = env.data.next_page;
    return { ...parseItems(TemplateTicket, env.data.tickets), ...(next ? { next } : {}) };
  }
}
