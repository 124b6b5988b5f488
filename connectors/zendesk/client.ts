import type { z } from 'zod';
import { MaturityError, zodSentence } from '../../src/errors.js';
import type { HttpClient } from '../shared/http-client.js';
import {
  listEnvelope,
  ZendeskMe,
  ZendeskMetricEventPage,
  ZendeskTicketCursorPage,
} from './schemas.js';

/** An item that failed its schema: quarantined by the stream, never stored as a record. */
export interface Invalid {
  sourceId?: string;
  error: string;
  payload: unknown;
}

export interface Parsed<T> {
  items: T[];
  invalid: Invalid[];
}

/** Where the next page of a list is: a cursor (`page[after]`) or an offset URL (`next_page`). */
export type PageRef = { after: string } | { path: string };

/** The budgets the endpoints draw on (Zendesk counts them separately). */
export const budgets = { incremental: 'incremental', helpCenter: 'help-center' } as const;

const PAGE_SIZE = 100;
const EXPORT_PAGE_SIZE = 1000;

/**
 * The only file of the Zendesk connector that talks HTTP. Each call parses the response at the
 * edge with the vendor schemas; items come back parsed one by one so that a bad record is
 * quarantined by its stream instead of failing the page.
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
  async ticketsExport(from: { cursor: string } | { startTime: number }) {
    const res = await this.http.get('/api/v2/incremental/tickets/cursor.json', {
      budget: budgets.incremental,
      params: {
        ...('cursor' in from ? { cursor: from.cursor } : { start_time: from.startTime }),
        include: 'metric_sets',
        per_page: EXPORT_PAGE_SIZE,
      },
    });
    return envelope(ZendeskTicketCursorPage, res.data, 'incremental/tickets/cursor.json');
  }

  // https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metric_events/#list-ticket-metric-events
  async metricEvents(startTime: number) {
    const res = await this.http.get('/api/v2/incremental/ticket_metric_events.json', {
      budget: budgets.incremental,
      params: { start_time: startTime },
    });
    return envelope(ZendeskMetricEventPage, res.data, 'incremental/ticket_metric_events.json');
  }

  /**
   * One page of a list endpoint. Asks for cursor pagination (`page[size]`) and follows whichever
   * style the endpoint answers with: cursor (loop while `meta.has_more`, with
   * `meta.after_cursor`; never on `links.next`) or offset (`next_page`).
   * https://developer.zendesk.com/api-reference/introduction/pagination/
   */
  async listPage(
    path: string,
    key: string,
    page: PageRef | undefined,
    o: {
      budget?: string;
      params?: Record<string, string>;
      /** 403/404 mean "not available on this account": an empty list, not an error. */
      optional?: boolean;
      /** The endpoint has no pagination parameters (e.g. SLA policies). */
      unpaged?: boolean;
    } = {},
  ): Promise<{ items: unknown[]; next?: PageRef; missing?: boolean }> {
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
    if (res.status === 403 || res.status === 404) return { items: [], missing: true };
    const env = envelope(listEnvelope(key), res.data, path) as {
      meta?: { has_more: boolean; after_cursor?: string | null } | null;
      next_page?: string | null;
    } & Record<string, unknown[]>;
    const items = env[key] ?? [];
    if (env.meta) {
      const after = env.meta.after_cursor;
      return { items, ...(env.meta.has_more && after ? { next: { after } } : {}) };
    }
    if (env.next_page) return { items, next: { path: samePath(env.next_page) } };
    return { items };
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

/** Parses items one by one: the good ones, and the bad ones with their error for quarantine. */
export function parseItems<S extends z.ZodType>(schema: S, raw: unknown[]): Parsed<z.infer<S>> {
  const out: Parsed<z.infer<S>> = { items: [], invalid: [] };
  for (const item of raw) {
    const r = schema.safeParse(item);
    if (r.success) out.items.push(r.data);
    else out.invalid.push(invalid(item, r.error));
  }
  return out;
}

export function invalid(payload: unknown, error: unknown): Invalid {
  const id = (payload as { id?: unknown } | null)?.id;
  const message =
    error && typeof error === 'object' && 'issues' in error
      ? (error as z.ZodError).issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'record'}: ${i.message}`)
          .join('; ')
      : String((error as Error)?.message ?? error);
  return {
    ...(typeof id === 'number' || typeof id === 'string' ? { sourceId: String(id) } : {}),
    error: message,
    payload,
  };
}
