import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { faultInjector, type FaultKind } from '../helpers/helpdesk-fake.js';

/**
 * A Jira Service Management Cloud site served through nock, as the references document it: the
 * enhanced search (`/rest/api/3/search/jql`) reading the JQL the connector writes — `project in`,
 * `cf[…] is not EMPTY`, `updated >=` and `updated <` date literals read to the minute in the
 * account's time zone, `ORDER BY updated ASC|DESC` — with only the fields asked for, pages of at
 * most 100 issues (1,000 when two fields or fewer are asked for) chained by `nextPageToken`, and
 * the changelog inlined up to 5 entries (most recent first, `total` says how many there are);
 * the per-issue changelog; the service desk API's lists (`start`, `limit`, `isLastPage`); the
 * application role and its groups' members (`startAt`, `maxResults` up to 50); request feedback
 * (experimental: only with `X-ExperimentalApi: opt-in`).
 * Faults (429 with Retry-After, 5xx, resets, truncated bodies, slow answers, in turn) replace a
 * share of the answers drawn by a seeded generator, so a run is repeatable.
 */

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/jsm');
export const fixture = <T = unknown>(name: string): T =>
  JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;

/** The custom field ids of field.json. */
export const FID = {
  firstResponse: 'customfield_10030',
  resolution: 'customfield_10031',
  organisations: 'customfield_10002',
  requestType: 'customfield_10010',
  satisfaction: 'customfield_10034',
  satisfactionDate: 'customfield_10035',
  team: 'customfield_10001',
} as const;

export type Raw = Record<string, unknown>;

export interface FakeIssue {
  id: string;
  key: string;
  project: string;
  created: number;
  updated: number;
  resolved?: number;
  status: { id: string; name: string; category: 'new' | 'indeterminate' | 'done' };
  priority: string;
  assignee?: string;
  labels: string[];
  team?: { id: string; name: string };
  organisations: { id: string; name: string }[];
  requestType?: { id: string; name: string };
  /** SLA field values in Jira's shape ({completedCycles, ongoingCycle}). */
  firstResponse?: Raw;
  resolution?: Raw;
  /** Changelog entries, oldest first, in Jira's shape. */
  histories: Raw[];
  satisfaction?: { rating: number; at: number };
}

export interface FakeDesk {
  id: string;
  projectKey: string;
  projectName: string;
  queues: Raw[];
  requestTypes: Raw[];
}

export interface FakeSite {
  myself: Raw;
  fields: Raw[];
  statuses: Raw[];
  desks: FakeDesk[];
  organisations: Raw[];
  /** The application role jira-servicedesk (null: only an admin may read it, 403). */
  role: Raw | null;
  /** Members per group id. */
  members: Record<string, Raw[]>;
  issues: FakeIssue[];
}

export interface FakeOptions {
  faults?: number;
  seed?: number;
  slowMs?: number;
  /** Called before a search is answered: changes the site while it is read. */
  beforeSearch?: (query: Record<string, string>, site: FakeSite) => void;
}

export interface FakeStats {
  requests: number;
  byPath: Record<string, number>;
  faults: Record<FaultKind, number>;
  searches: Record<string, string>[];
}

export function emptySite(): FakeSite {
  return {
    myself: fixture<Raw>('myself.json'),
    fields: fixture<Raw[]>('field.json'),
    statuses: fixture<Raw[]>('status.json'),
    desks: [],
    organisations: [],
    role: null,
    members: {},
    issues: [],
  };
}

/** Jira's rendering of an instant: `2026-01-05T09:00:00.000+0000`. */
export const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** An instant as the SLA fields write it. */
export const slaDate = (ms: number) => ({
  iso8601: new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000'),
  jira: jiraTime(ms),
  friendly: new Date(ms).toUTCString(),
  epochMillis: ms,
});

/** A wall-clock time (`2026-01-05 09:12`) in a time zone ► the instant (ms). */
export function fromWall(text: string, zone: string): number {
  const m = /^(\d{4})[-/](\d\d)[-/](\d\d)(?: (\d\d):(\d\d))?$/.exec(text);
  if (!m) throw new Error(`not a JQL date: ${text}`);
  const guess = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0));
  // The earliest instant whose wall-clock time is that text (as Jira takes an ambiguous one).
  const wall = (ms: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      })
        .formatToParts(new Date(ms))
        .map((x) => [x.type, x.value]),
    );
    return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!);
  };
  for (const off of [
    -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    11, 12, 13, 14,
  ]
    .flatMap((h) => [h * 60, h * 60 + 30])
    .sort((a, b) => b - a)) {
    const ms = guess - off * 60_000;
    if (wall(ms) === guess) return ms;
  }
  return guess;
}

const PAGE = 100;
const LIGHT_PAGE = 1000;
const INLINE_HISTORIES = 5;

export function fakeJsm(base: string, site: FakeSite, o: FakeOptions = {}) {
  const faults = faultInjector({
    ...(o.faults !== undefined ? { rate: o.faults } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.slowMs !== undefined ? { slowMs: o.slowMs } : {}),
    headers429: { 'RateLimit-Reason': 'jira-burst-based' },
  });
  const stats: FakeStats = {
    requests: 0,
    byPath: {},
    faults: faults.counts,
    searches: [],
  };
  const scope = nock(base)
    .persist()
    .get(/^\/rest\//)
    .reply(async function (uri) {
      stats.requests++;
      const url = new URL(uri, base);
      const key = url.pathname.replace(/\/(issue|request|servicedesk)\/[^/]+/g, '/$1/{id}');
      stats.byPath[key] = (stats.byPath[key] ?? 0) + 1;
      const optIn = this.req.headers['x-experimentalapi'] === 'opt-in';
      const fault = await faults.next(() => answer(url, optIn));
      if (fault) return fault;
      const [status, body] = answer(url, optIn);
      return [status, JSON.stringify(body), { 'Content-Type': 'application/json;charset=UTF-8' }];
    });

  const zone = () => (site.myself.timeZone as string | undefined) ?? 'UTC';

  function render(i: FakeIssue, fields: Set<string>, changelog: boolean): Raw {
    const f: Raw = {};
    const put = (k: string, v: unknown) => {
      if (fields.has(k) || fields.has('*all')) f[k] = v;
    };
    put('created', jiraTime(i.created));
    put('updated', jiraTime(i.updated));
    put('resolutiondate', i.resolved ? jiraTime(i.resolved) : null);
    put('status', {
      id: i.status.id,
      name: i.status.name,
      statusCategory: { key: i.status.category },
    });
    put('priority', { name: i.priority });
    put('assignee', i.assignee ? { accountId: i.assignee, accountType: 'atlassian' } : null);
    put('labels', i.labels);
    put('project', { key: i.project });
    put(FID.firstResponse, i.firstResponse ?? null);
    put(FID.resolution, i.resolution ?? null);
    put(FID.team, i.team ? { id: i.team.id, name: i.team.name, title: i.team.name } : null);
    put(FID.organisations, i.organisations);
    put(FID.requestType, i.requestType ? { requestType: i.requestType } : null);
    put(FID.satisfaction, i.satisfaction ? { rating: i.satisfaction.rating } : null);
    put(FID.satisfactionDate, i.satisfaction ? jiraTime(i.satisfaction.at) : null);
    return {
      id: i.id,
      key: i.key,
      self: `${base}/rest/api/3/issue/${i.id}`,
      fields: f,
      ...(changelog
        ? {
            changelog: {
              startAt: 0,
              maxResults: INLINE_HISTORIES,
              total: i.histories.length,
              histories: [...i.histories].reverse().slice(0, INLINE_HISTORIES),
            },
          }
        : {}),
    };
  }

  function search(q: URLSearchParams): [number, unknown] {
    stats.searches.push(Object.fromEntries(q));
    o.beforeSearch?.(Object.fromEntries(q), site);
    const jql = q.get('jql') ?? '';
    const projects =
      /project in \(([^)]*)\)/
        .exec(jql)?.[1]
        ?.match(/"([^"]+)"/g)
        ?.map((s) => s.slice(1, -1)) ??
      (/project = "([^"]+)"/.exec(jql) ? [/project = "([^"]+)"/.exec(jql)![1]!] : undefined);
    if (!projects) return [400, { errorMessages: ['The JQL query is unbounded.'], errors: {} }];
    const from = /updated >= "([^"]+)"/.exec(jql)?.[1];
    const until = /updated < "([^"]+)"/.exec(jql)?.[1];
    const notEmpty = /cf\[(\d+)\] is not EMPTY/.exec(jql)?.[1];
    const desc = /ORDER BY updated DESC/.test(jql);
    const fromMs = from ? fromWall(from, zone()) : -Infinity;
    const untilMs = until ? fromWall(until, zone()) : Infinity;
    const list = site.issues
      .filter((i) => projects.includes(i.project))
      .filter((i) => i.updated >= fromMs && i.updated < untilMs)
      .filter((i) => notEmpty !== `${FID.team.slice('customfield_'.length)}` || i.team)
      .sort((a, b) => (a.updated - b.updated || Number(a.id) - Number(b.id)) * (desc ? -1 : 1));
    const fields = new Set((q.get('fields') ?? 'id').split(','));
    const size = Math.min(Number(q.get('maxResults') ?? 50), fields.size <= 2 ? LIGHT_PAGE : PAGE);
    let offset = 0;
    const token = q.get('nextPageToken');
    if (token) {
      const [sig, at] = Buffer.from(token, 'base64url').toString().split('|');
      if (sig !== jql)
        return [
          400,
          { errorMessages: ['The provided next page token is invalid or expired.'], errors: {} },
        ];
      offset = Number(at);
    }
    const slice = list.slice(offset, offset + size);
    const more = offset + size < list.length;
    return [
      200,
      {
        issues: slice.map((i) => render(i, fields, q.get('expand') === 'changelog')),
        ...(more
          ? {
              nextPageToken: Buffer.from(`${jql}|${offset + size}`).toString('base64url'),
              isLast: false,
            }
          : { isLast: true }),
      },
    ];
  }

  /** A service desk API list page. */
  const desk = (q: URLSearchParams, values: unknown[]): [number, unknown] => {
    const start = Number(q.get('start') ?? 0);
    const limit = Math.min(Number(q.get('limit') ?? 50), 50);
    const slice = values.slice(start, start + limit);
    return [
      200,
      {
        size: slice.length,
        start,
        limit,
        isLastPage: start + limit >= values.length,
        _links: {},
        values: slice,
      },
    ];
  };

  /** A platform PageBean. */
  const pageBean = (q: URLSearchParams, values: unknown[], max: number): [number, unknown] => {
    const startAt = Number(q.get('startAt') ?? 0);
    const maxResults = Math.min(Number(q.get('maxResults') ?? 50), max);
    const slice = values.slice(startAt, startAt + maxResults);
    return [
      200,
      {
        startAt,
        maxResults,
        total: values.length,
        isLast: startAt + maxResults >= values.length,
        values: slice,
      },
    ];
  };

  /** `optIn`: the request carries X-ExperimentalApi: opt-in, which experimental methods need. */
  function answer(url: URL, optIn: boolean): [number, unknown] {
    const p = url.pathname;
    const q = url.searchParams;
    if (p === '/rest/api/3/myself') return [200, site.myself];
    if (p === '/rest/api/3/field') return [200, site.fields];
    if (p === '/rest/api/3/status') return [200, site.statuses];
    if (p === '/rest/api/3/search/jql') return search(q);
    if (p === '/rest/api/3/search')
      return [410, { errorMessages: ['This endpoint has been removed.'] }];
    if (p === '/rest/api/3/applicationrole/jira-servicedesk')
      return site.role ? [200, site.role] : [403, { errorMessages: ['You are not authorized.'] }];
    if (p === '/rest/api/3/group/member') {
      const id = q.get('groupId') ?? '';
      return pageBean(q, site.members[id] ?? [], 50);
    }
    if (p === '/rest/servicedeskapi/servicedesk')
      return desk(
        q,
        site.desks.map((d) => ({
          id: d.id,
          projectId: `1${d.id}`,
          projectKey: d.projectKey,
          projectName: d.projectName,
        })),
      );
    if (p === '/rest/servicedeskapi/organization') return desk(q, site.organisations);
    let m = /^\/rest\/servicedeskapi\/servicedesk\/([^/]+)\/(queue|requesttype)$/.exec(p);
    if (m) {
      const d = site.desks.find((x) => x.id === m![1]);
      if (!d) return [404, { errorMessage: 'No service desk' }];
      return desk(q, m[2] === 'queue' ? d.queues : d.requestTypes);
    }
    m = /^\/rest\/api\/3\/issue\/([^/]+)\/changelog$/.exec(p);
    if (m) {
      const i = site.issues.find((x) => x.id === m![1] || x.key === m![1]);
      if (!i)
        return [
          404,
          { errorMessages: ['Issue does not exist or you do not have permission to see it.'] },
        ];
      return pageBean(q, i.histories, 100);
    }
    m = /^\/rest\/servicedeskapi\/request\/([^/]+)\/feedback$/.exec(p);
    if (m) {
      // An experimental method of the service desk API: refused without the opt-in header.
      if (!optIn)
        return [
          412,
          { errorMessage: "This API is experimental: set the header 'X-ExperimentalApi: opt-in'" },
        ];
      const i = site.issues.find((x) => x.id === m![1] || x.key === m![1]);
      if (!i?.satisfaction) return [404, { errorMessage: 'Feedback not found' }];
      return [200, { type: 'csat', rating: i.satisfaction.rating, comment: { body: 'Thanks' } }];
    }
    return [404, { errorMessages: [`no route ${p}`] }];
  }

  return { stats, scope };
}
