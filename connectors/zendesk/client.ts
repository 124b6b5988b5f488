import { z } from 'zod';
import { MaturityError, zodSentence } from '../../src/errors.js';
import type { ConnectionCheck } from '../shared/define-connector.js';
import { HttpClient, type HttpClientOptions } from '../shared/http-client.js';
import { invalid, parseItems, type Invalid, type Parsed } from '../shared/map-page.js';
import { authHeader, type ZendeskConfig, type ZendeskSecret } from './config.js';
import {
  listEnvelope,
  ZendeskMe,
  ZendeskMetricEvent,
  ZendeskMetricEventPage,
  ZendeskMetricSet,
  ZendeskTicket,
  ZendeskTicketCursorPage,
} from './schemas.js';

/** Where the next page of a list is: a cursor (`page[after]`) or an offset URL (`next_page`). */
export const PageRef = z.union([z.object({ after: z.string() }), z.object({ path: z.string() })]);
export type PageRef = z.infer<typeof PageRef>;

/** The budgets the endpoints draw on (Zendesk counts them separately). */
export const budgets = { incremental: 'incremental', helpCenter: 'help-center' } as const;

/** Help Center requests are limited apart from Support's; we keep well under its limit. */
const HELP_CENTER_PER_MINUTE = 300;
const PAGE_SIZE = 100;
const EXPORT_PAGE_SIZE = 1000;

export function createZendeskClient(
  config: ZendeskConfig,
  secret: ZendeskSecret,
  options: Partial<HttpClientOptions> = {},
): HttpClient {
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
}

/**
 * GET /api/v2/users/me.json. Zendesk answers bad credentials with 200 and the anonymous user
 * (id null), an unknown subdomain with 404 and an empty body; the exports need an admin.
 */
export async function checkConnection(
  client: HttpClient,
  config: ZendeskConfig,
): Promise<ConnectionCheck> {
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
}

/** One entry of a ticket export page, with the epoch second the export orders it by. */
export type ExportedTicket = { stamp?: number } & (
  { ticket: ZendeskTicket } | { deleted: string } | { invalid: Invalid }
);

/** A deleted ticket in the export: only its id and status are sure to be there. */
const DeletedTicket = z.looseObject({
  id: z.union([z.number(), z.string()]).transform(String),
  status: z.literal('deleted'),
});

/**
 * The only file of the Zendesk connector that talks HTTP. Each call parses the response at the
 * edge with the vendor schemas; items come back parsed one by one, with the ones that failed
 * their schema beside them, so that a bad record is quarantined by its stream instead of
 * failing the page.
 */
export class ZendeskApi {
  constructor(private readonly http: HttpClient) {}

  // https://developer.zendesk.com/api-reference/ticketing/users/users/#show-the-currently-authenticated-user
  async me(): Promise<{ status: number; user?: z.infer<typeof ZendeskMe>['user'] }> {
    const res = await this.http.get('/api/v2/users/me.json', { allowStatus: [401, 403, 404] });
    if (res.status !== 200) return { status: res.status };
    const parsed = ZendeskMe.safeParse(res.data);
    if (!parsed.success) {
      throw new MaturityError(
        'E_CONNECTOR_RESPONSE',
        'Zendesk answered /api/v2/users/me.json with JSON that is not a user: check --subdomain or --base-url',
      );
    }
    return { status: 200, user: parsed.data.user };
  }

  // https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
  async ticketsExport(from: { cursor: string } | { startTime: number }): Promise<{
    tickets: ExportedTicket[];
    metricSets: Parsed<ZendeskMetricSet>;
    afterCursor?: string;
    endOfStream: boolean;
  }> {
    const res = await this.http.get('/api/v2/incremental/tickets/cursor.json', {
      budget: budgets.incremental,
      params: {
        ...('cursor' in from ? { cursor: from.cursor } : { start_time: from.startTime }),
        include: 'metric_sets',
        per_page: EXPORT_PAGE_SIZE,
      },
    });
    const page = envelope(ZendeskTicketCursorPage, res.data, 'incremental/tickets/cursor.json');
    const tickets = page.tickets.map((raw): ExportedTicket => {
      const stamp = stampOf(raw);
      const at = stamp === undefined ? {} : { stamp };
      const deleted = DeletedTicket.safeParse(raw);
      if (deleted.success) return { ...at, deleted: deleted.data.id };
      const t = ZendeskTicket.safeParse(raw);
      return t.success ? { ...at, ticket: t.data } : { ...at, invalid: invalid(raw, t.error) };
    });
    return {
      tickets,
      metricSets: parseItems(ZendeskMetricSet, page.metric_sets ?? []),
      ...(page.after_cursor ? { afterCursor: page.after_cursor } : {}),
      endOfStream: page.end_of_stream,
    };
  }

  // https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metric_events/#list-ticket-metric-events
  // `exclude_deleted`: no events of deleted tickets (the tickets export removes those tickets).
  async metricEvents(startTime: number) {
    const res = await this.http.get('/api/v2/incremental/ticket_metric_events.json', {
      budget: budgets.incremental,
      params: { start_time: startTime, exclude_deleted: true },
    });
    const { ticket_metric_events: events, ...page } = envelope(
      ZendeskMetricEventPage,
      res.data,
      'incremental/ticket_metric_events.json',
    );
    return { ...page, events: parseItems(ZendeskMetricEvent, events) };
  }

  /**
   * One page of a list endpoint, its items parsed with `schema`. Asks for cursor pagination
   * (`page[size]`) and follows whichever style the endpoint answers with: cursor (loop while
   * `meta.has_more`, with `meta.after_cursor`; never on `links.next`) or offset (`next_page`).
   * https://developer.zendesk.com/api-reference/introduction/pagination/
   */
  async listPage<T>(
    path: string,
    key: string,
    schema: z.ZodType<T>,
    page: PageRef | undefined,
    o: {
      budget?: string;
      params?: Record<string, string>;
      /** 403/404 are answers (`missing`, an empty list), not errors: the caller says what they mean. */
      optional?: boolean;
      /** The endpoint has no pagination parameters (e.g. SLA policies). */
      unpaged?: boolean;
      /** Items flagged `deleted: true` are deletions (their ids), not items (e.g. groups). */
      deletions?: boolean;
    } = {},
  ): Promise<Parsed<T> & { deleted: string[]; next?: PageRef; missing?: 403 | 404 }> {
    const target = page && 'path' in page ? page.path : path;
    const params =
      page && 'path' in page
        ? undefined
        : o.unpaged
          ? o.params
          : {
              ...o.params,
              'page[size]': String(PAGE_SIZE),
              ...(page && 'after' in page ? { 'page[after]': page.after } : {}),
            };
    const res = await this.http.get(target, {
      ...(o.budget ? { budget: o.budget } : {}),
      ...(params ? { params } : {}),
      ...(o.optional ? { allowStatus: [403, 404] } : {}),
    });
    if (res.status === 403 || res.status === 404)
      return { items: [], invalid: [], deleted: [], missing: res.status };
    const env = envelope(listEnvelope(key), res.data, path) as {
      meta?: { has_more: boolean; after_cursor?: string | null } | null;
      next_page?: string | null;
    } & Record<string, unknown[]>;
    const raw = env[key] ?? [];
    const gone = (item: unknown) =>
      o.deletions === true && (item as { deleted?: unknown } | null)?.deleted === true;
    const deleted = raw.filter(gone).map((g) => String((g as { id: unknown }).id));
    const items = parseItems(
      schema,
      raw.filter((item) => !gone(item)),
    );
    if (env.meta) {
      const after = env.meta.after_cursor;
      return { ...items, deleted, ...(env.meta.has_more && after ? { next: { after } } : {}) };
    }
    if (env.next_page) return { ...items, deleted, next: { path: samePath(env.next_page) } };
    return { ...items, deleted };
  }
}

/** Parses a page envelope; a wrong shape is the vendor's fault and is said once, clearly. */
function envelope<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw new MaturityError(
    'E_CONNECTOR_RESPONSE',
    `Zendesk answered ${what} with an unexpected page shape (${zodSentence(r.error, { top: 'body' })}): check --subdomain or --base-url`,
  );
}

/** The epoch second Zendesk orders the export by (generated_timestamp, else updated_at). */
function stampOf(raw: unknown): number | undefined {
  const r = raw as { generated_timestamp?: unknown; updated_at?: unknown } | null;
  if (typeof r?.generated_timestamp === 'number') return r.generated_timestamp;
  const t = typeof r?.updated_at === 'string' ? Date.parse(r.updated_at) : NaN;
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

/**
 * `next_page` URLs name Zendesk's own host; we keep only the path and query so the request goes to
 * the configured base URL (a proxy keeps working, and credentials never go to another host).
 */
function samePath(url: string): string {
  try {
    const u = new URL(url, 'http://placeholder');
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}
