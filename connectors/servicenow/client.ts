import { MaturityError, zodSentence } from '../../src/errors.js';
import type { ConnectionCheck } from '../shared/define-connector.js';
import { z } from 'zod';
import { HttpClient, type FormPost, type HttpClientOptions } from '../shared/http-client.js';
import { invalid, type Invalid } from '../shared/map-page.js';
import type { ServiceNowConfig, ServiceNowSecret } from './config.js';
import { ServiceNowErrorBody, ServiceNowRow, ServiceNowTablePage } from './schemas.js';
import { scanTablePage, ScannedPage } from './scan-page.js';
import { flattenRow, flattenStringsInPlace, type Fields } from './values.js';

/**
 * The only file of this connector that talks HTTP. Everything it returns has been parsed (zod)
 * and flattened (values.ts); nothing past it sees a raw response.
 */

export function createServiceNowClient(
  config: ServiceNowConfig,
  secret: ServiceNowSecret,
  options: Partial<HttpClientOptions> = {},
): HttpClient {
  const refresh = secret.oauthRefreshToken;
  const auth = refresh
    ? undefined
    : secret.oauthToken
      ? `Bearer ${secret.oauthToken}`
      : `Basic ${Buffer.from(`${config.user ?? ''}:${secret.password ?? ''}`).toString('base64')}`;
  return new HttpClient({
    tool: 'ServiceNow',
    baseURL: config.baseUrl ?? config.instance,
    // ServiceNow rate limits are per hour and set by each instance's admins: a Retry-After of
    // several minutes is normal, so the cap is higher than for per-minute APIs.
    maxRetryAfterMs: 15 * 60_000,
    ...options,
    headers: { ...(auth ? { Authorization: auth } : {}), ...options.headers },
    ...(refresh
      ? {
          authorize: (post) =>
            accessToken(post, config.oauthClientId ?? '', secret.oauthClientSecret ?? '', refresh),
        }
      : {}),
  });
}

const TokenAnswer = z.looseObject({ access_token: z.string().min(1) });

/**
 * An access token from the refresh token: POST /oauth_token.do with grant_type=refresh_token
 * (ServiceNow's OAuth token endpoint). Refused (400/401: the refresh token expired or was
 * revoked, or the client is wrong), the credentials must be given again.
 */
async function accessToken(
  post: FormPost,
  clientId: string,
  clientSecret: string,
  refreshToken: string,
): Promise<string> {
  const res = await post('/oauth_token.do', {
    grant_type: 'refresh_token',
    client_id: clientId,
    client_secret: clientSecret,
    refresh_token: refreshToken,
  });
  const token = TokenAnswer.safeParse(res.data);
  if (res.status === 200 && token.success) return `Bearer ${token.data.access_token}`;
  if (res.status >= 500)
    throw new MaturityError(
      'E_CONNECTOR_UNAVAILABLE',
      `ServiceNow's token endpoint answered HTTP ${res.status}: retry later`,
    );
  throw new MaturityError(
    'E_CONNECTOR_AUTH',
    `ServiceNow refused the OAuth refresh token (HTTP ${res.status} from /oauth_token.do): it may have expired or been revoked, or --oauth-client-id and its secret are wrong; connect again`,
  );
}

export interface TablePageQuery {
  table: string;
  fields: readonly string[];
  /** Encoded query (conditions and ORDERBY clauses), sent as sysparm_query. */
  query?: string;
  limit: number;
  offset: number;
  /**
   * Read a plain page from its bytes (scan-page.ts) rather than parse it: the page then comes
   * as `scanned`, with `rows` empty. For streams of many rows that map them as columns.
   */
  scan?: boolean;
}

export type TablePage =
  | {
      kind: 'page';
      /** The rows that parsed, flattened to one string per field (none when `scanned`). */
      rows: Fields[];
      /** The page read from its bytes (TablePageQuery.scan): every row is in it, none invalid. */
      scanned?: ScannedPage;
      /** Rows that are not a record of field values (quarantined by the stream). */
      invalid: Invalid[];
      /** X-Total-Count: rows matching the query before ACLs filter them. */
      total?: number;
      /**
       * Another page follows: Link has rel="next", else X-Total-Count is beyond this window, else
       * (neither header) the page was not empty. Never "the page was full": ACLs filter rows after
       * the limit applies, so a short page may be followed by more (a window they all hid, by an
       * empty page).
       */
      hasMore: boolean;
      /** Offset of the next page (from the Link header when it says, else offset + limit). */
      nextOffset: number;
      /** Requested fields that no row carried: misspelt, absent on this instance, or field ACLs. */
      missingFields: string[];
    }
  | { kind: 'unavailable'; status: number; reason: string };

/**
 * One page of a table. GET /api/now/table/{tableName} with sysparm_fields, sysparm_query,
 * sysparm_limit and sysparm_offset; stored values (sysparm_display_value=false) and plain
 * reference sys_ids (sysparm_exclude_reference_link=true).
 * https://www.servicenow.com/docs/ → Table API → GET /now/table/{tableName}
 * A table the instance lacks comes back as `unavailable`: ServiceNow answers 400 Bad Request with
 * `{"error":{"message":"Invalid table <name>","detail":null},"status":"failure"}` ("REST API HTTP
 * response codes": 400 when the request URI does not match the APIs in the system), some
 * releases 404 with the same message. So does a table the user may not read (403). A 404 "No
 * Record found" (Table API v1's empty answer) is an empty page; any other 400 is an error.
 */
export async function fetchTablePage(http: HttpClient, q: TablePageQuery): Promise<TablePage> {
  const res = await http.get(`/api/now/table/${encodeURIComponent(q.table)}`, {
    params: {
      sysparm_fields: q.fields.join(','),
      ...(q.query ? { sysparm_query: q.query } : {}),
      sysparm_limit: q.limit,
      sysparm_offset: q.offset,
      sysparm_display_value: 'false',
      sysparm_exclude_reference_link: 'true',
    },
    allowStatus: [400, 403, 404],
    ...(q.scan ? { scan: (body: Buffer) => scanTablePage(body, q.fields) } : {}),
  });
  if (res.status === 400 || res.status === 403 || res.status === 404) {
    const err = ServiceNowErrorBody.safeParse(res.data);
    const message = err.success ? (err.data.error.message ?? '') : '';
    const detail = err.success ? (err.data.error.detail ?? '') : '';
    const said = [message, detail].filter(Boolean).join(': ');
    const invalidTable = /^\s*invalid table\b/i.test(message);
    if (res.status === 400 && !invalidTable) {
      throw new MaturityError(
        'E_CONNECTOR_RESPONSE',
        `ServiceNow answered HTTP 400 for table ${q.table}${said ? `: ${said}` : ''}`,
      );
    }
    if (res.status === 404 && /no record/i.test(message)) {
      return {
        kind: 'page',
        rows: [],
        invalid: [],
        total: 0,
        hasMore: false,
        nextOffset: q.offset,
        missingFields: [],
      };
    }
    return {
      kind: 'unavailable',
      status: res.status,
      reason:
        res.status === 403
          ? `the user may not read table ${q.table} (HTTP 403${said ? `, ${said}` : ''})`
          : `table ${q.table} is not on this instance (HTTP ${res.status}${said ? `, ${said}` : ''})`,
    };
  }
  const scanned = res.data instanceof ScannedPage ? res.data : undefined;
  const raw = scanned ? undefined : tableRows(res.data, q.table);
  const count = scanned ? scanned.length : raw!.length;
  const total = headerInt(res.headers['x-total-count']);
  const link = res.headers.link;
  const next = link ? nextLink(link) : undefined;
  const hasMore = link
    ? next !== undefined
    : total !== undefined
      ? q.offset + q.limit < total
      : count > 0;
  const nextOffset =
    next?.offset !== undefined && next.offset > q.offset ? next.offset : q.offset + q.limit;
  const missingFields = scanned
    ? scanned.missingFields()
    : raw!.items.length
      ? q.fields.filter(
          (f) =>
            !raw!.items.some((r) => r !== null && typeof r === 'object' && Object.hasOwn(r, f)),
        )
      : [];
  return {
    kind: 'page',
    rows: raw?.rows ?? [],
    invalid: raw?.invalid ?? [],
    ...(scanned ? { scanned } : {}),
    ...(total !== undefined ? { total } : {}),
    hasMore,
    nextOffset,
    missingFields,
  };
}

/**
 * A page the instance cut short: a transaction quota ("Transaction cancelled: maximum execution
 * time exceeded") stops a request part-way, and the answer is still HTTP 200, with the rows sent
 * so far and `"error":{…},"status":"failure"` after them (ServiceNow KB1297438). Such a page is
 * not the table: taken as it stands, a full pass would end on it and sweep every row it lacks.
 */
export class TableCancelled extends MaturityError {
  constructor(table: string, message: string) {
    super(
      'E_CONNECTOR_UNAVAILABLE',
      `ServiceNow cut the page of table ${table} short (${message}): nothing of it is stored`,
    );
  }
}

/**
 * A Table API body → its rows, flattened (values.ts), and those that are not a record of field
 * values; `items` are the rows as sent.
 */
export function tableRows(
  data: unknown,
  table: string,
): { items: unknown[]; rows: Fields[]; invalid: Invalid[]; length: number } {
  const body = data as { error?: unknown; status?: unknown } | null;
  if (body?.error != null || body?.status === 'failure') {
    const failure = ServiceNowErrorBody.safeParse(data);
    const error = failure.success ? failure.data.error : undefined;
    const said = [error?.message, error?.detail].filter(Boolean).join(': ');
    throw new TableCancelled(table, said || 'status failure');
  }
  const parsed = ServiceNowTablePage.safeParse(data);
  if (!parsed.success) {
    throw new MaturityError(
      'E_CONNECTOR_RESPONSE',
      `ServiceNow sent an unexpected body for table ${table} (at ${zodSentence(parsed.error, { top: 'top level' })})`,
    );
  }
  const items = parsed.data.result;
  const rows: Fields[] = [];
  const bad: Invalid[] = [];
  for (const item of items) {
    // Stored values (sysparm_display_value=false) are all strings: such a row is a ServiceNowRow
    // as it stands. Any other shape goes through the schema, which says what is wrong with it.
    if (allStrings(item)) {
      rows.push(flattenStringsInPlace(item));
      continue;
    }
    const row = ServiceNowRow.safeParse(item);
    if (row.success) rows.push(flattenRow(row.data));
    else bad.push(invalid(item, row.error, sysIdOf(item)));
  }
  return { items, rows, invalid: bad, length: items.length };
}

/**
 * A scanned page's rows as a parsed page has them (JSON.parse and the row schema), for a stream
 * that cannot map the page as columns.
 */
export function parseScanned(
  page: ScannedPage,
  table: string,
): { rows: Fields[]; invalid: Invalid[] } {
  const { rows, invalid: bad } = tableRows(JSON.parse(page.bytes.toString('utf8')), table);
  return { rows, invalid: bad };
}

/** A plain JSON object whose every value is a string (what ServiceNowRow's first branch takes). */
function allStrings(item: unknown): item is Record<string, string> {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
  for (const k in item) if (typeof (item as Record<string, unknown>)[k] !== 'string') return false;
  return true;
}

const sysIdOf = (item: unknown): string | undefined => {
  const id = (item as { sys_id?: unknown } | null)?.sys_id;
  return typeof id === 'string' && id ? id : undefined;
};

const headerInt = (v: string | undefined) =>
  v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined;

/**
 * The rel="next" entry of a Link header (RFC 8288), with its sysparm_offset. Only the offset is
 * used: the next request goes to our own base URL, never to a host named by the server.
 */
export function nextLink(header: string): { offset?: number } | undefined {
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!m) continue;
    const rel = /\brel\s*=\s*"?([^";]+)"?/i.exec(m[2]!)?.[1];
    if (!rel || !rel.toLowerCase().split(/\s+/).includes('next')) continue;
    const offset = /[?&]sysparm_offset=(\d+)/.exec(m[1]!)?.[1];
    return offset !== undefined ? { offset: Number(offset) } : {};
  }
  return undefined;
}

/**
 * The connection check: one cheap Table API call (one incident, one field). Each way it can go
 * wrong becomes one sentence naming what to fix.
 */
export async function checkConnection(
  http: HttpClient,
  config: ServiceNowConfig,
): Promise<ConnectionCheck> {
  const where = config.baseUrl ?? config.instance;
  const credentials = config.user
    ? '--user and --password'
    : config.oauthClientId
      ? '--oauth-client-id, its secret and the refresh token'
      : '--oauth-token';
  let page: TablePage;
  try {
    page = await fetchTablePage(http, {
      table: 'incident',
      fields: ['sys_id'],
      limit: 1,
      offset: 0,
    });
  } catch (err) {
    if (!(err instanceof MaturityError)) throw err;
    if (err.code === 'E_CONNECTOR_AUTH')
      throw new MaturityError(
        'E_CONNECTOR_AUTH',
        `ServiceNow at ${where} rejected the credentials (HTTP 401): check ${credentials}`,
        { cause: err },
      );
    if (err.code === 'E_CONNECTOR_RESPONSE' && /HTML|HTTP 3\d\d/.test(err.message))
      throw new MaturityError(
        'E_CONNECTOR_RESPONSE',
        `${where} answered with a web page instead of the Table API's JSON: the instance may be hibernating (wake it from the developer portal) or --instance is not a ServiceNow instance`,
        { cause: err },
      );
    throw err;
  }
  if (page.kind === 'unavailable') {
    throw new MaturityError(
      page.status === 403 ? 'E_CONNECTOR_AUTH' : 'E_CONNECTOR_NOT_FOUND',
      page.status === 403
        ? `ServiceNow at ${where} accepted the credentials but the user may not read incidents: give it the itil role (or read access to incident)`
        : `${where} has no Table API for incidents (HTTP ${page.status}): check --instance`,
    );
  }
  const host = new URL(config.instance).host;
  return { identity: config.user ? `${config.user} on ${host}` : `an OAuth token on ${host}` };
}
