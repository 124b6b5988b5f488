import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { parseSite } from '../../connectors/jsm/config.js';
import { jsm } from '../../connectors/jsm/index.js';
import {
  Feedback,
  GroupMember,
  JiraHistory,
  Organization,
  RequestType,
  SearchBody,
  ServiceDesk,
  issueSchema,
  type JiraField,
  type JiraIssue,
} from '../../connectors/jsm/schemas.js';
import { toAgent } from '../../connectors/jsm/streams/agents.js';
import { jqlDate } from '../../connectors/jsm/streams/jql.js';
import {
  reopensIn,
  toSlaOutcomes,
  toTicket,
  type Statuses,
} from '../../connectors/jsm/streams/map-issue.js';
import { toOrganisation } from '../../connectors/jsm/streams/organisations.js';
import { toSatisfactionRating } from '../../connectors/jsm/streams/satisfaction-ratings.js';
import { fromRequestType } from '../../connectors/jsm/streams/service-desks.js';
import { findFields } from '../../connectors/jsm/streams/site.js';
import {
  countGoals,
  toSlaPolicy,
  type GoalCounts,
} from '../../connectors/jsm/streams/sla-policies.js';
import { MaturityError } from '../../src/errors.js';
import { connectAccount } from '../../src/jobs/connect-account.js';
import { SecretBox } from '../../src/store/secrets.js';
import {
  FID,
  emptySite,
  fakeJsm,
  fixture,
  fromWall,
  jiraTime,
  type FakeIssue,
  type Raw,
} from './fake.js';
import { BASE, NOW, fakeSleep, ids, syncJsm, useStore } from './helpers.js';

const t = useStore('acme');

const ids_ = findFields(fixture<JiraField[]>('field.json'), undefined);
const statusList =
  fixture<{ id: string; name: string; statusCategory: { key: string } }[]>('status.json');
const statuses: Statuses = {
  byId: new Map(statusList.map((s) => [s.id, s.statusCategory.key])),
  byName: new Map(statusList.map((s) => [s.name.toLowerCase(), s.statusCategory.key])),
};
const sample = () =>
  SearchBody.parse(fixture('search-jql.json')).issues.map((i) =>
    issueSchema(ids_).parse(i),
  ) as JiraIssue[];

describe('the documented samples, mapped', () => {
  it('finds the SLA, team, organisation, request type and satisfaction fields by name or type', () => {
    expect(ids_).toEqual({
      firstResponse: 'customfield_10030',
      resolution: 'customfield_10031',
      team: 'customfield_10001',
      organisations: 'customfield_10002',
      requestType: 'customfield_10010',
      satisfaction: 'customfield_10034',
      satisfactionDate: 'customfield_10035',
    });
    expect(findFields(fixture<JiraField[]>('field.json'), 'customfield_10002').team).toBe(
      'customfield_10002',
    );
    expect(() => findFields(fixture<JiraField[]>('field.json'), 'Squad')).toThrow(
      /check --team-field/,
    );
  });

  it('tickets: status category, resolution, first response from the SLA, reopens from the changelog', () => {
    const [a, b] = sample();
    const histories = a!.changelog!.histories;
    expect(toTicket(a!, ids_, histories, statuses)).toEqual({
      sourceId: '10068',
      createdAt: '2026-01-04T22:00:00.000Z',
      updatedAt: '2026-01-08T05:30:00.000Z',
      solvedAt: '2026-01-08T05:30:00.000Z',
      priority: 'urgent',
      status: 'solved',
      groupId: '36885b3c-1bf0-4f85-a357-c5b858c31de4',
      assigneeId: '5b10a2844c20165700ede21g',
      organisationId: '1',
      category: 'Get IT help',
      reopenCount: 1,
      tags: ['VPN', 'remote'],
      firstResponseMinutes: 45,
    });
    // Waiting for the customer, not answered yet, no changelog read: reopens unknown.
    const open = toTicket(b!, ids_, undefined, statuses);
    expect(open).toMatchObject({ status: 'pending', priority: 'normal' });
    expect(open.solvedAt).toBeUndefined();
    expect(open.reopenCount).toBeUndefined();
    expect(open.firstResponseMinutes).toBeUndefined();
    // A status the site no longer lists: reopens unknown, not zero.
    const gone = [
      JiraHistory.parse({
        created: '2026-01-01T00:00:00.000+0000',
        items: [{ field: 'status', from: '99', to: '3' }],
      }),
    ];
    expect(reopensIn(gone, statuses)).toBeUndefined();
  });

  it('SLA cycles ► outcomes: met, breached at the breach time, a second cycle after a reopening, ongoing ones', () => {
    const [a, b] = sample();
    expect(toSlaOutcomes(a!, ids_, NOW)).toEqual([
      {
        sourceId: '10068:first_reply_time:1',
        ticketId: '10068',
        metric: 'first_reply_time',
        targetMinutes: 60,
        measuredMinutes: 45,
        status: 'met',
        completedAt: '2026-01-04T22:45:00.000Z',
      },
      {
        sourceId: '10068:resolution_time:1',
        ticketId: '10068',
        metric: 'resolution_time',
        targetMinutes: 240,
        measuredMinutes: 300,
        status: 'breached',
        completedAt: '2026-01-05T02:00:00.000Z',
      },
      expect.objectContaining({ sourceId: '10068:resolution_time:2', status: 'met' }),
    ]);
    // Running and not breached yet: active; once its breach time passes: breached then.
    expect(toSlaOutcomes(b!, ids_, new Date('2026-01-09T01:00:00Z'))).toEqual([
      expect.objectContaining({
        sourceId: '10069:first_reply_time:1',
        status: 'active',
        targetMinutes: 480,
      }),
    ]);
    expect(toSlaOutcomes(b!, ids_, NOW)).toEqual([
      expect.objectContaining({ status: 'breached', completedAt: '2026-01-09T05:00:00.000Z' }),
    ]);
  });

  it('sla-policies: the goals the issues carry, per priority, within calendar hours or not', () => {
    const counts: GoalCounts = {};
    for (const i of sample()) countGoals(counts, i, ids_);
    const desk = ServiceDesk.parse(fixture<{ values: unknown[] }>('servicedesk.json').values[0]);
    expect(toSlaPolicy(desk, counts)).toEqual({
      sourceId: 'sla:ITH',
      name: 'IT Help Desk SLAs',
      kind: 'sla',
      targets: [
        { priority: 'urgent', metric: 'first_reply_time', targetMinutes: 60, businessHours: false },
        { priority: 'urgent', metric: 'resolution_time', targetMinutes: 240, businessHours: false },
        { priority: 'normal', metric: 'first_reply_time', targetMinutes: 480, businessHours: true },
      ],
      conditions: [{ field: 'project', value: 'ITH' }],
    });
    expect(toSlaPolicy(desk, {})).toBeUndefined();
  });

  it('agents, organisations, service-desks, satisfaction-ratings', () => {
    const members = fixture<{ values: unknown[] }>('group-member.json').values.map((m) =>
      GroupMember.parse(m),
    );
    expect(members.map(toAgent)).toEqual([
      {
        ok: true,
        record: expect.objectContaining({
          sourceId: '5b10a2844c20165700ede21g',
          active: true,
          role: 'agent',
        }),
      },
      {
        ok: true,
        record: expect.objectContaining({ sourceId: '5b10ac8d82e05b22cc7d4ef5', active: false }),
      },
      { ok: 'skip' },
    ]);
    const org = Organization.parse(fixture<{ values: unknown[] }>('organization.json').values[0]);
    expect(toOrganisation(org)).toEqual({
      sourceId: '1',
      name: 'Charlie Cakes Franchises',
      tags: [],
    });
    expect(
      ServiceDesk.parse(fixture<{ values: unknown[] }>('servicedesk.json').values[0]).projectKey,
    ).toBeTruthy();
    const types = fixture<{ values: unknown[] }>('requesttype.json').values.map((r) =>
      RequestType.parse(r),
    );
    expect(types.map(fromRequestType).map((a) => [a.sourceId, a.kind])).toEqual([
      ['requesttype-11001', 'form'],
      ['requesttype-11002', 'form'],
    ]);
    const [a] = sample();
    const rating = toSatisfactionRating(a!, Feedback.parse(fixture('feedback.json')), ids_);
    expect(rating).toEqual({
      sourceId: '10068',
      ticketId: '10068',
      score: 'good',
      createdAt: '2026-01-08T05:30:00.000Z',
    });
    expect(toSatisfactionRating(a!, { rating: 3 }, ids_).score).toBe('bad');
  });

  it('--site: acme, acme.atlassian.net or a URL; never a metadata address', () => {
    for (const s of [
      'acme',
      'ACME.atlassian.net',
      'https://acme.atlassian.net/jira/servicedesk/projects/IT',
    ])
      expect(parseSite(s)).toEqual({ site: 'acme', url: 'https://acme.atlassian.net' });
    expect(parseSite('jira.acme.com')).toMatch(/not a Jira Cloud site/);
    expect(parseSite('https://169.254.169.254')).toMatch(/cloud metadata/);
  });

  it('writes JQL dates in the account’s zone, three hours early near a change of its offset', () => {
    expect(jqlDate(Date.parse('2026-01-15T08:30:00Z'), 'Europe/Berlin')).toBe('"2026-01-15 09:30"');
    expect(jqlDate(Date.parse('2026-01-15T08:30:00Z'), 'Australia/Sydney')).toBe(
      '"2026-01-15 19:30"',
    );
    // Berlin falls back at 01:00Z on 2025-10-26: 02:30 local names two instants.
    const fold = Date.parse('2025-10-26T00:30:00Z');
    expect(jqlDate(fold, 'Europe/Berlin')).toBe('"2025-10-25 23:30"');
    expect(
      fromWall(jqlDate(fold, 'Europe/Berlin').slice(1, -1), 'Europe/Berlin'),
    ).toBeLessThanOrEqual(fold);
    expect(jqlDate(fold, 'Europe/Berlin', 'upper')).toBe('"2025-10-26 04:30"');
  });
});

describe('connect: the myself check', () => {
  const box = new SecretBox('x'.repeat(32));
  const connect = (name: string) =>
    connectAccount(t.store, jsm, {
      name,
      config: { site: 'acme' },
      secret: { email: 'admin@acme.example', token: 'token-123' },
      box,
      clientOptions: { sleep: async () => undefined, backoffMs: 1 },
    });
  const me = () => nock(BASE).get('/rest/api/3/myself');

  it('stores the account when the token answers as an Atlassian account, with basic auth email:token', async () => {
    nock(BASE, {
      reqheaders: {
        authorization: `Basic ${Buffer.from('admin@acme.example:token-123').toString('base64')}`,
      },
    })
      .get('/rest/api/3/myself')
      .reply(200, fixture('myself.json'));
    const { identity, account: a } = await connect('jsm-ok');
    expect(identity).toBe('mia@example.com on https://acme.atlassian.net');
    expect(await t.store.accountSecret(a.id)).not.toContain('token-123');
  });

  it.each([
    [
      'a bad token (401)',
      () =>
        me().reply(401, 'Client must be authenticated to access this resource.', {
          'Content-Type': 'text/html',
        }),
      'E_CONNECTOR_AUTH',
      /refused the email and API token \(HTTP 401\): check --email and --token/,
    ],
    [
      'an anonymous answer',
      () => me().reply(200, { self: `${BASE}/rest/api/3/user`, active: false }),
      'E_CONNECTOR_AUTH',
      /anonymous user.*check --email and --token/,
    ],
    [
      'a CAPTCHA after failed logins',
      () => me().reply(403, '', { 'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED' }),
      'E_CONNECTOR_AUTH',
      /CAPTCHA/,
    ],
    [
      'an unknown site (404)',
      () => me().reply(404, '<html>Site unavailable</html>', { 'Content-Type': 'text/html' }),
      'E_CONNECTOR_NOT_FOUND',
      /no Jira Cloud site at https:\/\/acme.atlassian.net \(HTTP 404\): check --site/,
    ],
    [
      'an unknown site (a redirect away from it)',
      () => me().reply(302, '', { Location: 'https://www.atlassian.com/' }),
      'E_CONNECTOR_NOT_FOUND',
      /HTTP 302\): check --site/,
    ],
    [
      'an HTML answer',
      () => me().reply(200, '<!DOCTYPE html><html>Log in</html>', { 'Content-Type': 'text/html' }),
      'E_CONNECTOR_RESPONSE',
      /HTML page, not Jira's REST API: check --site/,
    ],
    [
      'a portal customer',
      () =>
        me().reply(200, {
          accountId: 'qm:1',
          accountType: 'customer',
          emailAddress: 'c@x.example',
        }),
      'E_CONNECTOR_AUTH',
      /portal customer/,
    ],
  ])('refuses %s in one sentence and stores nothing', async (_, reply, code, message) => {
    reply();
    const name = `jsm-bad-${t.account.id}`;
    const err = await connect(name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MaturityError);
    expect(err).toMatchObject({ code, message: expect.stringMatching(message) });
    expect((err as Error).message).not.toContain('token-123');
    expect((err as Error).message.split('\n')).toHaveLength(1);
    expect((await t.store.listAccounts()).map((x) => x.name)).not.toContain(name);
  });
});

const MIN = 60_000;
/** A plain issue of the IT desk, updated at `updated`. */
const issue = (n: number, updated: number, extra: Partial<FakeIssue> = {}): FakeIssue => ({
  id: String(30_000 + n),
  key: `IT-${n}`,
  project: 'IT',
  created: updated - 60 * MIN,
  updated,
  status: { id: '3', name: 'In Progress', category: 'indeterminate' },
  priority: 'Medium',
  labels: [],
  organisations: [],
  histories: [],
  ...extra,
});
const itSite = (issues: FakeIssue[]) => {
  const s = emptySite();
  s.myself = { ...s.myself, timeZone: 'Europe/Berlin' };
  s.desks = [
    { id: '1', projectKey: 'IT', projectName: 'IT Help Desk', queues: [], requestTypes: [] },
  ];
  s.issues = issues;
  return s;
};
const sinceOf = (jql: string | undefined) => /updated >= "([^"]+)"/.exec(jql ?? '')?.[1];

describe('tickets: the enhanced search, page tokens and the minute boundary', () => {
  it('follows nextPageToken through 250 issues of one minute, then starts the next search at that minute', async () => {
    const minute = Date.parse('2026-02-20T10:15:00Z');
    const s = itSite([
      ...Array.from({ length: 250 }, (_, n) => issue(n, minute + (n % 50) * 1000)),
      ...Array.from({ length: 30 }, (_, n) => issue(300 + n, minute + (n + 2) * MIN)),
    ]);
    const fake = fakeJsm(BASE, s);
    const [out] = await syncJsm(t.store, t.account, {
      streams: ['tickets'],
      historyFrom: new Date(minute),
    });
    expect(out).toMatchObject({ ok: true, records: 280 });
    const q = fake.stats.searches;
    // The same search, paged by token, while its pages stay on the minute asked from.
    expect(q[1]).toMatchObject({ jql: q[0]!.jql, nextPageToken: expect.any(String) });
    expect(q[2]).toMatchObject({ jql: q[0]!.jql, nextPageToken: expect.any(String) });
    expect(sinceOf(q[0]!.jql)).toBe('2026-02-20 11:15');
    expect(q[0]!.jql).toMatch(
      /^project in \("IT"\) AND updated >= "2026-02-20 11:15" ORDER BY updated ASC$/,
    );
    expect(q[0]!.fields!.split(',')).toEqual(
      expect.arrayContaining([
        'created',
        'updated',
        'status',
        'priority',
        FID.firstResponse,
        FID.resolution,
      ]),
    );
    expect(q[0]!.fields!.split(',')).not.toContain(FID.satisfaction);
    expect(q[0]).toMatchObject({ expand: 'changelog' });
    expect(await ids(t.store, 'tickets', t.account.id)).toHaveLength(280);
  });

  it('reads the boundary minute again: issues updated in that minute after a sync are neither lost nor doubled', async () => {
    const last = Date.parse('2026-02-20T10:15:20Z');
    const s = itSite([issue(1, last - 5 * MIN), issue(2, last)]);
    const fake = fakeJsm(BASE, s);
    await syncJsm(t.store, t.account, {
      streams: ['tickets'],
      historyFrom: new Date(last - 10 * MIN),
    });
    // Later in the same minute: a new issue and an edit of one read already.
    s.issues.push(issue(3, last + 30_000));
    s.issues[0]!.updated = last + 35_000;
    s.issues[0]!.priority = 'Highest';
    const before = fake.stats.searches.length;
    const [out] = await syncJsm(t.store, t.account, {
      streams: ['tickets'],
      historyFrom: new Date(last - 10 * MIN),
    });
    expect(out).toMatchObject({ ok: true });
    // The minute of the last issue read, less the look-back, held to the history's start.
    expect(sinceOf(fake.stats.searches[before]!.jql)).toBe('2026-02-20 11:05');
    expect(await ids(t.store, 'tickets', t.account.id)).toEqual(['30001', '30002', '30003']);
    const [edited] = await t.store.dbForTests.query<{ priority: string }>(
      "SELECT priority FROM tickets WHERE account_id = $1 AND source_id = '30001'",
      [t.account.id],
    );
    expect(edited!.priority).toBe('urgent');
  });

  it('reads again the minutes before the last one: an issue the search index showed late is not lost', async () => {
    // Jira's search is eventually consistent: an issue updated at 10:01 may reach the index after
    // one updated at 10:03 was read.
    const at = (hhmm: string) => Date.parse(`2026-02-20T${hhmm}:00Z`);
    const s = itSite([issue(1, at('09:30')), issue(3, at('10:03'))]);
    const fake = fakeJsm(BASE, s);
    const historyFrom = new Date(at('08:00'));
    await syncJsm(t.store, t.account, { streams: ['tickets'], historyFrom });
    expect(await ids(t.store, 'tickets', t.account.id)).toEqual(['30001', '30003']);
    s.issues.push(issue(2, at('10:01')));
    const before = fake.stats.searches.length;
    const [out] = await syncJsm(t.store, t.account, { streams: ['tickets'], historyFrom });
    expect(out).toMatchObject({ ok: true });
    // 10:03 UTC is 11:03 in Berlin; 15 minutes earlier.
    expect(sinceOf(fake.stats.searches[before]!.jql)).toBe('2026-02-20 10:48');
    expect(await ids(t.store, 'tickets', t.account.id)).toEqual(['30001', '30002', '30003']);
  });

  it('an issue updated while the search is read moves to the end and is stored as it is now', async () => {
    const start = Date.parse('2026-02-10T08:00:00Z');
    const s = itSite(Array.from({ length: 260 }, (_, n) => issue(n, start + n * MIN)));
    let moved = false;
    fakeJsm(BASE, s, {
      beforeSearch: (q, site) => {
        if (moved || !q.jql?.includes('"2026-02-10 10:')) return;
        moved = true;
        const i = site.issues.find((x) => x.id === '30005')!;
        i.updated = start + 400 * MIN;
        i.priority = 'Low';
      },
    });
    const [out] = await syncJsm(t.store, t.account, {
      streams: ['tickets'],
      historyFrom: new Date(start),
    });
    expect(out).toMatchObject({ ok: true });
    expect(moved).toBe(true);
    expect(await ids(t.store, 'tickets', t.account.id)).toHaveLength(260);
    const [row] = await t.store.dbForTests.query<{ priority: string }>(
      "SELECT priority FROM tickets WHERE account_id = $1 AND source_id = '30005'",
      [t.account.id],
    );
    expect(row!.priority).toBe('low');
  });

  it('a page token Jira no longer takes: the same search again from its first page', async () => {
    const minute = Date.parse('2026-02-20T10:15:00Z');
    const s = itSite(Array.from({ length: 150 }, (_, n) => issue(n, minute)));
    fakeJsm(BASE, s);
    const kill = new AbortController();
    await syncJsm(t.store, t.account, {
      streams: ['tickets'],
      historyFrom: new Date(minute),
      signal: kill.signal,
      onProgress: () => kill.abort(),
    });
    // The saved token is stale by the next run (Jira's expire after 7 days).
    const cursor = (await t.store.readCursor(t.account.id, 'jsm:tickets')) as { token?: string };
    expect(cursor.token).toBeTruthy();
    nock.cleanAll();
    const stale = nock(BASE)
      .get('/rest/api/3/search/jql')
      .query((q) => q.nextPageToken === cursor.token)
      .reply(400, {
        errorMessages: ['The provided next page token is invalid or expired.'],
        errors: {},
      });
    const again = fakeJsm(BASE, s);
    const [out] = await syncJsm(t.store, t.account, {
      streams: ['tickets'],
      historyFrom: new Date(minute),
    });
    expect(out).toMatchObject({ ok: true });
    expect(stale.isDone()).toBe(true);
    expect(again.stats.searches[0]!.nextPageToken).toBeUndefined();
    expect(await ids(t.store, 'tickets', t.account.id)).toHaveLength(150);
  });

  it('--project limits the search to that service desk; one the account does not see is a sentence', async () => {
    const s = itSite([issue(1, Date.parse('2026-02-20T10:15:00Z'))]);
    s.desks.push({ id: '2', projectKey: 'HR', projectName: 'HR', queues: [], requestTypes: [] });
    const fake = fakeJsm(BASE, s);
    const [ok] = await syncJsm(t.store, t.account, {
      streams: ['tickets'],
      config: { project: 'it' },
    });
    expect(ok).toMatchObject({ ok: true, records: 1 });
    expect(fake.stats.searches[0]!.jql).toMatch(/^project in \("IT"\) AND/);
    const [bad] = await syncJsm(t.store, t.account, {
      streams: ['tickets'],
      config: { project: 'OPS' },
    });
    expect(bad!.error?.message).toMatch(
      /no service desk with the project key OPS.*sees HR, IT.*check --project/,
    );
  });
});

describe('rate limits and faults', () => {
  it('waits the Retry-After of a 429, retries a 5xx, and stores each page once', async () => {
    const { sleep, waits } = fakeSleep();
    const org = nock(BASE).get('/rest/servicedeskapi/organization').query(true);
    org.reply(429, '', { 'Retry-After': '7', 'RateLimit-Reason': 'jira-burst-based' });
    nock(BASE).get('/rest/servicedeskapi/organization').query(true).reply(503, 'down');
    nock(BASE)
      .get('/rest/servicedeskapi/organization')
      .query({ start: '0', limit: '50' })
      .reply(200, { ...fixture<object>('organization.json'), start: 0, isLastPage: true });
    const [out] = await syncJsm(t.store, t.account, { streams: ['organisations'], sleep });
    expect(out).toMatchObject({ ok: true, records: 1 });
    expect(waits[0]).toBe(7000);
    expect(waits).toHaveLength(2);
    expect(await ids(t.store, 'organisations', t.account.id)).toEqual(['1']);
  });

  it('a 429 asking for longer than the cap fails the stream, retryable, naming its RateLimit-Reason', async () => {
    nock(BASE)
      .get('/rest/servicedeskapi/organization')
      .query(true)
      .reply(429, '', { 'Retry-After': '3600', 'RateLimit-Reason': 'jira-quota-based' });
    const [out] = await syncJsm(t.store, t.account, { streams: ['organisations'] });
    expect(out!.error).toMatchObject({
      code: 'E_CONNECTOR_RATE_LIMIT',
      message: expect.stringMatching(/rate limit \(jira-quota-based\): asked to wait 3600 s/),
    });
    expect(await ids(t.store, 'organisations', t.account.id)).toEqual([]);
  });

  it('reads X-RateLimit-NearLimit: the next request waits until X-RateLimit-Reset', async () => {
    const { sleep, waits } = fakeSleep();
    const reset = new Date(Date.now() + 120_000).toISOString().slice(0, 16) + 'Z';
    nock(BASE)
      .get('/rest/servicedeskapi/organization')
      .query({ start: '0', limit: '50' })
      .reply(
        200,
        { ...fixture<object>('organization.json'), start: 0, isLastPage: false, size: 1 },
        {
          'X-RateLimit-NearLimit': 'true',
          'X-RateLimit-Reset': reset,
        },
      );
    nock(BASE)
      .get('/rest/servicedeskapi/organization')
      .query({ start: '1', limit: '50' })
      .reply(200, { values: [{ id: '2', name: 'Two' }], start: 1, isLastPage: true });
    const [out] = await syncJsm(t.store, t.account, { streams: ['organisations'], sleep });
    expect(out).toMatchObject({ ok: true, records: 2, pages: 2 });
    expect(waits).toHaveLength(1);
    // Until the reset (to the minute), capped at the longest wait the client takes (a minute).
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(60_000);
  });
});

describe('the other streams', () => {
  it('agents: the licence groups’ members page by page, apps left out; without admin rights agents stay unknown', async () => {
    const s = itSite([]);
    s.role = fixture('applicationrole.json');
    const people = fixture<{ values: Raw[] }>('group-member.json').values;
    s.members = {
      '276f955c-63d7-42c8-9520-92d01dca0625': [
        ...people,
        ...Array.from({ length: 60 }, (_, i) => ({
          accountId: `a-${i}`,
          accountType: 'atlassian',
          active: true,
        })),
      ],
      '42c8955c-63d7-42c8-9520-63d7aca0625': [people[0]!],
    };
    const fake = fakeJsm(BASE, s);
    const [out] = await syncJsm(t.store, t.account, { streams: ['agents'] });
    expect(out).toMatchObject({ ok: true });
    expect(fake.stats.byPath['/rest/api/3/group/member']).toBe(3);
    expect(await ids(t.store, 'agents', t.account.id)).toHaveLength(62);

    nock.cleanAll();
    fakeJsm(BASE, itSite([]));
    const [none] = await syncJsm(t.store, t.account, { streams: ['agents'] });
    expect(none).toMatchObject({
      ok: true,
      unavailable: expect.stringMatching(/Jira administrator/),
    });
    expect((await t.store.coveredKinds(t.account.id)).has('agents')).toBe(false);
  });

  it('service-desks: request types as forms; queues (saved lists of issues) are not automations', async () => {
    const s = itSite([]);
    s.desks[0]!.requestTypes = fixture<{ values: Raw[] }>('requesttype.json').values;
    s.desks[0]!.queues = fixture<{ values: Raw[] }>('queue.json').values;
    fakeJsm(BASE, s);
    const [out] = await syncJsm(t.store, t.account, { streams: ['service-desks'] });
    expect(out).toMatchObject({ ok: true, records: 2 });
    expect(await ids(t.store, 'automations', t.account.id)).toEqual([
      'requesttype-11001',
      'requesttype-11002',
    ]);
  });

  it('groups and satisfaction-ratings: teams named on issues, feedback of rated requests; unknown without their fields', async () => {
    const at = Date.parse('2026-02-20T10:15:00Z');
    const s = itSite([
      issue(1, at, {
        team: { id: 't1', name: 'Network team' },
        resolved: at,
        satisfaction: { rating: 5, at },
      }),
      issue(2, at + MIN, { team: { id: 't2', name: 'Workplace' } }),
      issue(3, at + 2 * MIN, { satisfaction: { rating: 2, at: at + MIN } }),
    ]);
    const fake = fakeJsm(BASE, s);
    const outs = await syncJsm(t.store, t.account, {
      streams: ['groups', 'satisfaction-ratings'],
      historyFrom: new Date(at - MIN),
    });
    expect(outs.map((o) => o.ok && !o.unavailable)).toEqual([true, true]);
    expect(await ids(t.store, 'groups', t.account.id)).toEqual(['t1', 't2']);
    expect(fake.stats.searches.find((q) => q.jql!.includes('is not EMPTY'))!.jql).toMatch(
      /cf\[10001\] is not EMPTY/,
    );
    // One feedback request per rated request only.
    expect(fake.stats.byPath['/rest/servicedeskapi/request/{id}/feedback']).toBe(2);
    const rows = await t.store.dbForTests.query<{
      source_id: string;
      score: string;
      created_at: Date;
    }>(
      'SELECT source_id, score, created_at FROM satisfaction_ratings WHERE account_id = $1 ORDER BY source_id',
      [t.account.id],
    );
    expect(rows.map((r) => [r.source_id, r.score, new Date(r.created_at).toISOString()])).toEqual([
      ['30001', 'good', new Date(at).toISOString()],
      ['30003', 'bad', new Date(at + MIN).toISOString()],
    ]);

    nock.cleanAll();
    const bare = itSite([]);
    bare.fields = bare.fields.filter((f) => ![FID.team, FID.satisfaction].includes(f.id as never));
    fakeJsm(BASE, bare);
    const gone = await syncJsm(t.store, t.account, { streams: ['groups', 'satisfaction-ratings'] });
    expect(gone.map((o) => o.unavailable)).toEqual([
      expect.stringMatching(/no team field.*--team-field/),
      expect.stringMatching(/no Satisfaction field/),
    ]);
  });

  it('sla-policies: one policy per service project from its latest issues’ goals', async () => {
    const s = itSite(
      Array.from({ length: 12 }, (_, n) =>
        issue(n, Date.parse('2026-02-20T10:00:00Z') + n * MIN, {
          priority: n % 2 ? 'Highest' : 'Low',
          firstResponse: {
            completedCycles: [
              {
                goalDuration: { millis: (n % 2 ? 30 : 600) * MIN },
                breached: false,
                stopTime: { epochMillis: Date.parse('2026-02-20T09:00:00Z'), iso8601: jiraTime(0) },
              },
            ],
          },
        }),
      ),
    );
    fakeJsm(BASE, s);
    const [out] = await syncJsm(t.store, t.account, { streams: ['sla-policies'] });
    expect(out).toMatchObject({ ok: true, records: 1 });
    const [p] = await t.store.dbForTests.query<{ source_id: string; targets: unknown }>(
      'SELECT source_id, targets FROM sla_policies WHERE account_id = $1',
      [t.account.id],
    );
    expect(p!.source_id).toBe('sla:IT');
    expect(p!.targets).toEqual([
      { priority: 'urgent', metric: 'first_reply_time', targetMinutes: 30, businessHours: false },
      { priority: 'low', metric: 'first_reply_time', targetMinutes: 600, businessHours: false },
    ]);
  });
});
