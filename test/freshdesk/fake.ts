import nock from 'nock';
import { faultInjector, type FaultKind } from '../helpers/helpdesk-fake.js';

/**
 * A Freshdesk account served through nock, as the API v2 reference documents it: every list a
 * JSON array of `per_page` items (at most 100) with the next page in the `link` header (absent on
 * the last page); tickets ordered and filtered by `updated_since`, `order_by=updated_at`,
 * `order_type=asc`, without the deleted and spam ones unless `filter` asks for them, with `stats`
 * only under `include=stats`, and a 400 past the page limit; the quota headers on every answer.
 * Faults (429 with Retry-After, 5xx, resets, truncated bodies, slow answers, in turn) replace a
 * share of the answers drawn by a seeded generator, so a run is repeatable.
 */
export interface FakeAccount {
  me: Record<string, unknown>;
  tickets: Record<string, unknown>[];
  slaPolicies: Record<string, unknown>[];
  groups: Record<string, unknown>[];
  agents: Record<string, unknown>[];
  roles: Record<string, unknown>[];
  companies: Record<string, unknown>[];
  /** Automation rules by type (1 creation, 3 time, 4 updates). */
  rules: Record<number, Record<string, unknown>[]>;
  categories: Record<string, unknown>[];
  /** Folders by category id, subfolders by folder id, articles by folder id. */
  folders: Record<string, Record<string, unknown>[]>;
  subfolders: Record<string, Record<string, unknown>[]>;
  articles: Record<string, Record<string, unknown>[]>;
  ratings: Record<string, unknown>[];
}

export interface FakeOptions {
  /** Share of answers replaced by a fault. */
  faults?: number;
  seed?: number;
  /** The deepest page served (Freshdesk: 300); deeper ones answer 400. */
  pageLimit?: number;
  /** Quota headers: the account's credits per minute (they never refill within a test). */
  quota?: number;
  /** How long a slow answer takes (the client's timeout must be shorter). */
  slowMs?: number;
  /** Called before a ticket list is answered: changes the account while it is read. */
  beforeTickets?: (query: Record<string, string>, account: FakeAccount) => void;
  /** Paths the API key may not read: 403 access_denied (the agent's role lacks the privilege). */
  refuse?: string[];
}

export interface FakeStats {
  requests: number;
  byPath: Record<string, number>;
  faults: Record<FaultKind, number>;
  /** Every ticket list asked for: its query. */
  ticketQueries: Record<string, string>[];
}

const PER_PAGE_MAX = 100;

export function emptyAccount(): FakeAccount {
  return {
    me: { id: 1, ticket_scope: 1, type: 'support_agent', contact: { email: 'admin@acme.example' } },
    tickets: [],
    slaPolicies: [],
    groups: [],
    agents: [],
    roles: [],
    companies: [],
    rules: { 1: [], 3: [], 4: [] },
    categories: [],
    folders: {},
    subfolders: {},
    articles: {},
    ratings: [],
  };
}

export function fakeFreshdesk(base: string, account: FakeAccount, o: FakeOptions = {}) {
  const faults = faultInjector({
    ...(o.faults !== undefined ? { rate: o.faults } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.slowMs !== undefined ? { slowMs: o.slowMs } : {}),
  });
  const stats: FakeStats = {
    requests: 0,
    byPath: {},
    faults: faults.counts,
    ticketQueries: [],
  };
  let used = 0;
  const scope = nock(base)
    .persist()
    .get(/^\/api\/v2\//)
    .reply(async function (uri) {
      stats.requests++;
      const url = new URL(uri, base);
      stats.byPath[url.pathname] = (stats.byPath[url.pathname] ?? 0) + 1;
      const fault = await faults.next(() => answer(url));
      if (fault) return fault;
      const [status, body, headers] = answer(url);
      used += url.searchParams.get('include') ? 3 : 1;
      return [
        status,
        JSON.stringify(body),
        {
          'Content-Type': 'application/json; charset=utf-8',
          ...(o.quota
            ? {
                'X-RateLimit-Total': String(o.quota),
                'X-RateLimit-Remaining': String(Math.max(0, o.quota - used)),
                'X-RateLimit-Used-CurrentRequest': url.searchParams.get('include') ? '3' : '1',
              }
            : {}),
          ...headers,
        },
      ];
    });

  /** One page of `items` with its link header. */
  function paged(url: URL, items: unknown[]): [number, unknown, Record<string, string>] {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    if (perPage > PER_PAGE_MAX || perPage < 1)
      return [
        400,
        {
          description: 'Validation failed',
          errors: [{ field: 'per_page', code: 'invalid_value' }],
        },
        {},
      ];
    if (o.pageLimit && page > o.pageLimit)
      return [
        400,
        {
          description: 'Validation failed',
          errors: [
            {
              field: 'page',
              message: `You cannot access tickets beyond the ${o.pageLimit}th page. Please provide a smaller page number.`,
              code: 'invalid_value',
            },
          ],
        },
        {},
      ];
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const more = page * perPage < items.length;
    const next = new URL(url.href);
    next.searchParams.set('page', String(page + 1));
    return [200, slice, more ? { Link: `<${next.href}>; rel="next"` } : {}];
  }

  function answer(url: URL): [number, unknown, Record<string, string>] {
    const p = url.pathname;
    const q = url.searchParams;
    if (o.refuse?.includes(p))
      return [
        403,
        { code: 'access_denied', message: 'You are not authorized to perform this action.' },
        {},
      ];
    if (p === '/api/v2/agents/me') return [200, account.me, {}];
    if (p === '/api/v2/tickets') {
      stats.ticketQueries.push(Object.fromEntries(q));
      o.beforeTickets?.(Object.fromEntries(q), account);
      const since = Date.parse(q.get('updated_since') ?? '');
      const filter = q.get('filter');
      const list = account.tickets
        .filter((t) => Date.parse(t.updated_at as string) >= since)
        .filter((t) =>
          filter === 'deleted'
            ? t.deleted === true
            : filter === 'spam'
              ? t.spam === true
              : !t.deleted && !t.spam,
        )
        .sort(
          (a, b) =>
            Date.parse(a.updated_at as string) - Date.parse(b.updated_at as string) ||
            Number(a.id) - Number(b.id),
        )
        .map((t) => {
          if (q.get('include') === 'stats') return t;
          const { stats: _, ...rest } = t;
          return rest;
        });
      return paged(url, list);
    }
    if (p === '/api/v2/sla_policies') return paged(url, account.slaPolicies);
    if (p === '/api/v2/groups') return paged(url, account.groups);
    // The list leaves out each agent's groups, roles and skills; View an Agent has them.
    if (p === '/api/v2/agents')
      return paged(
        url,
        account.agents.map(({ group_ids: _g, role_ids: _r, skill_ids: _s, ...a }) => a),
      );
    if (p === '/api/v2/roles') return paged(url, account.roles);
    if (p === '/api/v2/companies') return paged(url, account.companies);
    if (p === '/api/v2/solutions/categories') return paged(url, account.categories);
    if (p === '/api/v2/surveys/satisfaction_ratings') {
      const since = Date.parse(q.get('created_since') ?? '');
      return paged(
        url,
        account.ratings.filter((r) => Date.parse(r.created_at as string) >= since),
      );
    }
    let m = /^\/api\/v2\/agents\/(\d+)$/.exec(p);
    if (m) {
      const agent = account.agents.find((a) => String(a.id) === m![1]);
      return agent
        ? [200, { group_ids: [], role_ids: [], skill_ids: [], ...agent }, {}]
        : [404, { code: 'not_found' }, {}];
    }
    m = /^\/api\/v2\/automations\/(\d+)\/rules$/.exec(p);
    if (m) return [200, { rules: account.rules[Number(m[1])] ?? [] }, {}];
    m = /^\/api\/v2\/solutions\/categories\/(\d+)\/folders$/.exec(p);
    if (m) return paged(url, account.folders[m[1]!] ?? []);
    m = /^\/api\/v2\/solutions\/folders\/(\d+)\/subfolders$/.exec(p);
    if (m) return paged(url, account.subfolders[m[1]!] ?? []);
    m = /^\/api\/v2\/solutions\/folders\/(\d+)\/articles$/.exec(p);
    if (m) return paged(url, account.articles[m[1]!] ?? []);
    return [404, { code: 'not_found' }, {}];
  }

  return { stats, scope };
}
