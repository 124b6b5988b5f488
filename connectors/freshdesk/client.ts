import type { z } from 'zod';
import { MaturityError, zodSentence } from '../../src/errors.js';
import type { ConnectionCheck } from '../shared/define-connector.js';
import {
  HttpClient,
  type GetOptions,
  type HttpClientOptions,
  type HttpResult,
} from '../shared/http-client.js';
import { invalid, parseItems, type Invalid, type Parsed } from '../shared/map-page.js';
import { authHeader, type FreshdeskConfig, type FreshdeskSecret } from './config.js';
import { FreshdeskAgent, FreshdeskTicket, ListBody, RulesBody, FreshdeskRule } from './schemas.js';

/** Items per page: Freshdesk's maximum (https://developers.freshdesk.com/api/#pagination). */
export const PER_PAGE = 100;
/** Share of the account's API credits left to its other integrations (the limit is account-wide). */
const RESERVE = 0.1;
/** Freshdesk counts credits per minute (https://developers.freshdesk.com/api/#ratelimit). */
const QUOTA_WINDOW_MS = 60_000;

export interface FreshdeskClientOptions extends HttpClientOptions {
  /** How long to wait when the credits left fall into the reserve (default a minute). */
  quotaPauseMs?: number;
}

/**
 * The shared HTTP client (retries, 429 Retry-After, 5xx, resets, truncated bodies) that also reads
 * Freshdesk's own quota headers, `X-RateLimit-Total` and `X-RateLimit-Remaining`, on every
 * answer. The limit is per account, shared with the account's other integrations: once the
 * credits left fall to a tenth of the total, the next request waits a minute (the documented
 * window) instead of spending the rest, so a sync never starves them. A 429 still waits its
 * Retry-After (shared client).
 */
export class FreshdeskHttpClient extends HttpClient {
  remaining?: number;
  total?: number;

  constructor(private readonly fd: FreshdeskClientOptions) {
    super(fd);
  }

  override async get<T = unknown>(path: string, options: GetOptions = {}): Promise<HttpResult<T>> {
    if (
      this.total !== undefined &&
      this.remaining !== undefined &&
      this.remaining <= Math.ceil(this.total * RESERVE)
    ) {
      const ms = this.fd.quotaPauseMs ?? QUOTA_WINDOW_MS;
      this.fd.onWait?.({ reason: 'rate-limit', ms });
      await (this.fd.sleep ?? ((n: number) => new Promise<void>((r) => setTimeout(r, n))))(ms);
      this.remaining = undefined;
    }
    const res = await super.get<T>(path, options);
    const remaining = Number(res.headers['x-ratelimit-remaining']);
    const total = Number(res.headers['x-ratelimit-total']);
    if (res.headers['x-ratelimit-remaining'] !== undefined && Number.isFinite(remaining))
      this.remaining = remaining;
    if (Number.isFinite(total) && total > 0) this.total = total;
    return res;
  }
}

export function createFreshdeskClient(
  config: FreshdeskConfig,
  secret: FreshdeskSecret,
  options: Partial<FreshdeskClientOptions> = {},
): HttpClient {
  return new FreshdeskHttpClient({
    tool: 'Freshdesk',
    baseURL: config.baseUrl,
    headers: { Authorization: authHeader(secret) },
    ...options,
  });
}

/**
 * GET /api/v2/agents/me (https://developers.freshdesk.com/api/#me). A bad key answers 401, an
 * unknown domain 404 (or a redirect to Freshdesk's own site), a custom portal domain or a wrong
 * host an HTML page: each is one sentence naming the flag to fix, and nothing is stored. An agent
 * who sees only some tickets (ticket scope group or restricted) would give partial counts.
 */
export async function checkConnection(
  client: HttpClient,
  config: FreshdeskConfig,
): Promise<ConnectionCheck> {
  const where = config.baseUrl;
  let res: HttpResult;
  try {
    res = await client.get('/api/v2/agents/me', {
      allowStatus: [200, 301, 302, 303, 307, 308, 401, 403, 404],
    });
  } catch (err) {
    if (err instanceof MaturityError && /ENOTFOUND/.test(err.message))
      throw new MaturityError(
        'E_CONNECTOR_NOT_FOUND',
        `there is no Freshdesk account at ${where} (the name does not resolve): check --domain`,
      );
    throw err;
  }
  if (res.status === 401)
    throw new MaturityError(
      'E_CONNECTOR_AUTH',
      `Freshdesk at ${where} refused the API key (HTTP 401): check --api-key (Profile settings ► View API key)`,
    );
  if (res.status === 403)
    throw new MaturityError(
      'E_CONNECTOR_AUTH',
      `Freshdesk at ${where} refused the API key's agent (HTTP 403): check that --api-key is an active agent's key on an account with API access`,
    );
  if (res.status !== 200)
    throw new MaturityError(
      'E_CONNECTOR_NOT_FOUND',
      `there is no Freshdesk account at ${where} (HTTP ${res.status}): check --domain`,
    );
  if (res.data === undefined)
    throw new MaturityError(
      'E_CONNECTOR_RESPONSE',
      /html/i.test(res.headers['content-type'] ?? '')
        ? `${where} answered /api/v2/agents/me with an HTML page, not Freshdesk's API: check --domain (the account's name on freshdesk.com; custom portal domains do not serve the API) or --base-url`
        : `${where} answered /api/v2/agents/me with a body that is not JSON: check --domain or --base-url`,
    );
  const me = FreshdeskAgent.safeParse(res.data);
  if (!me.success)
    throw new MaturityError(
      'E_CONNECTOR_RESPONSE',
      `${where} answered /api/v2/agents/me with JSON that is not an agent: check --domain or --base-url`,
    );
  const who = me.data.contact?.email ?? me.data.contact?.name ?? `agent ${me.data.id}`;
  const scope = (res.data as { ticket_scope?: unknown }).ticket_scope;
  if (typeof scope === 'number' && scope !== 1)
    throw new MaturityError(
      'E_CONNECTOR_AUTH',
      `${who} sees only ${scope === 2 ? "their groups'" : 'their own'} tickets on Freshdesk (ticket scope ${scope}), so every count would be partial: connect with the API key of an agent with global access (an admin)`,
    );
  return { identity: `${who} on ${where}` };
}

/** One raw ticket of a list page: parsed or invalid, with the time the list is ordered by. */
export type ListedTicket = { updatedAt?: string } & (
  { ticket: FreshdeskTicket } | { invalid: Invalid }
);

/**
 * The only file of the Freshdesk connector that talks HTTP. Every answer is parsed here: the page
 * (a JSON array) whole, its items one by one (parsed, and invalid), the next page from the `link`
 * header.
 */
export class FreshdeskApi {
  constructor(private readonly http: HttpClient) {}

  /**
   * One page of GET /api/v2/tickets ordered by updated_at ascending, with the stats
   * (https://developers.freshdesk.com/api/#list_all_tickets). Without updated_since Freshdesk
   * lists only the last 30 days, so it is always given. `filter` lists the deleted or spam ones.
   * A page past Freshdesk's limit answers 400: `beyond` says so (never asked for by tickets.ts,
   * which stays under the ceiling; kept for an account whose limit is lower).
   */
  async tickets(q: {
    since: string;
    page: number;
    filter?: 'deleted' | 'spam';
  }): Promise<{ items: ListedTicket[]; next?: number; beyond?: string }> {
    const res = await this.http.get('/api/v2/tickets', {
      params: {
        updated_since: q.since,
        order_by: 'updated_at',
        order_type: 'asc',
        ...(q.filter ? { filter: q.filter } : { include: 'stats' }),
        per_page: PER_PAGE,
        page: q.page,
      },
      ...(q.page > 1 || q.filter ? { allowStatus: [400] } : {}),
    });
    if (res.status === 400) return { items: [], beyond: describe(res.data) };
    const raw = body(ListBody, res.data, '/api/v2/tickets');
    const items = raw.map((item): ListedTicket => {
      const at = (item as { updated_at?: unknown } | null)?.updated_at;
      const updatedAt = typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : undefined;
      const t = FreshdeskTicket.safeParse(item);
      return {
        ...(updatedAt ? { updatedAt } : {}),
        ...(t.success ? { ticket: t.data } : { invalid: invalid(item, t.error) }),
      };
    });
    const next = nextLink(res.headers);
    return { items, ...(next ? { next: pageOf(next) ?? q.page + 1 } : {}) };
  }

  /**
   * One page of a list endpoint (a JSON array), its items parsed with `schema`; `from` is the
   * path of the first page or the next link of the previous one. With `optional`, 403/404 mean
   * "this account lacks it" (`missing`), not an error.
   */
  async list<T>(
    from: string,
    schema: z.ZodType<T>,
    o: { params?: Record<string, string | number>; optional?: boolean } = {},
  ): Promise<Parsed<T> & { next?: string; missing?: true }> {
    const first = !from.includes('?');
    const res = await this.http.get(from, {
      ...(first ? { params: { per_page: PER_PAGE, ...o.params } } : {}),
      ...(o.optional ? { allowStatus: [403, 404] } : {}),
    });
    if (res.status === 403 || res.status === 404) return { items: [], invalid: [], missing: true };
    const items = parseItems(schema, body(ListBody, res.data, from.replace(/\?.*$/, '')));
    const next = nextLink(res.headers);
    return { ...items, ...(next ? { next } : {}) };
  }

  /**
   * One agent with its groups and roles (https://developers.freshdesk.com/api/#view_agent), which
   * the list of agents leaves out; undefined when the agent is gone (404) since it was listed.
   */
  async agent(id: string): Promise<{ agent?: FreshdeskAgent; invalid?: Invalid }> {
    const path = `/api/v2/agents/${encodeURIComponent(id)}`;
    const res = await this.http.get(path, { allowStatus: [404] });
    if (res.status === 404) return {};
    const r = FreshdeskAgent.safeParse(res.data);
    return r.success ? { agent: r.data } : { invalid: invalid(res.data, r.error) };
  }

  /** Every page of a list endpoint (small lists: roles, groups, categories, folders). */
  async all<T>(path: string, schema: z.ZodType<T>, o: { optional?: boolean } = {}) {
    const out: Parsed<T> & { missing?: true } = { items: [], invalid: [] };
    for (let from: string | undefined = path; from;) {
      const page: Parsed<T> & { next?: string; missing?: true } = await this.list(from, schema, o);
      out.items.push(...page.items);
      out.invalid.push(...page.invalid);
      if (page.missing) out.missing = true;
      from = page.next;
    }
    return out;
  }

  /** GET /api/v2/automations/{type}/rules (https://developers.freshdesk.com/api/#automations). */
  async rules(type: number): Promise<Parsed<FreshdeskRule> & { missing?: true }> {
    const path = `/api/v2/automations/${type}/rules`;
    const out: Parsed<FreshdeskRule> & { missing?: true } = { items: [], invalid: [] };
    for (let from: string | undefined = path; from;) {
      const res = await this.http.get(from, {
        ...(from === path ? { params: { per_page: PER_PAGE } } : {}),
        allowStatus: [403, 404],
      });
      if (res.status !== 200) return { ...out, missing: true };
      const env = body(RulesBody, res.data, path);
      const page = parseItems(FreshdeskRule, Array.isArray(env) ? env : env.rules);
      out.items.push(...page.items);
      out.invalid.push(...page.invalid);
      from = nextLink(res.headers);
    }
    return out;
  }
}

/** A page body; a wrong shape is the vendor's fault and is said once, clearly. */
function body<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw new MaturityError(
    'E_CONNECTOR_RESPONSE',
    `Freshdesk answered ${what} with an unexpected page (${zodSentence(r.error, { top: 'body' })}): check --domain or --base-url`,
  );
}

/**
 * The next page from the `link` header (`<https://acme.freshdesk.com/api/v2/…&page=2>;
 * rel="next"`; absent on the last page). Only its path and query are kept, so the request goes to
 * the configured host and the credentials never go anywhere else; a link outside /api/v2/ is
 * ignored.
 */
export function nextLink(headers: Record<string, string>): string | undefined {
  const link = headers.link;
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!m || !/\brel\s*=\s*"?next"?/i.test(m[2]!)) continue;
    try {
      const u = new URL(m[1]!, 'http://placeholder');
      return u.pathname.startsWith('/api/v2/') ? `${u.pathname}${u.search}` : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The `page` a next link asks for. */
export function pageOf(path: string): number | undefined {
  const page = Number(new URL(path, 'http://placeholder').searchParams.get('page'));
  return Number.isInteger(page) && page > 0 ? page : undefined;
}

/** Freshdesk's error body (`{description, errors: [{field, message}]}`) in a few words. */
function describe(data: unknown): string {
  const d = data as { description?: unknown; errors?: { message?: unknown }[] } | undefined;
  const messages = (Array.isArray(d?.errors) ? d.errors : [])
    .map((e) => (typeof e?.message === 'string' ? e.message : ''))
    .filter(Boolean);
  return (
    messages.join('; ') || (typeof d?.description === 'string' ? d.description : 'HTTP 400')
  ).slice(0, 300);
}
