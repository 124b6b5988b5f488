import { lookup as dnsLookup } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse, type LookupAddressEntry } from 'axios';
import { MaturityError } from '../../src/errors.js';
import { cliAddresses, resolvedProblem, type AddressPolicy } from './check-address.js';

export interface HttpClientOptions {
  /** Tool name for messages ("zendesk"). */
  tool: string;
  baseURL: string;
  headers: Record<string, string>;
  timeoutMs?: number;
  /** Attempts for 5xx, resets, timeouts and truncated bodies (first try included). */
  maxAttempts?: number;
  /** Longest Retry-After we sleep through; beyond it the call throws E_CONNECTOR_RATE_LIMIT. */
  maxRetryAfterMs?: number;
  /** Base of the jittered exponential backoff. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told about every wait (rate limit or backoff), for progress output. */
  onWait?: (event: { reason: 'rate-limit' | 'retry'; ms: number; status?: number }) => void;
  /**
   * Which addresses a host name may resolve to when connecting (check-address.ts); default
   * `cliAddresses`. Link-local and metadata addresses are refused whatever it says, so a name
   * that points at 169.254.169.254 (or is made to, later) is never called.
   */
  addresses?: AddressPolicy;
  /** The resolver (node:dns lookup), replaced in tests. */
  lookup?: typeof dnsLookup;
  /**
   * An Authorization header that expires (an OAuth access token got with a refresh token): made
   * before the first request, and made again once when a request answers 401. `post` is this
   * client's own form POST (same host guard, no retries), for the token endpoint.
   */
  authorize?: (post: FormPost) => Promise<string>;
}

/** A form-encoded POST through the client's connection (for a token endpoint). */
export type FormPost = (
  path: string,
  form: Record<string, string>,
) => Promise<{ status: number; data: unknown }>;

export interface Budget {
  /** Requests allowed per window (the vendor's documented limit), e.g. 10 per 60 s. */
  limit: number;
  windowMs: number;
}

export interface GetOptions {
  params?: Record<string, string | number | boolean | undefined>;
  /** Name of the rate-limit budget this endpoint draws on. */
  budget?: string;
  /** Accept these statuses as answers instead of errors (e.g. 403/404 for "table not readable"). */
  allowStatus?: number[];
  /** Headers of this request besides the client's own (e.g. an API's opt-in to a method). */
  headers?: Record<string, string>;
  /**
   * A quicker reading of a successful body than JSON.parse, for large pages: given the body's
   * bytes, what it returns (anything but undefined) is the result's data as it stands; undefined
   * sends the body through JSON.parse as usual. It must accept only what JSON.parse would.
   */
  scan?: (body: Buffer) => unknown;
}

export interface HttpResult<T = unknown> {
  status: number;
  data: T;
  headers: Record<string, string>;
}

/**
 * A 2xx body that was not valid JSON on every attempt (cut short in transit, or by the server:
 * a ServiceNow transaction cancelled part-way). Retryable, as a transport fault.
 */
export class BodyNotJson extends MaturityError {
  constructor(message: string) {
    super('E_CONNECTOR_UNAVAILABLE', message);
  }
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ERR_BAD_RESPONSE',
]);

/**
 * The only way connectors talk HTTP: JSON in, retries with jittered backoff for 5xx, resets,
 * timeouts and truncated bodies, Retry-After on 429 (capped), client-side budgets per endpoint
 * family, and the remaining-quota headers honoured. Never logs headers (they carry credentials).
 */
export class HttpClient {
  private readonly http: AxiosInstance;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly budgets = new Map<string, { budget: Budget; sent: number[] }>();
  /** When the server said its quota is used up: wait until this instant. */
  private readonly pausedUntil = new Map<string, number>();
  /** The header `authorize` made last (undefined: not yet, or to be made again). */
  private authorization: string | undefined;
  requests = 0;

  constructor(private readonly o: HttpClientOptions) {
    this.http = axios.create({
      baseURL: o.baseURL,
      headers: { Accept: 'application/json', ...o.headers },
      timeout: o.timeoutMs ?? 30_000,
      // We parse ourselves so that a truncated body is a retryable fault, not a crash.
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
      maxRedirects: 0,
      lookup: guardedLookup(o.addresses ?? cliAddresses, o.lookup ?? dnsLookup),
      // Connections of its own: one opened for another client (another account, another address
      // policy) is never reused past this client's lookup.
      httpAgent: new HttpAgent({ keepAlive: true }),
      httpsAgent: new HttpsAgent({ keepAlive: true }),
    });
    this.sleep = o.sleep ?? sleepReal;
  }

  defineBudget(name: string, budget: Budget): void {
    this.budgets.set(name, { budget, sent: [] });
  }

  async get<T = unknown>(path: string, options: GetOptions = {}): Promise<HttpResult<T>> {
    const maxAttempts = this.o.maxAttempts ?? 5;
    const budget = options.budget ?? 'default';
    let reauthorized = false;
    for (let attempt = 1; ; attempt++) {
      await this.takeBudget(budget);
      if (this.o.authorize && this.authorization === undefined)
        this.authorization = await this.o.authorize(this.formPost);
      const sent = {
        ...options.headers,
        ...(this.authorization ? { Authorization: this.authorization } : {}),
      };
      let res: AxiosResponse<string>;
      try {
        this.requests++;
        res = await this.http.get<string>(path, {
          params: options.params,
          ...(Object.keys(sent).length ? { headers: sent } : {}),
          ...(options.scan ? { responseType: 'arraybuffer' } : {}),
        });
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        if (RETRYABLE_CODES.has(code) && attempt < maxAttempts) {
          await this.backoff(attempt);
          continue;
        }
        throw this.unreached(err);
      }
      const headers = lowerHeaders(res.headers);
      this.noteQuota(budget, headers);
      const status = res.status;
      let scanned: unknown;
      if (options.scan) {
        const bytes = res.data as unknown as Buffer;
        if (status >= 200 && status < 300) scanned = options.scan(bytes);
        // Otherwise the text axios would have made of it (UTF-8, a byte order mark dropped).
        if (scanned === undefined) res.data = withoutBom(bytes.toString('utf8'));
      }
      if (status === 429) {
        const wait = retryAfterMs(headers) ?? this.backoffMs(attempt);
        const cap = this.o.maxRetryAfterMs ?? 60_000;
        if (wait > cap || attempt >= maxAttempts * 2) {
          throw new MaturityError(
            'E_CONNECTOR_RATE_LIMIT',
            `${this.o.tool} rate limit${reasonOf(headers)}: asked to wait ${Math.ceil(wait / 1000)} s (more than the ${Math.ceil(cap / 1000)} s cap); retry later`,
            { retryAfterMs: wait },
          );
        }
        this.o.onWait?.({ reason: 'rate-limit', ms: wait, status });
        await this.sleep(wait);
        continue;
      }
      if (status >= 500 && attempt < maxAttempts) {
        // A 503 of maintenance or of a resource limit may say when to come back (Zendesk's and
        // Atlassian's documentation): that wait, not a quicker backoff that spends the attempts.
        const asked = retryAfterMs(headers);
        if (asked === undefined) {
          await this.backoff(attempt, status);
          continue;
        }
        const cap = this.o.maxRetryAfterMs ?? 60_000;
        if (asked > cap) {
          throw new MaturityError(
            'E_CONNECTOR_UNAVAILABLE',
            `${this.o.tool} answered HTTP ${status} for ${path} and asked to wait ${Math.ceil(asked / 1000)} s (more than the ${Math.ceil(cap / 1000)} s cap); retry later`,
            { retryAfterMs: asked },
          );
        }
        this.o.onWait?.({ reason: 'retry', ms: asked, status });
        await this.sleep(asked);
        continue;
      }
      // An access token that expired since it was made: a new one, then the same request once.
      if (status === 401 && this.o.authorize && !reauthorized) {
        reauthorized = true;
        this.authorization = undefined;
        attempt--;
        continue;
      }
      if (options.allowStatus?.includes(status)) {
        return { status, data: safeJson(res.data) as T, headers };
      }
      if (status === 401 || status === 403) {
        throw new MaturityError(
          'E_CONNECTOR_AUTH',
          `${this.o.tool} refused the credentials (HTTP ${status}): check the user and token/password, and that the user may read ${path}`,
        );
      }
      if (status === 404) {
        throw new MaturityError(
          'E_CONNECTOR_NOT_FOUND',
          `${this.o.tool} answered 404 for ${path} at ${this.o.baseURL}`,
        );
      }
      if (status >= 300) {
        throw new MaturityError(
          status >= 500 ? 'E_CONNECTOR_UNAVAILABLE' : 'E_CONNECTOR_RESPONSE',
          `${this.o.tool} answered HTTP ${status} for ${path}${describeBody(res.data)}`,
        );
      }
      if (scanned !== undefined) return { status, data: scanned as T, headers };
      const contentType = headers['content-type'] ?? '';
      const parsed = safeJson(res.data);
      if (parsed === undefined) {
        if (/html/i.test(contentType) || /^\s*</.test(res.data ?? '')) {
          throw new MaturityError(
            'E_CONNECTOR_RESPONSE',
            `${this.o.tool} answered with an HTML page instead of JSON for ${path}: check the URL (the instance may be asleep or the host wrong)`,
          );
        }
        // A body cut short in transit: read the page again.
        if (attempt < maxAttempts) {
          await this.backoff(attempt, status);
          continue;
        }
        // Cut short on every attempt: a transport fault, retried later like one.
        throw new BodyNotJson(
          `${this.o.tool} sent a body that is not valid JSON for ${path} on ${attempt} attempts`,
        );
      }
      return { status, data: parsed as T, headers };
    }
  }

  /** A request that got no answer, as one line: a refused address is the user's input. */
  private unreached(err: unknown): MaturityError {
    const code = (err as { code?: string }).code ?? '';
    if (code === ADDRESS_REFUSED)
      return new MaturityError(
        'E_INPUT',
        `${this.o.tool} at ${this.o.baseURL} is not called: ${(err as Error).message}`,
        { cause: err },
      );
    return new MaturityError(
      'E_CONNECTOR_UNAVAILABLE',
      `${this.o.tool} could not be reached at ${this.o.baseURL} (${code || (err as Error).message})`,
      { cause: err },
    );
  }

  /** A form POST for `authorize` (a token endpoint): one request, its status and parsed body. */
  private readonly formPost: FormPost = async (path, form) => {
    this.requests++;
    try {
      const res = await this.http.post<string>(path, new URLSearchParams(form).toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      return { status: res.status, data: safeJson(res.data) };
    } catch (err) {
      throw this.unreached(err);
    }
  };

  private async backoff(attempt: number, status?: number): Promise<void> {
    const ms = this.backoffMs(attempt);
    this.o.onWait?.({ reason: 'retry', ms, ...(status ? { status } : {}) });
    await this.sleep(ms);
  }

  private backoffMs(attempt: number): number {
    const base = this.o.backoffMs ?? 500;
    const exp = Math.min(base * 2 ** (attempt - 1), 30_000);
    return Math.round(exp / 2 + Math.random() * (exp / 2)); // "equal jitter"
  }

  private async takeBudget(name: string): Promise<void> {
    const paused = this.pausedUntil.get(name);
    if (paused && paused > Date.now()) {
      const ms = paused - Date.now();
      this.o.onWait?.({ reason: 'rate-limit', ms });
      await this.sleep(ms);
    }
    const b = this.budgets.get(name);
    if (!b) return;
    const now = Date.now();
    b.sent = b.sent.filter((t) => t > now - b.budget.windowMs);
    if (b.sent.length >= b.budget.limit) {
      const ms = b.sent[0]! + b.budget.windowMs - now;
      this.o.onWait?.({ reason: 'rate-limit', ms });
      await this.sleep(ms);
    }
    b.sent.push(Date.now());
  }

  /** x-rate-limit-remaining / ratelimit-remaining / rate-limit-remaining: 0 means pause until reset. */
  private noteQuota(budget: string, h: Record<string, string>): void {
    const remaining =
      h['x-rate-limit-remaining'] ?? h['ratelimit-remaining'] ?? h['rate-limit-remaining'];
    if (remaining === undefined || Number(remaining) > 0) return;
    const reset = Number(
      h['ratelimit-reset'] ?? h['rate-limit-reset'] ?? h['x-rate-limit-reset'] ?? 1,
    );
    // Reset is seconds-until-reset in the IETF draft; treat big numbers as an epoch.
    const ms = reset > 1e9 ? reset * 1000 - Date.now() : reset * 1000;
    this.pausedUntil.set(
      budget,
      Date.now() + Math.min(Math.max(ms, 0), this.o.maxRetryAfterMs ?? 60_000),
    );
  }
}

const ADDRESS_REFUSED = 'E_ADDRESS_REFUSED';

/**
 * A resolver that refuses a host name any of whose addresses the policy refuses (all of them are
 * checked, so a name cannot slip a metadata address in among public ones). An IP address in the
 * URL is not looked up: the settings' own check (address-url.ts) has judged it already.
 */
function guardedLookup(policy: AddressPolicy, lookup: typeof dnsLookup) {
  return (
    hostname: string,
    options: object,
    cb: (err: Error | null, addresses: LookupAddressEntry[]) => void,
  ): void => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return cb(err, []);
      for (const a of addresses) {
        const problem = resolvedProblem(hostname, a.address, policy);
        if (problem) return cb(Object.assign(new Error(problem), { code: ADDRESS_REFUSED }), []);
      }
      cb(
        null,
        addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })),
      );
    });
  };
}

/** Why the vendor refused, when it says (Jira's `RateLimit-Reason`, e.g. jira-burst-based). */
const reasonOf = (h: Record<string, string>): string => {
  const r = (h['ratelimit-reason'] ?? h['x-ratelimit-reason'])
    ?.replace(/[^\w.,: -]/g, '')
    .slice(0, 80);
  return r ? ` (${r})` : '';
};

export function retryAfterMs(h: Record<string, string>): number | undefined {
  const v = h['retry-after'];
  if (v === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function lowerHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const src = (
    h && typeof (h as { toJSON?: () => object }).toJSON === 'function'
      ? (h as { toJSON: () => object }).toJSON()
      : h
  ) as Record<string, unknown>;
  for (const [k, v] of Object.entries(src ?? {}))
    if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

const withoutBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

function safeJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeBody(text: string | undefined): string {
  const j = safeJson(text) as { error?: unknown; description?: unknown } | undefined;
  if (j && typeof j === 'object') {
    const e = j.error;
    const msg =
      typeof e === 'string'
        ? e
        : typeof (e as { message?: unknown })?.message === 'string'
          ? (e as { message: string }).message
          : '';
    const d = typeof j.description === 'string' ? j.description : '';
    return msg || d ? `: ${[msg, d].filter(Boolean).join(' - ')}` : '';
  }
  return '';
}
