import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prng } from '../demo/generate-org.js';
import { profiles, type Profile, type ProfileName } from '../demo/profiles.js';
import { buildZendeskData, type ZendeskData } from './zendesk-data.js';

export type FaultKind = '5xx' | 'reset' | 'truncate';

export interface SimulatorOptions {
  profile: ProfileName | Profile;
  tickets: number;
  now?: Date;
  /** Days of history the tickets spread over (default 180). */
  days?: number;
  /** Seeds the organisation and the faults: the same seed gives the same account and faults. */
  seed?: number;
  /** Accepted API-token credentials (Basic `email/token:token`). */
  credentials?: { email: string; token: string };
  /** Accepted OAuth bearer token. */
  oauthToken?: string;
  /** After `perWindow` requests of one family (incremental, help center, other), one 429. */
  rateLimit?: { perWindow: number; retryAfterSeconds?: number };
  /**
   * Zendesk's documented per-minute limits, enforced over a sliding minute per family: the
   * incremental exports 10 requests a minute, the rest of the Support API `perMinute` (700 on
   * Enterprise, 400 on Professional, 200 on Team), the help centre the same. Over the limit: 429
   * with Retry-After = the seconds until the oldest request of the minute leaves it.
   */
  realLimits?: { incrementalPerMinute?: number; perMinute?: number };
  /** Share of requests (0..1) answered with a fault; never twice in a row. */
  faults?: { rate: number; kinds?: FaultKind[] };
  /** Items per page of the incremental exports (Zendesk: 1000). */
  exportPageSize?: number;
}

export interface SimulatorStats {
  requests: number;
  byPath: Record<string, number>;
  faults: Record<FaultKind, number>;
  rateLimited: number;
  /** The start_time of every incremental export request that gave one, by path. */
  startTimes: Record<string, number[]>;
}

export interface ZendeskSimulator {
  /** Base URL to give the connector as --base-url. */
  url: string;
  data: ZendeskData;
  stats: SimulatorStats;
  credentials: { email: string; token: string };
  close(): Promise<void>;
}

export const demoCredentials = { email: 'admin@demo.example', token: 'simulator-token' };
const MAX_PAGE = 100;

/**
 * A local Zendesk: serves a profile's organisation on 127.0.0.1 (random port) with the endpoints,
 * shapes and pagination styles of the real API (cursor and offset lists, the cursor-based ticket
 * export, the time-based metric-event export), its authentication quirks (anonymous user on bad
 * credentials, 401 elsewhere), and optional rate limiting and faults, deterministic from a seed.
 */
export async function startZendeskSimulator(o: SimulatorOptions): Promise<ZendeskSimulator> {
  const profile = typeof o.profile === 'string' ? profiles[o.profile] : o.profile;
  const now = o.now ?? new Date();
  const data = buildZendeskData(profile, {
    tickets: o.tickets,
    now,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.days !== undefined ? { days: o.days } : {}),
  });
  const credentials = o.credentials ?? demoCredentials;
  const basic = `Basic ${Buffer.from(`${credentials.email}/token:${credentials.token}`).toString('base64')}`;
  const stats: SimulatorStats = {
    requests: 0,
    byPath: {},
    faults: { '5xx': 0, reset: 0, truncate: 0 },
    rateLimited: 0,
    startTimes: {},
  };
  const faultRnd = prng((o.seed ?? 42) ^ 0x5eed);
  let lastFaulted = false;
  const windowCount = new Map<string, number>();
  /** Request times of the last minute, per family (realLimits). */
  const minute = new Map<string, number[]>();
  const exportSize = o.exportPageSize ?? 1000;
  const eventTimes = data.metricEvents.map((e) => Date.parse(String(e.time)) / 1000);

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      send(res, 500, { error: 'InternalError', description: (err as Error).message });
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/\.json$/, '');
    stats.requests++;
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    const startTime = url.searchParams.get('start_time');
    if (startTime !== null) (stats.startTimes[path] ??= []).push(Number(startTime));
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;

    if (o.faults && o.faults.rate > 0 && !lastFaulted && faultRnd() < o.faults.rate) {
      lastFaulted = true;
      const kinds = o.faults.kinds ?? ['5xx', 'reset', 'truncate'];
      const kind = kinds[Math.floor(faultRnd() * kinds.length)]!;
      stats.faults[kind]++;
      if (kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (kind === '5xx') {
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html><body><h1>503 Service Unavailable</h1></body></html>');
        return;
      }
      // A body cut short in transit: JSON headers, half the bytes, a clean end.
      const answer = route(path, url, origin);
      const body = typeof answer === 'object' ? JSON.stringify(answer) : '{"error":';
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body.slice(0, Math.floor(body.length / 2)));
      return;
    }
    lastFaulted = false;

    const family = path.includes('/incremental/')
      ? 'incremental'
      : path.includes('/help_center/')
        ? 'help-center'
        : 'default';
    const headers: Record<string, string> = {};
    if (o.realLimits) {
      const limit =
        family === 'incremental'
          ? (o.realLimits.incrementalPerMinute ?? 10)
          : (o.realLimits.perMinute ?? 700);
      const now = Date.now();
      const sent = (minute.get(family) ?? []).filter((t) => t > now - 60_000);
      if (sent.length >= limit) {
        minute.set(family, sent);
        stats.rateLimited++;
        const retry = Math.max(1, Math.ceil((sent[0]! + 60_000 - now) / 1000));
        res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(retry) });
        res.end('Too Many Requests');
        return;
      }
      sent.push(now);
      minute.set(family, sent);
      headers['x-rate-limit'] = String(limit);
      headers['x-rate-limit-remaining'] = String(limit - sent.length);
      headers['ratelimit-remaining'] = headers['x-rate-limit-remaining'];
      headers['ratelimit-reset'] = String(Math.ceil((sent[0]! + 60_000 - now) / 1000));
    } else if (o.rateLimit) {
      const used = (windowCount.get(family) ?? 0) + 1;
      const retry = String(o.rateLimit.retryAfterSeconds ?? 1);
      if (used > o.rateLimit.perWindow) {
        windowCount.set(family, 0);
        stats.rateLimited++;
        res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': retry });
        res.end('Too Many Requests');
        return;
      }
      windowCount.set(family, used);
      headers['x-rate-limit'] = String(o.rateLimit.perWindow);
      headers['x-rate-limit-remaining'] = String(Math.max(1, o.rateLimit.perWindow - used));
      headers['ratelimit-remaining'] = headers['x-rate-limit-remaining'];
      headers['ratelimit-reset'] = retry;
    } else {
      headers['x-rate-limit'] = '700';
      headers['x-rate-limit-remaining'] = '699';
    }

    if (!authorised(req.headers.authorization)) {
      if (path === '/api/v2/users/me') {
        // Zendesk answers bad credentials on users/me with the anonymous user.
        send(
          res,
          200,
          {
            user: {
              id: null,
              url: null,
              name: 'Anonymous user',
              email: 'invalid@example.com',
              role: 'end-user',
            },
          },
          headers,
        );
      } else {
        send(res, 401, { error: "Couldn't authenticate you" }, headers);
      }
      return;
    }
    const body = route(path, url, origin);
    if (body === undefined) {
      send(res, 404, { error: 'InvalidEndpoint', description: 'Not found' }, headers);
      return;
    }
    if (body === 400) {
      send(
        res,
        400,
        { error: 'InvalidValue', description: 'start_time or cursor is required' },
        headers,
      );
      return;
    }
    send(res, 200, body, headers);
  }

  function authorised(header: string | undefined): boolean {
    if (!header) return false;
    if (header === basic) return true;
    return Boolean(o.oauthToken) && header === `Bearer ${o.oauthToken}`;
  }

  function route(path: string, url: URL, origin: string): object | 400 | undefined {
    const q = url.searchParams;
    switch (path) {
      case '/api/v2/users/me':
        return { user: data.me };
      case '/api/v2/incremental/tickets/cursor':
        return ticketExport(q);
      case '/api/v2/incremental/ticket_metric_events':
        return metricEvents(q, origin);
      case '/api/v2/slas/policies':
        return {
          sla_policies: data.slaPolicies,
          next_page: null,
          previous_page: null,
          count: data.slaPolicies.length,
        };
      case '/api/v2/group_slas/policies':
        return {
          group_sla_policies: data.groupSlaPolicies,
          next_page: null,
          previous_page: null,
          count: data.groupSlaPolicies.length,
        };
      case '/api/v2/organization_fields':
        return list('organization_fields', data.organizationFields, q, origin, path);
      case '/api/v2/organizations':
        return list('organizations', data.organizations, q, origin, path);
      case '/api/v2/groups':
        return list('groups', data.groups, q, origin, path);
      case '/api/v2/group_memberships':
        return list('group_memberships', data.groupMemberships, q, origin, path);
      case '/api/v2/users': {
        const roles = q.getAll('role[]').concat(q.getAll('role'));
        const users = roles.length
          ? data.users.filter((u) => roles.includes(String(u.role)))
          : data.users;
        return list('users', users, q, origin, path);
      }
      case '/api/v2/macros':
        return list('macros', data.macros, q, origin, path);
      case '/api/v2/triggers':
        return list('triggers', data.triggers, q, origin, path);
      case '/api/v2/automations':
        return list('automations', data.automations, q, origin, path);
      case '/api/v2/help_center/articles':
      case '/api/v2/help_center/en-us/articles':
        return list('articles', data.articles, q, origin, path);
      case '/api/v2/satisfaction_ratings': {
        // start_time / end_time: the oldest and the most recent rating, epoch seconds.
        const from = Number(q.get('start_time') ?? '-Infinity');
        const until = Number(q.get('end_time') ?? 'Infinity');
        const ratings = data.satisfactionRatings.filter((r) => {
          const t = Date.parse(String(r.created_at)) / 1000;
          return t >= from && t <= until;
        });
        return list('satisfaction_ratings', ratings, q, origin, path);
      }
      default:
        return undefined;
    }
  }

  /** Cursor pagination when page[size] is given, offset pagination (page, per_page) otherwise. */
  function list(key: string, items: unknown[], q: URLSearchParams, origin: string, path: string) {
    const size = Math.min(
      Number(q.get('page[size]') ?? q.get('per_page') ?? MAX_PAGE) || MAX_PAGE,
      MAX_PAGE,
    );
    const link = (extra: string) => `${origin}${path}.json?${extra}`;
    if (q.has('page[size]')) {
      const after = q.get('page[after]');
      const start = after ? decodeOffset(after) : 0;
      const page = items.slice(start, start + size);
      const end = start + page.length;
      const afterCursor = page.length ? encodeOffset(end) : null;
      return {
        [key]: page,
        meta: {
          has_more: end < items.length,
          after_cursor: afterCursor,
          before_cursor: page.length ? encodeOffset(start) : null,
        },
        links: {
          prev:
            start > 0
              ? link(`page%5Bbefore%5D=${encodeOffset(start)}&page%5Bsize%5D=${size}`)
              : null,
          // Like Zendesk, a next link can be present on the last page: clients loop on has_more.
          next: afterCursor ? link(`page%5Bafter%5D=${afterCursor}&page%5Bsize%5D=${size}`) : null,
        },
      };
    }
    const pageNo = Math.max(1, Number(q.get('page') ?? 1) || 1);
    const start = (pageNo - 1) * size;
    const page = items.slice(start, start + size);
    return {
      [key]: page,
      next_page: start + size < items.length ? link(`page=${pageNo + 1}&per_page=${size}`) : null,
      previous_page: pageNo > 1 ? link(`page=${pageNo - 1}&per_page=${size}`) : null,
      count: items.length,
    };
  }

  // https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
  function ticketExport(q: URLSearchParams): object | 400 {
    const size = Math.min(Number(q.get('per_page') ?? exportSize) || exportSize, exportSize);
    const cursor = q.get('cursor');
    const startTime = q.get('start_time');
    let from: [number, number];
    if (cursor) {
      const [ts, id] = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
      from = [ts ?? 0, id ?? 0];
    } else if (startTime !== null && /^\d+$/.test(startTime)) {
      from = [Number(startTime) - 1, Number.MAX_SAFE_INTEGER];
    } else {
      return 400;
    }
    const tickets = data.tickets;
    // First ticket strictly after the cursor position, by (generated_timestamp, id).
    let lo = 0;
    let hi = tickets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = tickets[mid]!;
      const ts = t.generated_timestamp as number;
      if (ts < from[0] || (ts === from[0] && (t.id as number) <= from[1])) lo = mid + 1;
      else hi = mid;
    }
    const page = tickets.slice(lo, lo + size);
    const last = page[page.length - 1];
    const after = last
      ? Buffer.from(`${last.generated_timestamp as number}:${last.id as number}`).toString(
          'base64url',
        )
      : Buffer.from(`${from[0]}:${from[1]}`).toString('base64url');
    const withSets = (q.get('include') ?? '').split(',').includes('metric_sets');
    return {
      tickets: page,
      ...(withSets
        ? { metric_sets: page.map((t) => data.metricSets.get(t.id as number)).filter(Boolean) }
        : {}),
      after_url: `/api/v2/incremental/tickets/cursor.json?cursor=${after}`,
      after_cursor: after,
      before_url: null,
      before_cursor: null,
      end_of_stream: lo + page.length >= tickets.length,
    };
  }

  // https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metric_events/ (time-based export)
  function metricEvents(q: URLSearchParams, origin: string): object | 400 {
    const start = q.get('start_time');
    if (start === null || !/^\d+$/.test(start)) return 400;
    const from = Number(start);
    let lo = 0;
    let hi = eventTimes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (eventTimes[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    const page = data.metricEvents.slice(lo, lo + exportSize);
    const endTime = page.length ? Math.floor(eventTimes[lo + page.length - 1]!) : from;
    return {
      ticket_metric_events: page,
      next_page: `${origin}/api/v2/incremental/ticket_metric_events.json?start_time=${endTime}`,
      count: page.length,
      end_time: endTime,
      end_of_stream: lo + page.length >= data.metricEvents.length,
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    data,
    stats,
    credentials,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

const encodeOffset = (n: number) => Buffer.from(`o:${n}`).toString('base64url');
function decodeOffset(cursor: string): number {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? Number(m[1]) : 0;
}
