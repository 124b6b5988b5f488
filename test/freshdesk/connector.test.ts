import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { parseDomain } from '../../connectors/freshdesk/config.js';
import { freshdesk } from '../../connectors/freshdesk/index.js';
import { toAgent } from '../../connectors/freshdesk/streams/agents.js';
import { toKbArticle } from '../../connectors/freshdesk/streams/kb-articles.js';
import { toSlaOutcomes, toTicket } from '../../connectors/freshdesk/streams/map-ticket.js';
import { toSatisfactionRating } from '../../connectors/freshdesk/streams/satisfaction-ratings.js';
import { toSlaPolicy } from '../../connectors/freshdesk/streams/sla-policies.js';
import {
  FreshdeskAgent,
  FreshdeskArticle,
  FreshdeskRating,
  FreshdeskSlaPolicy,
  FreshdeskTicket,
} from '../../connectors/freshdesk/schemas.js';
import { MaturityError } from '../../src/errors.js';
import { connectAccount } from '../../src/jobs/connect-account.js';
import { SecretBox } from '../../src/store/secrets.js';
import { emptyAccount, fakeFreshdesk } from './fake.js';
import { BASE, NOW, fakeSleep, ids, syncFreshdesk, useStore } from './helpers.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/freshdesk');
const fixture = <T = unknown>(name: string): T =>
  JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;

const t = useStore('acme');

describe('the documented samples, mapped', () => {
  it('tickets: stats give first response, resolution and reopens; SLA outcomes from the due times', () => {
    const [a, b] = fixture<unknown[]>('tickets.json').map((t) => FreshdeskTicket.parse(t));
    expect(toTicket(a!)).toEqual({
      sourceId: '20',
      createdAt: '2015-08-24T11:56:51Z',
      updatedAt: '2015-08-26T09:14:03Z',
      solvedAt: '2015-08-26T09:14:03Z',
      priority: 'urgent',
      status: 'solved',
      channel: 'email',
      groupId: '2',
      assigneeId: '1',
      organisationId: '8',
      reopenCount: 0,
      tags: ['Login', 'kb_linked'],
      firstResponseMinutes: 120,
    });
    // Reopened and open again: the earlier resolved_at is not a resolution.
    expect(toTicket(b!)).toMatchObject({ status: 'open', reopenCount: 1, channel: 'web' });
    expect(toTicket(b!).solvedAt).toBeUndefined();
    expect(toSlaOutcomes(a!, NOW)).toEqual([
      expect.objectContaining({
        metric: 'first_reply_time',
        status: 'met',
        completedAt: '2015-08-24T13:56:51Z',
        measuredMinutes: 120,
      }),
      expect.objectContaining({
        metric: 'resolution_time',
        status: 'met',
        completedAt: '2015-08-26T09:14:03Z',
      }),
    ]);
    // Answered after fr_due_by: breached when it was due; unresolved past due_by: breached too.
    expect(toSlaOutcomes(b!, NOW)).toEqual([
      expect.objectContaining({
        sourceId: '21:first_reply_time',
        status: 'breached',
        completedAt: '2015-08-26T11:30:00Z',
      }),
      expect.objectContaining({
        sourceId: '21:resolution_time',
        status: 'breached',
        completedAt: '2015-08-29T11:30:00Z',
      }),
    ]);
    // Before the due time, an unresolved target is active.
    expect(toSlaOutcomes(b!, new Date('2015-08-28T00:00:00Z'))[1]).toMatchObject({
      status: 'active',
    });
    expect(() => toTicket({ ...a!, status: 1 })).toThrow(/status 1/);
    expect(toTicket({ ...a!, status: 7 }).status).toBe('hold');
  });

  it('sla-policies: targets per priority in minutes, business hours, what they apply to; inactive ones are not records', () => {
    const [premium, fallback, retired] = fixture<unknown[]>('sla-policies.json').map((p) =>
      FreshdeskSlaPolicy.parse(p),
    );
    const p = toSlaPolicy(premium!)!;
    expect(p.targets).toContainEqual({
      priority: 'urgent',
      metric: 'first_reply_time',
      targetMinutes: 30,
      businessHours: false,
    });
    expect(p.targets).toContainEqual({
      priority: 'normal',
      metric: 'resolution_time',
      targetMinutes: 1440,
      businessHours: true,
    });
    expect(p.conditions).toContainEqual({ field: 'company_ids', value: ['8'] });
    expect(toSlaPolicy(fallback!)!.conditions).toEqual([{ field: 'is_default', value: true }]);
    expect(toSlaPolicy(retired!)).toBeUndefined();
  });

  it('agents: roles give admins, collaborators are light agents, groups from either side', () => {
    const roles = new Map(
      fixture<{ id: number; name: string }[]>('roles.json').map((r) => [String(r.id), r.name]),
    );
    const [admin, clark, lois] = fixture<unknown[]>('agents-view.json').map((a) =>
      FreshdeskAgent.parse(a),
    );
    const members = new Map([
      ['1', ['1']],
      ['432', ['1', '2']],
    ]);
    expect(toAgent(admin!, roles, members)).toMatchObject({
      role: 'admin',
      groupIds: ['1'],
      active: true,
    });
    expect(toAgent(clark!, roles, members)).toMatchObject({
      role: 'agent',
      groupIds: ['4', '1', '2'],
      active: false,
    });
    expect(toAgent(lois!, roles, members)).toMatchObject({ role: 'light', groupIds: [] });
  });

  it('kb-articles and satisfaction-ratings: status, dates, views, votes; happy, neutral, unhappy', () => {
    const [draft, published] = fixture<unknown[]>('solution-articles.json').map((a) =>
      FreshdeskArticle.parse(a),
    );
    expect(toKbArticle(draft!)).toMatchObject({ state: 'draft', views: 0, votes: 0 });
    expect(toKbArticle(published!)).toMatchObject({
      state: 'published',
      updatedAt: '2016-09-30T06:07:26Z',
      views: 240,
      votes: 9,
      authorId: '1',
    });
    const scores = fixture<unknown[]>('satisfaction-ratings.json').map(
      (r) => toSatisfactionRating(FreshdeskRating.parse(r)).score,
    );
    expect(scores).toEqual(['good', 'bad', 'bad']);
  });

  it('--domain: acme, acme.freshdesk.com or a URL; never a custom portal domain', () => {
    for (const d of ['acme', 'ACME.freshdesk.com', 'https://acme.freshdesk.com/a/tickets'])
      expect(parseDomain(d)).toEqual({ domain: 'acme', url: 'https://acme.freshdesk.com' });
    expect(parseDomain('support.acme.com')).toMatch(/not a Freshdesk domain.*custom portal/);
    expect(parseDomain('https://169.254.169.254')).toMatch(/cloud metadata/);
  });
});

describe('connect: the agents/me check', () => {
  const box = new SecretBox('x'.repeat(32));
  const connect = (name: string) =>
    connectAccount(t.store, freshdesk, {
      name,
      config: { domain: 'acme' },
      secret: { apiKey: 'key-123' },
      box,
      clientOptions: { sleep: async () => undefined, backoffMs: 1 },
    });
  const me = () => nock(BASE).get('/api/v2/agents/me');

  it('stores the account when the key answers as an agent with global access, with basic auth key:X', async () => {
    nock(BASE, {
      reqheaders: { authorization: `Basic ${Buffer.from('key-123:X').toString('base64')}` },
    })
      .get('/api/v2/agents/me')
      .reply(200, fixture('agents-me.json'));
    const { identity, account: a } = await connect('fd-ok');
    expect(identity).toBe('support@acme.example on https://acme.freshdesk.com');
    expect(await t.store.accountSecret(a.id)).not.toContain('key-123');
  });

  it.each([
    [
      'a bad API key (401)',
      () => me().reply(401, fixture('error-invalid-credentials.json')),
      'E_CONNECTOR_AUTH',
      /refused the API key \(HTTP 401\): check --api-key/,
    ],
    [
      'an unknown domain (404)',
      () => me().reply(404, '<html>Not found</html>', { 'Content-Type': 'text/html' }),
      'E_CONNECTOR_NOT_FOUND',
      /no Freshdesk account at https:\/\/acme.freshdesk.com \(HTTP 404\): check --domain/,
    ],
    [
      'an unknown domain (a redirect to the sign-up page)',
      () => me().reply(302, '', { Location: 'https://freshdesk.com/signup' }),
      'E_CONNECTOR_NOT_FOUND',
      /HTTP 302\): check --domain/,
    ],
    [
      'an HTML answer',
      () => me().reply(200, '<!DOCTYPE html><html>Portal</html>', { 'Content-Type': 'text/html' }),
      'E_CONNECTOR_RESPONSE',
      /HTML page, not Freshdesk's API: check --domain/,
    ],
    [
      'an agent who sees only their groups',
      () => me().reply(200, { ...fixture<object>('agents-me.json'), ticket_scope: 2 }),
      'E_CONNECTOR_AUTH',
      /ticket scope 2.*global access/,
    ],
  ])('refuses %s in one sentence and stores nothing', async (_, reply, code, message) => {
    reply();
    const name = `fd-bad-${t.account.id}`;
    const err = await connect(name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MaturityError);
    expect(err).toMatchObject({ code, message: expect.stringMatching(message) });
    expect((err as Error).message).not.toContain('key-123');
    expect((err as Error).message.split('\n')).toHaveLength(1);
    expect((await t.store.listAccounts()).map((x) => x.name)).not.toContain(name);
  });
});

describe('lists through the link header, rate limits and faults', () => {
  it('groups: follows the link header page by page to the last page, which has none', async () => {
    const a = emptyAccount();
    a.groups = Array.from({ length: 250 }, (_, i) => ({ id: i + 1, name: `Group ${i + 1}` }));
    const fake = fakeFreshdesk(BASE, a);
    const [outcome] = await syncFreshdesk(t.store, t.account, { streams: ['groups'] });
    expect(outcome).toMatchObject({ ok: true, pages: 3, records: 250 });
    expect(fake.stats.byPath['/api/v2/groups']).toBe(3);
    expect(await ids(t.store, 'groups', t.account.id)).toHaveLength(250);
  });

  it('waits the Retry-After of a 429, retries a 5xx, and stores each page once', async () => {
    const { sleep, waits } = fakeSleep();
    nock(BASE).get('/api/v2/sla_policies').query(true).reply(429, '', { 'Retry-After': '7' });
    nock(BASE).get('/api/v2/sla_policies').query(true).reply(503, 'down');
    nock(BASE).get('/api/v2/sla_policies').query(true).reply(200, fixture('sla-policies.json'));
    const [outcome] = await syncFreshdesk(t.store, t.account, { streams: ['sla-policies'], sleep });
    expect(outcome).toMatchObject({ ok: true, records: 2 });
    expect(waits[0]).toBe(7000);
    expect(waits).toHaveLength(2);
    expect(await ids(t.store, 'sla_policies', t.account.id)).toEqual([
      '43000088300',
      '43000088326',
    ]);
  });

  it('reads X-RateLimit-Remaining: with a tenth of the credits left it waits a minute first', async () => {
    const { sleep, waits } = fakeSleep();
    const quota = (left: number) => ({
      'X-RateLimit-Total': '400',
      'X-RateLimit-Remaining': String(left),
    });
    nock(BASE).get('/api/v2/roles').query(true).reply(200, fixture('roles.json'), quota(300));
    nock(BASE).get('/api/v2/groups').query(true).reply(200, fixture('groups.json'), quota(40));
    nock(BASE).get('/api/v2/agents').query(true).reply(200, fixture('agents.json'), quota(399));
    for (const [i, a] of fixture<{ id: number }[]>('agents-view.json').entries())
      nock(BASE)
        .get(`/api/v2/agents/${a.id}`)
        .reply(200, a, quota(398 - i));
    const [outcome] = await syncFreshdesk(t.store, t.account, { streams: ['agents'], sleep });
    expect(outcome).toMatchObject({ ok: true, records: 3 });
    expect(waits).toEqual([60_000]);
  });

  it('organisations: companies with their tier become plans linked to the policy that names them', async () => {
    nock(BASE).get('/api/v2/sla_policies').query(true).reply(200, fixture('sla-policies.json'));
    nock(BASE).get('/api/v2/companies').query(true).reply(200, fixture('companies.json'));
    const [outcome] = await syncFreshdesk(t.store, t.account, { streams: ['organisations'] });
    expect(outcome).toMatchObject({ ok: true });
    const plans = await t.store.dbForTests.query<Record<string, unknown>>(
      'SELECT source_id, tier, sla_policy_id, customer_count, guessed FROM plans WHERE account_id = $1 ORDER BY tier',
      [t.account.id],
    );
    // Premium has an SLA policy of its own: account_tier holds support plans, Basic included.
    expect(plans).toEqual([
      { source_id: 'plan:Basic', tier: 1, sla_policy_id: null, customer_count: 1, guessed: null },
      {
        source_id: 'plan:Premium',
        tier: 2,
        sla_policy_id: '43000088326',
        customer_count: 1,
        guessed: null,
      },
    ]);
    const orgs = await t.store.dbForTests.query<Record<string, unknown>>(
      'SELECT source_id, plan_id, has_csm FROM organisations WHERE account_id = $1 ORDER BY source_id',
      [t.account.id],
    );
    expect(orgs).toEqual([
      { source_id: '8', plan_id: 'plan:Premium', has_csm: true },
      { source_id: '9', plan_id: 'plan:Basic', has_csm: false },
    ]);
  });

  it('organisations: account tiers no SLA policy of their own applies to are guessed', async () => {
    // Only the default policy: nothing shows that account_tier holds support plans, not sales tiers.
    const policies = fixture<{ applicable_to?: { company_ids?: unknown[] } }[]>(
      'sla-policies.json',
    ).filter((p) => !p.applicable_to?.company_ids?.length);
    nock(BASE).get('/api/v2/sla_policies').query(true).reply(200, policies);
    nock(BASE).get('/api/v2/companies').query(true).reply(200, fixture('companies.json'));
    const [outcome] = await syncFreshdesk(t.store, t.account, { streams: ['organisations'] });
    expect(outcome).toMatchObject({ ok: true });
    const plans = await t.store.dbForTests.query<Record<string, unknown>>(
      'SELECT source_id, guessed FROM plans WHERE account_id = $1 ORDER BY tier',
      [t.account.id],
    );
    expect(plans).toEqual([
      { source_id: 'plan:Basic', guessed: true },
      { source_id: 'plan:Premium', guessed: true },
    ]);
  });

  it('organisations: account tiers named with --plan-field are plans, none of them guessed', async () => {
    nock(BASE).get('/api/v2/sla_policies').query(true).reply(200, fixture('sla-policies.json'));
    nock(BASE).get('/api/v2/companies').query(true).reply(200, fixture('companies.json'));
    const [outcome] = await syncFreshdesk(t.store, t.account, {
      streams: ['organisations'],
      config: { planField: 'account_tier' },
    });
    expect(outcome).toMatchObject({ ok: true });
    const plans = await t.store.dbForTests.query<Record<string, unknown>>(
      'SELECT source_id, guessed FROM plans WHERE account_id = $1 ORDER BY tier',
      [t.account.id],
    );
    expect(plans).toEqual([
      { source_id: 'plan:Basic', guessed: null },
      { source_id: 'plan:Premium', guessed: null },
    ]);
  });

  it('automations and kb-articles: rule types as triggers and automations; categories ► folders ► subfolders ► articles', async () => {
    const a = emptyAccount();
    a.rules = {
      1: fixture<{ rules: Record<string, unknown>[] }>('automation-rules.json').rules,
      3: [],
      4: [],
    };
    a.categories = fixture('solution-categories.json');
    a.folders = { '3': fixture('solution-folders.json') };
    a.subfolders = { '2': fixture('solution-subfolders.json') };
    a.articles = { '4': fixture('solution-articles.json') };
    fakeFreshdesk(BASE, a);
    const outcomes = await syncFreshdesk(t.store, t.account, {
      streams: ['automations', 'kb-articles'],
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(await ids(t.store, 'automations', t.account.id)).toEqual([
      'creation-109866',
      'creation-109867',
    ]);
    expect(await ids(t.store, 'kb_articles', t.account.id)).toEqual(['1', '2']);
  });

  it('agents: the list has no roles or groups, so each agent is read by id; admins and groups stored', async () => {
    const account = emptyAccount();
    account.roles = fixture<Record<string, unknown>[]>('roles.json');
    account.agents = fixture<Record<string, unknown>[]>('agents-view.json');
    const fake = fakeFreshdesk(BASE, account);
    const [outcome] = await syncFreshdesk(t.store, t.account, { streams: ['agents'] });
    expect(outcome).toMatchObject({ ok: true, records: 3 });
    expect(fake.stats.byPath['/api/v2/agents/432']).toBe(1);
    const rows = await t.store.dbForTests.query<Record<string, unknown>>(
      'SELECT source_id, role, group_ids FROM agents WHERE account_id = $1 ORDER BY source_id',
      [t.account.id],
    );
    expect(rows).toEqual([
      { source_id: '1', role: 'admin', group_ids: [] },
      { source_id: '432', role: 'agent', group_ids: ['4'] },
      { source_id: '433', role: 'light', group_ids: [] },
    ]);
  });

  it('sla-policies: a key that may not read them (403) leaves them unknown; the other streams go on', async () => {
    const account = emptyAccount();
    account.agents = fixture<Record<string, unknown>[]>('agents-view.json');
    account.companies = fixture<Record<string, unknown>[]>('companies.json');
    const fake = fakeFreshdesk(BASE, account, { refuse: ['/api/v2/sla_policies'] });
    const outcomes = await syncFreshdesk(t.store, t.account, {
      streams: ['sla-policies', 'agents', 'organisations'],
    });
    const by = Object.fromEntries(outcomes.map((o) => [o.stream, o]));
    expect(by['sla-policies']).toMatchObject({
      ok: true,
      unavailable: expect.stringMatching(/SLA policies/),
    });
    expect(by['agents']).toMatchObject({ ok: true, records: 3 });
    expect(by['organisations']).toMatchObject({ ok: true });
    expect(fake.stats.byPath['/api/v2/companies']).toBeGreaterThan(0);
    const covered = await t.store.coveredKinds(t.account.id);
    expect(covered.has('slaPolicies')).toBe(false);
    expect(covered.has('agents') && covered.has('organisations')).toBe(true);
  });

  it('satisfaction-ratings: an account without surveys (403) leaves CSAT unknown, not zero', async () => {
    nock(BASE)
      .get('/api/v2/surveys/satisfaction_ratings')
      .query(true)
      .reply(403, { code: 'access_denied' });
    const [outcome] = await syncFreshdesk(t.store, t.account, {
      streams: ['satisfaction-ratings'],
    });
    expect(outcome).toMatchObject({
      ok: true,
      unavailable: expect.stringMatching(/satisfaction ratings/),
    });
    expect((await t.store.coveredKinds(t.account.id)).has('satisfactionRatings')).toBe(false);
  });
});
