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
import { authHeader, type JsmConfig, type JsmSecret } from './config.js';
import {
  ApplicationRole,
  Feedback,
  JiraField,
  JiraFieldList,
  JiraHistory,
  JiraMyself,
  JiraStatus,
  PageBean,
  PagedDto,
  SearchBody,
  ServiceDesk,
  issueSchema,
  type FieldIds,
  type JiraIssue,
} from './schemas.js';

/** Items per page of the service desk API's lists (its documented default limit is 50). */
const DESK_LIMIT = 50;
/** Members per page of a group: the documented maximum. */
const MEMBER_LIMIT = 50;
/** Changelog entries per page of an issue's changelog: the documented maximum. */
const CHANGELOG_LIMIT = 100;
/** The pause when Jira says a budget is nearly spent and gives no reset time. */
const NEAR_LIMIT_PAUSE_MS = 1_000;

export interface JsmClientOptions extends HttpClientOptions {
  /** The pause when X-RateLimit-NearLimit is true without a reset time (default 1 s). */
  nearLimitPauseMs?: number;
}

/**
 * The shared HTTP client (retries, 429 Retry-After, 5xx, resets, truncated bodies) that also reads
 * Jira's own rate-limit headers on every answer
 * (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/): when `X-RateLimit-NearLimit`
 * is true (under a fifth of a budget left) or `X-RateLimit-Remaining` is 0, the next request waits
 * until `X-RateLimit-Reset` (an ISO instant), or a second when none is given, capped by the
 * client's longest wait. A 429 waits its `Retry-After` (shared client); its `RateLimit-Reason`
 * goes into the sentence when the wait would be too long.
 */
export class JsmHttpClient extends HttpClient {
  /** The wait before the next request, set by the last answer's budget headers. */
  private pauseMs?: number;

  constructor(private readonly jsm: JsmClientOptions) {
    super(jsm);
  }

  override async get<T = unknown>(path: string, options: GetOptions = {}): Promise<HttpResult<T>> {
    if (this.pauseMs !== undefined) {
      const ms = this.pauseMs;
      this.pauseMs = undefined;
      this.jsm.onWait?.({ reason: 'rate-limit', ms });
      await (this.jsm.sleep ?? ((n: number) => new Promise<void>((r) => setTimeout(r, n))))(ms);
    }
    const res = await super.get<T>(path, options);
    this.note(res.headers);
    return res;
  }

  /** Reads the budget headers of one answer: the wait before the next request, if any. */
  private note(h: Record<string, string>): void {
    const near = /^true$/i.test(h['x-ratelimit-nearlimit'] ?? '');
    const remaining = h['x-ratelimit-remaining'];
    if (!near && !(remaining !== undefined && Number(remaining) <= 0)) return;
    const reset = Date.parse(h['x-ratelimit-reset'] ?? '');
    const cap = this.jsm.maxRetryAfterMs ?? 60_000;
    const ms = Number.isNaN(reset)
      ? (this.jsm.nearLimitPauseMs ?? NEAR_LIMIT_PAUSE_MS)
      : Math.max(0, reset - Date.now());
    this.pauseMs = Math.min(ms, cap);
  }
}

export function createJsmClient(
  config: JsmConfig,
  secret: JsmSecret,
  options: Partial<JsmClientOptions> = {},
): HttpClient {
  return new JsmHttpClient({
    tool: 'Jira Service Management',
    baseURL: config.baseUrl,
    headers: { Authorization: authHeader(secret) },
    ...options,
  });
}

const REDIRECTS = [301, 302, 303, 307, 308];

/**
 * GET /rest/api/3/myself
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get).
 * A bad email or token answers 401 (403 with `X-Seraph-LoginReason: AUTHENTICATION_DENIED` once
 * Jira asks for a CAPTCHA), an unknown site 404 or a redirect away from it, a wrong host an HTML
 * page. An answer without an account id is Jira speaking to an anonymous user: the credentials
 * were not used, so it is refused too. A portal customer account cannot read agents' data. Each
 * is one sentence naming what to fix, and nothing is stored.
 */
export async function checkConnection(
  client: HttpClient,
  config: JsmConfig,
): Promise<ConnectionCheck> {
  const where = config.baseUrl;
  let res: HttpResult;
  try {
    res = await client.get('/rest/api/3/myself', {
      allowStatus: [200, ...REDIRECTS, 401, 403, 404],
    });
  } catch (err) {
    if (err instanceof MaturityError && /ENOTFOUND/.test(err.message))
      throw new MaturityError(
        'E_CONNECTOR_NOT_FOUND',
        `there is no Jira Cloud site at ${where} (the name does not resolve): check --site`,
      );
    throw err;
  }
  if (res.status === 401)
    throw new MaturityError(
      'E_CONNECTOR_AUTH',
      `Jira at ${where} refused the email and API token (HTTP 401): check --email and --token (an API token from id.atlassian.com, not the account's password)`,
    );
  if (res.status === 403)
    throw new MaturityError(
      'E_CONNECTOR_AUTH',
      /AUTHENTICATION_DENIED/i.test(res.headers['x-seraph-loginreason'] ?? '')
        ? `Jira at ${where} asks this account to solve a CAPTCHA after failed logins (HTTP 403): log in once in a browser, then check --email and --token`
        : `Jira at ${where} refused the account (HTTP 403): check that --email names an account with access to Jira`,
    );
  if (res.status !== 200)
    throw new MaturityError(
      'E_CONNECTOR_NOT_FOUND',
      `there is no Jira Cloud site at ${where} (HTTP ${res.status}): check --site`,
    );
  if (res.data === undefined)
    throw new MaturityError(
      'E_CONNECTOR_RESPONSE',
      /html/i.test(res.headers['content-type'] ?? '')
        ? `${where} answered /rest/api/3/myself with an HTML page, not Jira's REST API: check --site (the site's name on atlassian.net) or --base-url`
        : `${where} answered /rest/api/3/myself with a body that is not JSON: check --site or --base-url`,
    );
  const me = JiraMyself.safeParse(res.data);
  if (!me.success || typeof res.data !== 'object' || res.data === null || Array.isArray(res.data))
    throw new MaturityError(
      'E_CONNECTOR_RESPONSE',
      `${where} answered /rest/api/3/myself with JSON that is not a user: check --site or --base-url`,
    );
  if (!me.data.accountId || /^anonymous$/i.test(me.data.accountType ?? ''))
    throw new MaturityError(
      'E_CONNECTOR_AUTH',
      `Jira at ${where} answered as an anonymous user, so the email and token were not accepted: check --email and --token`,
    );
  if (me.data.accountType === 'customer')
    throw new MaturityError(
      'E_CONNECTOR_AUTH',
      `${me.data.emailAddress ?? me.data.accountId} is a portal customer on ${where}, who cannot read agents' data: connect with the email and API token of an agent (a Jira administrator reads everything)`,
    );
  const who = me.data.emailAddress ?? me.data.displayName ?? me.data.accountId;
  return { identity: `${who} on ${where}` };
}

/** One issue of a search page: parsed or invalid, with the time the search orders by. */
export type ListedIssue = { updatedAt?: number } & ({ issue: JiraIssue } | { invalid: Invalid });

/**
 * The only file of the JSM connector that talks HTTP. Every answer is parsed here: envelopes
 * whole, items one by one (parsed, and invalid).
 */
export class JsmApi {
  constructor(private readonly http: HttpClient) {}

  /** The connected account: its time zone is the one JQL reads date literals in. */
  async myself(): Promise<z.infer<typeof JiraMyself>> {
    const res = await this.http.get('/rest/api/3/myself');
    return body(JiraMyself, res.data, '/rest/api/3/myself');
  }

  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get
  async fields(): Promise<JiraField[]> {
    const res = await this.http.get('/rest/api/3/field');
    return parseItems(JiraField, body(JiraFieldList, res.data, '/rest/api/3/field')).items;
  }

  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflow-statuses/#api-rest-api-3-status-get
  async statuses(): Promise<JiraStatus[]> {
    const res = await this.http.get('/rest/api/3/status');
    return parseItems(JiraStatus, body(JiraFieldList, res.data, '/rest/api/3/status')).items;
  }

  /**
   * One page of a service desk API list (`start`, `limit`; `isLastPage` ends it). With
   * `optional`, 403/404 mean "this account may not read it" (`missing`).
   */
  async deskPage<T>(
    path: string,
    schema: z.ZodType<T>,
    start: number,
    o: { optional?: boolean; params?: Record<string, string | number | boolean> } = {},
  ): Promise<Parsed<T> & { next?: number; missing?: true }> {
    const res = await this.http.get(path, {
      params: { start, limit: DESK_LIMIT, ...o.params },
      ...(o.optional ? { allowStatus: [403, 404] } : {}),
    });
    if (res.status === 403 || res.status === 404) return { items: [], invalid: [], missing: true };
    const page = body(PagedDto, res.data, path);
    const items = parseItems(schema, page.values);
    const last = page.isLastPage ?? page.values.length === 0;
    return { ...items, ...(last ? {} : { next: start + page.values.length }) };
  }

  /** Every page of a service desk API list (short ones: service desks, queues, request types). */
  async deskAll<T>(path: string, schema: z.ZodType<T>, o: { optional?: boolean } = {}) {
    const out: Parsed<T> & { missing?: true } = { items: [], invalid: [] };
    for (let start: number | undefined = 0; start !== undefined;) {
      const page: Parsed<T> & { next?: number; missing?: true } = await this.deskPage(
        path,
        schema,
        start,
        o,
      );
      out.items.push(...page.items);
      out.invalid.push(...page.invalid);
      if (page.missing) out.missing = true;
      start = page.next;
    }
    return out;
  }

  /** The service desks the account sees (their project keys scope every search). */
  serviceDesks() {
    return this.deskAll('/rest/servicedeskapi/servicedesk', ServiceDesk);
  }

  /**
   * One page of GET /rest/api/3/search/jql (the enhanced search; `nextPageToken` pages it, and
   * the old /rest/api/3/search is gone). Only `fields` are asked for. A page token Jira no longer
   * accepts (they expire after 7 days) answers 400: `expired` says so, and the caller asks again
   * without it.
   */
  async search(q: {
    jql: string;
    fields: string[];
    ids: FieldIds;
    maxResults: number;
    token?: string;
    changelog?: boolean;
  }): Promise<{ issues: ListedIssue[]; next?: string; expired?: string }> {
    const res = await this.http.get('/rest/api/3/search/jql', {
      params: {
        jql: q.jql,
        fields: q.fields.join(','),
        maxResults: q.maxResults,
        ...(q.changelog ? { expand: 'changelog' } : {}),
        ...(q.token ? { nextPageToken: q.token } : {}),
      },
      allowStatus: [400],
    });
    if (res.status === 400) {
      const why = describe(res.data);
      if (q.token) return { issues: [], expired: why };
      throw new MaturityError(
        'E_CONNECTOR_RESPONSE',
        `Jira refused the issue search (${why}): check --project and that the account may browse the service projects`,
      );
    }
    const page = body(SearchBody, res.data, '/rest/api/3/search/jql');
    const schema = issueSchema(q.ids);
    const issues = page.issues.map((raw): ListedIssue => {
      const at = (raw as { fields?: { updated?: unknown } } | null)?.fields?.updated;
      const ms =
        typeof at === 'string' ? Date.parse(at.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) : NaN;
      const r = schema.safeParse(raw);
      return {
        ...(Number.isNaN(ms) ? {} : { updatedAt: ms }),
        ...(r.success ? { issue: r.data } : { invalid: invalid(raw, r.error) }),
      };
    });
    const next = page.nextPageToken && page.isLast !== true ? page.nextPageToken : undefined;
    return { issues, ...(next ? { next } : {}) };
  }

  /**
   * Every changelog entry of one issue, oldest first
   * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-changelog-get).
   */
  async changelog(issueId: string): Promise<z.infer<typeof JiraHistory>[]> {
    const path = `/rest/api/3/issue/${encodeURIComponent(issueId)}/changelog`;
    const out: z.infer<typeof JiraHistory>[] = [];
    for (let startAt = 0; ;) {
      const res = await this.http.get(path, { params: { startAt, maxResults: CHANGELOG_LIMIT } });
      const page = body(PageBean, res.data, '/rest/api/3/issue/{id}/changelog');
      const items = parseItems(JiraHistory, page.values);
      if (items.invalid.length)
        throw new MaturityError(
          'E_CONNECTOR_RESPONSE',
          `Jira answered the changelog of issue ${issueId} with an entry that does not read (${items.invalid[0]!.error})`,
        );
      out.push(...items.items);
      startAt += page.values.length;
      const last = page.isLast ?? (page.total === undefined || startAt >= page.total);
      if (last || page.values.length === 0) return out;
    }
  }

  /**
   * GET /rest/api/3/applicationrole/{key}: the groups that give the role's licence. Only a Jira
   * administrator may read it: 403/404 answer undefined.
   */
  async applicationRole(key: string): Promise<ApplicationRole | undefined> {
    const res = await this.http.get(`/rest/api/3/applicationrole/${encodeURIComponent(key)}`, {
      allowStatus: [401, 403, 404],
    });
    if (res.status !== 200) return undefined;
    return body(ApplicationRole, res.data, '/rest/api/3/applicationrole/{key}');
  }

  /** One page of a group's members, inactive ones included. */
  async groupMembers<T>(
    group: { groupId?: string; name?: string },
    startAt: number,
    schema: z.ZodType<T>,
  ): Promise<Parsed<T> & { next?: number }> {
    const res = await this.http.get('/rest/api/3/group/member', {
      params: {
        ...(group.groupId ? { groupId: group.groupId } : { groupname: group.name }),
        includeInactiveUsers: true,
        startAt,
        maxResults: MEMBER_LIMIT,
      },
    });
    const page = body(PageBean, res.data, '/rest/api/3/group/member');
    const items = parseItems(schema, page.values);
    const after = startAt + page.values.length;
    const last =
      page.isLast ??
      (page.values.length === 0 || (page.total !== undefined && after >= page.total));
    return { ...items, ...(last ? {} : { next: after }) };
  }

  /**
   * The request's feedback (CSAT), or undefined when it has none (404). The method is experimental
   * in the service desk API, which serves those only to requests that opt in with a header.
   */
  async feedback(issueId: string): Promise<{ feedback?: Feedback; invalid?: Invalid }> {
    const res = await this.http.get(
      `/rest/servicedeskapi/request/${encodeURIComponent(issueId)}/feedback`,
      { allowStatus: [404], headers: { 'X-ExperimentalApi': 'opt-in' } },
    );
    if (res.status === 404 || res.data === undefined) return {};
    const r = Feedback.safeParse(res.data);
    return r.success ? { feedback: r.data } : { invalid: invalid(res.data, r.error, issueId) };
  }
}

/** A page body; a wrong shape is the vendor's fault and is said once, clearly. */
function body<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw new MaturityError(
    'E_CONNECTOR_RESPONSE',
    `Jira answered ${what} with an unexpected body (${zodSentence(r.error, { top: 'body' })}): check --site or --base-url`,
  );
}

/** Jira's error body (`{errorMessages: [...], errors: {field: message}}`) in a few words. */
function describe(data: unknown): string {
  const d = data as { errorMessages?: unknown; errors?: unknown } | undefined;
  const messages = [
    ...(Array.isArray(d?.errorMessages) ? d.errorMessages : []),
    ...(d?.errors && typeof d.errors === 'object' ? Object.values(d.errors) : []),
  ].filter((m): m is string => typeof m === 'string' && m.length > 0);
  return (messages.join('; ') || 'HTTP 400').slice(0, 300);
}
