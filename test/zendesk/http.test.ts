import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zendesk } from '../../connectors/zendesk/index.js';
import { ZendeskConfig } from '../../connectors/zendesk/config.js';
import {
  applyEvent,
  toSlaOutcome,
  type TargetState,
} from '../../connectors/zendesk/streams/map-metric-event.js';
import { ZendeskMetricEvent, ZendeskSlaPolicy } from '../../connectors/zendesk/schemas.js';
import { toSlaPolicy } from '../../connectors/zendesk/streams/sla-policies.js';
import { MaturityError } from '../../src/errors.js';
import { connectAccount } from '../../src/jobs/connect-account.js';
import { SecretBox } from '../../src/store/secrets.js';
import type { Store } from '../../src/store/store.js';
import { type Account } from '../../src/store/store.js';
import { fakeSleep, fixture, ids, secret, syncZendesk, hasFixtures } from './helpers.js';
import { memoryStore } from '../helpers/store-template.js';

const BASE = 'https://acme.zendesk.com';
const EXPORT = '/api/v2/incremental/tickets/cursor.json';
const EVENTS = '/api/v2/incremental/ticket_metric_events.json';

const ticket = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  created_at: '2026-01-10T10:00:00Z',
  updated_at: '2026-01-11T10:00:00Z',
  status: 'open',
  priority: 'high',
  via: { channel: 'email' },
  tags: [],
  ...extra,
});
const exportPage = (
  tickets: unknown[],
  after: string | null,
  end: boolean,
  sets: unknown[] = [],
) => ({
  tickets,
  metric_sets: sets,
  after_cursor: after,
  after_url: after ? `${BASE}${EXPORT}?cursor=${after}` : null,
  before_cursor: null,
  before_url: null,
  end_of_stream: end,
});

let store: Store;
let account: Account;
let n = 0;
beforeAll(async () => {
  store = await memoryStore();
  nock.disableNetConnect();
});
afterAll(async () => {
  nock.enableNetConnect();
  await store.close();
});
beforeEach(async () => {
  account = await store.createAccount(`acme-${++n}`, 'zendesk');
});
afterEach(() => {
  nock.cleanAll();
});

const sync = (streams: string[], o: Partial<Parameters<typeof syncZendesk>[2]> = {}) =>
  syncZendesk(store, account, { baseUrl: BASE, streams, ...o });

describe('tickets: the cursor-based incremental export', () => {
  it('reads start_time once then cursor until end_of_stream, removes deleted tickets, and resumes from the saved cursor', async () => {
    const api = nock(BASE);
    api
      .get(EXPORT)
      .query((q) => q.start_time !== undefined && q.include === 'metric_sets' && !q.cursor)
      .reply(
        200,
        exportPage([ticket(1), ticket(2)], 'c1', false, [
          {
            ticket_id: 1,
            reopens: 1,
            replies: 2,
            group_stations: 2,
            assignee_stations: 1,
            reply_time_in_minutes: { calendar: 42, business: 30 },
          },
        ]),
      );
    api
      .get(EXPORT)
      .query((q) => q.cursor === 'c1')
      .reply(200, exportPage([ticket(2, { status: 'deleted' }), ticket(3)], 'c2', true));
    // Ticket 2 was measured and rated by an earlier sync.
    const outcome2 = {
      ticketId: '2',
      metric: 'first_reply_time' as const,
      status: 'breached' as const,
    };
    await store.upsert(account.id, 'slaOutcomes', [
      { sourceId: '1:first_reply_time:1', ...outcome2, ticketId: '1', status: 'met' },
      { sourceId: '2:first_reply_time:1', ...outcome2 },
    ]);
    await store.upsert(account.id, 'satisfactionRatings', [
      { sourceId: 'r2', ticketId: '2', score: 'bad', createdAt: '2026-01-12T10:00:00Z' },
    ]);
    const [outcome] = await sync(['tickets']);
    expect(outcome).toMatchObject({ ok: true, pages: 2, quarantined: 0 });
    expect(await ids(store, 'tickets', account.id)).toEqual(['1', '3']);
    // A deleted ticket takes its SLA outcome and its rating with it; ticket 1 keeps its own.
    expect(await ids(store, 'sla_outcomes', account.id)).toEqual(['1:first_reply_time:1']);
    expect(await ids(store, 'satisfaction_ratings', account.id)).toEqual([]);
    const [t1] = await store.dbForTests.query<Record<string, unknown>>(
      'SELECT first_response_minutes, reopen_count, reassignment_count, agent_replies, channel, priority FROM tickets WHERE account_id = $1 AND source_id = $2',
      [account.id, '1'],
    );
    expect(t1).toEqual({
      first_response_minutes: 42,
      reopen_count: 1,
      reassignment_count: 1,
      agent_replies: 2,
      channel: 'email',
      priority: 'high',
    });
    // The next sync starts from the last cursor: only changes since are read.
    api
      .get(EXPORT)
      .query((q) => q.cursor === 'c2')
      .reply(200, exportPage([ticket(4)], 'c3', true));
    await sync(['tickets']);
    expect(await ids(store, 'tickets', account.id)).toEqual(['1', '3', '4']);
    expect(api.isDone()).toBe(true);
  });

  it('quarantines a ticket that fails validation, counts it, and stores the rest of the page', async () => {
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .reply(
        200,
        exportPage(
          [ticket(1), { id: 2, status: 'open' }, ticket(3, { created_at: 'yesterday' })],
          'c1',
          true,
        ),
      );
    const [outcome] = await sync(['tickets']);
    expect(outcome).toMatchObject({ ok: true, records: 1, quarantined: 2 });
    expect(await ids(store, 'tickets', account.id)).toEqual(['1']);
    const q = await store.dbForTests.query<{ source_id: string; error: string }>(
      'SELECT source_id, error FROM quarantine WHERE account_id = $1 ORDER BY source_id',
      [account.id],
    );
    expect(q.map((r) => r.source_id)).toEqual(['2', '3']);
    expect(q[0]!.error).toMatch(/created_at/);
  });

  it('waits the Retry-After of a 429 (with the injected sleep) and then reads the page', async () => {
    const { sleep, waits } = fakeSleep();
    nock(BASE).get(EXPORT).query(true).reply(429, 'Too Many Requests', { 'Retry-After': '7' });
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .reply(200, exportPage([ticket(1)], 'c1', true));
    const [outcome] = await sync(['tickets'], { sleep });
    expect(outcome!.ok).toBe(true);
    expect(waits).toContain(7000);
    expect(await ids(store, 'tickets', account.id)).toEqual(['1']);
  });

  it('gives up with a rate-limit error, storing nothing, when Retry-After is past the cap', async () => {
    nock(BASE).get(EXPORT).query(true).reply(429, '', { 'Retry-After': '3600' });
    const [outcome] = await sync(['tickets']);
    expect(outcome!.ok).toBe(false);
    expect(outcome!.error).toBeInstanceOf(MaturityError);
    expect((outcome!.error as MaturityError).code).toBe('E_CONNECTOR_RATE_LIMIT');
    expect((outcome!.error as MaturityError).retryable).toBe(true);
  });

  it.each([
    [
      'a 503 with an HTML body',
      (s: nock.Interceptor) =>
        s.reply(503, '<html>Service Unavailable</html>', { 'Content-Type': 'text/html' }),
    ],
    [
      'a reset connection',
      (s: nock.Interceptor) =>
        s.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ],
    [
      'a truncated body',
      (s: nock.Interceptor) =>
        s.reply(200, '{"tickets":[{"id":1,"created_at"', { 'Content-Type': 'application/json' }),
    ],
  ])('retries after %s and stores the page once', async (_, fault) => {
    const { sleep, waits } = fakeSleep();
    fault(nock(BASE).get(EXPORT).query(true));
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .reply(200, exportPage([ticket(1), ticket(2)], 'c1', true));
    const [outcome] = await sync(['tickets'], { sleep });
    expect(outcome).toMatchObject({ ok: true, records: 2 });
    expect(waits).toHaveLength(1);
    expect(await ids(store, 'tickets', account.id)).toEqual(['1', '2']);
  });

  it('retries a request that times out', async () => {
    const { sleep, waits } = fakeSleep();
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .delay(500)
      .reply(200, exportPage([ticket(9)], 'c0', true));
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .reply(200, exportPage([ticket(1)], 'c1', true));
    const [outcome] = await sync(['tickets'], { sleep, timeoutMs: 100 });
    expect(outcome).toMatchObject({ ok: true, records: 1 });
    expect(waits).toHaveLength(1);
    expect(await ids(store, 'tickets', account.id)).toEqual(['1']);
  });

  it('waits the Retry-After of a 503 (maintenance) rather than spend its retries, then reads the page', async () => {
    const { sleep, waits } = fakeSleep();
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .reply(503, '<html>Maintenance</html>', { 'Content-Type': 'text/html', 'Retry-After': '45' });
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .reply(200, exportPage([ticket(1)], 'c1', true));
    const [outcome] = await sync(['tickets'], { sleep });
    expect(outcome).toMatchObject({ ok: true, records: 1 });
    expect(waits).toEqual([45_000]);
  });

  it('gives up at once, retryable, when a 503 asks for a wait past the cap', async () => {
    const { sleep, waits } = fakeSleep();
    const scope = nock(BASE).get(EXPORT).query(true).reply(503, '', { 'Retry-After': '3600' });
    const [outcome] = await sync(['tickets'], { sleep });
    expect(scope.isDone()).toBe(true);
    expect(waits).toEqual([]);
    expect(outcome!.ok).toBe(false);
    expect(outcome!.error).toMatchObject({
      code: 'E_CONNECTOR_UNAVAILABLE',
      retryAfterMs: 3_600_000,
    });
    expect((outcome!.error as MaturityError).retryable).toBe(true);
    expect(outcome!.error!.message).toMatch(/answered HTTP 503 .* asked to wait 3600 s/);
  });

  it('fails the stream with one clear sentence when every attempt answers a non-JSON 5xx', async () => {
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .times(5)
      .reply(502, '<html><h1>Bad Gateway</h1></html>', { 'Content-Type': 'text/html' });
    const [outcome] = await sync(['tickets']);
    expect(outcome!.ok).toBe(false);
    expect(outcome!.error!.message).toMatch(/Zendesk answered HTTP 502/);
  });

  it('keeps to the 10-per-minute export budget by waiting instead of sending an 11th request', async () => {
    const { sleep, waits } = fakeSleep();
    const api = nock(BASE);
    for (let i = 0; i < 11; i++) {
      api
        .get(EXPORT)
        .query(true)
        .reply(200, exportPage([ticket(i + 1)], `c${i + 1}`, i === 10));
    }
    await sync(['tickets'], { sleep, config: { incrementalPerMinute: 10 } });
    expect(waits.filter((ms) => ms > 50_000)).toHaveLength(1);
    expect(await ids(store, 'tickets', account.id)).toHaveLength(11);
  });

  it('pauses when the remaining-quota header reaches zero', async () => {
    const { sleep, waits } = fakeSleep();
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .reply(200, exportPage([ticket(1)], 'c1', false), {
        'X-Rate-Limit-Remaining': '0',
        'ratelimit-reset': '20',
      });
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .reply(200, exportPage([ticket(2)], 'c2', true));
    await sync(['tickets'], { sleep });
    expect(waits.some((ms) => ms > 15_000 && ms <= 20_000)).toBe(true);
  });
});

describe('SLA outcomes: the time-based metric-event export', () => {
  const ev = (id: number, type: string, time: string, extra: Record<string, unknown> = {}) => ({
    id,
    ticket_id: 7,
    metric: 'reply_time',
    instance_id: 1,
    type,
    time,
    ...extra,
  });
  const apply = { sla: { target: 60, business_hours: false, policy: { id: 5, title: 'Premium' } } };

  it('ignores deleted events: a breach scheduled for a replaced target takes nothing back', () => {
    const fold = (events: ReturnType<typeof ev>[]) => {
      const open: Record<string, TargetState> = {};
      for (const e of events) applyEvent(open, ZendeskMetricEvent.parse(e));
      return Object.entries(open).map(([k, s]) => toSlaOutcome(k, s));
    };
    const tighter = { sla: { ...apply.sla, target: 30 } };
    // A 60-minute target tightened to 30: the breach at 10:30 happened; the one Zendesk had
    // scheduled for 11:00 (the old deadline) is marked deleted.
    expect(
      fold([
        ev(1, 'apply_sla', '2026-01-10T10:00:00Z', apply),
        ev(2, 'apply_sla', '2026-01-10T10:05:00Z', tighter),
        ev(3, 'breach', '2026-01-10T10:30:00Z', { deleted: false }),
        ev(4, 'fulfill', '2026-01-10T10:50:00Z'),
        ev(5, 'breach', '2026-01-10T11:00:00Z', { deleted: true }),
      ]),
    ).toEqual([expect.objectContaining({ status: 'breached', targetMinutes: 30 })]);
    // Only a deleted apply_sla: no SLA applies, so no outcome.
    expect(
      fold([
        ev(1, 'apply_sla', '2026-01-10T10:00:00Z', { ...apply, deleted: true }),
        ev(2, 'fulfill', '2026-01-10T13:00:00Z'),
      ]),
    ).toEqual([]);
    // An apply_sla without an SLA takes the target away.
    expect(
      fold([
        ev(1, 'apply_sla', '2026-01-10T10:00:00Z', apply),
        ev(2, 'apply_sla', '2026-01-10T10:10:00Z', { sla: null }),
      ]),
    ).toEqual([expect.not.objectContaining({ targetMinutes: expect.anything() })]);
  });

  it('keeps the pausable and the periodic update targets apart, and reads total_resolution_time', () => {
    const open: Record<string, TargetState> = {};
    const upd = (metric: string, target: number) => ({ ...apply.sla, target, metric });
    for (const e of [
      {
        ...ev(1, 'apply_sla', '2026-01-10T10:00:00Z', { sla: upd('x', 60) }),
        metric: 'periodic_update_time',
      },
      {
        ...ev(2, 'apply_sla', '2026-01-10T10:00:00Z', { sla: upd('x', 240) }),
        metric: 'pausable_update_time',
      },
      { ...ev(3, 'breach', '2026-01-10T11:00:00Z'), metric: 'periodic_update_time' },
      { ...ev(4, 'fulfill', '2026-01-10T12:00:00Z'), metric: 'pausable_update_time' },
    ])
      applyEvent(open, ZendeskMetricEvent.parse(e));
    const outcomes = Object.entries(open).map(([k, s]) => toSlaOutcome(k, s));
    expect(outcomes.map((o) => [o.metric, o.targetMinutes, o.status]).sort()).toEqual([
      ['periodic_update_time', 240, 'met'],
      ['periodic_update_time', 60, 'breached'],
    ]);
    const policy = toSlaPolicy(
      ZendeskSlaPolicy.parse({
        id: 9,
        title: 'Standard',
        policy_metrics: [
          { priority: 'high', metric: 'total_resolution_time', target: 480, business_hours: true },
        ],
      }),
    );
    expect(policy.targets).toEqual([
      { priority: 'high', metric: 'resolution_time', targetMinutes: 480, businessHours: true },
    ]);
  });

  it('settles a target breached on one page and fulfilled on the next, re-reading the boundary second without flipping it', async () => {
    const t0 = Date.parse('2026-01-10T10:00:00Z') / 1000;
    const api = nock(BASE);
    api
      .get(EVENTS)
      .query((q) => Number(q.start_time) > 0 && Number(q.start_time) !== t0 + 3600)
      .reply(200, {
        ticket_metric_events: [
          ev(1, 'activate', '2026-01-10T10:00:00Z'),
          ev(2, 'apply_sla', '2026-01-10T10:00:00Z', apply),
          ev(3, 'breach', '2026-01-10T11:00:00Z', { deleted: false }),
        ],
        next_page: `${BASE}${EVENTS}?start_time=${t0 + 3600}`,
        count: 1000,
        end_time: t0 + 3600,
        end_of_stream: false,
      });
    api
      .get(EVENTS)
      .query({ start_time: String(t0 + 3600), exclude_deleted: 'true' })
      .reply(200, {
        ticket_metric_events: [
          ev(3, 'breach', '2026-01-10T11:00:00Z', { deleted: false }),
          ev(4, 'fulfill', '2026-01-10T11:30:00Z'),
          ev(5, 'update_status', '2026-01-10T11:30:00Z', {
            status: { calendar: 90, business: 90 },
          }),
          { ...ev(6, 'apply_sla', '2026-01-10T12:00:00Z', apply), instance_id: 2 },
          { ...ev(7, 'fulfill', '2026-01-10T12:10:00Z'), ticket_id: 8 },
        ],
        next_page: `${BASE}${EVENTS}?start_time=${t0 + 7800}`,
        count: 5,
        end_time: t0 + 7800,
        end_of_stream: true,
      });
    const [outcome] = await sync(['sla-outcomes']);
    expect(outcome).toMatchObject({ ok: true, pages: 2 });
    const rows = await store.dbForTests.query<Record<string, unknown>>(
      `SELECT source_id, ticket_id, metric, status, target_minutes, measured_minutes, completed_at
       FROM sla_outcomes WHERE account_id = $1 ORDER BY source_id`,
      [account.id],
    );
    expect(
      rows.map((r) => ({
        ...r,
        completed_at: r.completed_at ? new Date(r.completed_at as string).toISOString() : null,
      })),
    ).toEqual([
      {
        source_id: '7:first_reply_time:1',
        ticket_id: '7',
        metric: 'first_reply_time',
        status: 'breached',
        target_minutes: 60,
        measured_minutes: 90,
        completed_at: '2026-01-10T11:30:00.000Z',
      },
      {
        source_id: '7:next_reply_time:2',
        ticket_id: '7',
        metric: 'next_reply_time',
        status: 'active',
        target_minutes: 60,
        measured_minutes: null,
        completed_at: null,
      },
    ]);
  });
});

describe('lists a plan or a role may withhold (403/404)', () => {
  it('leaves SLA policies and CSAT unknown on a plan without them, and syncs the tickets all the same', async () => {
    nock(BASE)
      .get('/api/v2/slas/policies.json')
      .query(true)
      .times(2)
      .reply(403, { error: 'Forbidden', description: 'You do not have access to this page.' });
    nock(BASE).get('/api/v2/satisfaction_ratings.json').query(true).reply(404, {});
    nock(BASE)
      .get(EXPORT)
      .query(true)
      .reply(200, exportPage([ticket(1), ticket(2)], 'c1', true));
    const outcomes = await sync(['tickets', 'sla-policies', 'satisfaction-ratings']);
    const by = Object.fromEntries(outcomes.map((o) => [o.stream, o]));
    expect(by['tickets']).toMatchObject({ ok: true, records: 2 });
    expect(by['sla-policies']).toMatchObject({
      ok: true,
      unavailable: expect.stringMatching(/SLA policies .*HTTP 403.*stay unknown/),
    });
    expect(by['satisfaction-ratings']).toMatchObject({
      ok: true,
      unavailable: expect.stringMatching(/satisfaction ratings .*HTTP 404/),
    });
    const covered = await store.coveredKinds(account.id);
    expect([covered.has('tickets'), covered.has('slaPolicies')]).toEqual([true, false]);
    expect(covered.has('satisfactionRatings')).toBe(false);
  });

  it('keeps the stored Help Center articles when the user may no longer read them (403)', async () => {
    const article = (id: number) => ({
      id,
      title: `Article ${id}`,
      draft: false,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-02T00:00:00Z',
      edited_at: '2026-01-02T00:00:00Z',
    });
    nock(BASE)
      .get('/api/v2/help_center/articles.json')
      .query(true)
      .reply(200, { articles: [article(1), article(2)], meta: { has_more: false } });
    expect((await sync(['kb-articles']))[0]).toMatchObject({ ok: true, records: 2 });
    nock(BASE).get('/api/v2/help_center/articles.json').query(true).reply(403, {});
    const [again] = await sync(['kb-articles']);
    expect(again).toMatchObject({ ok: true, unavailable: expect.stringMatching(/HTTP 403/) });
    expect(await ids(store, 'kb_articles', account.id)).toEqual(['1', '2']);
    // No Help Center at all (404) is an empty knowledge base: a real zero.
    nock(BASE).get('/api/v2/help_center/articles.json').query(true).reply(404, {});
    const [none] = await sync(['kb-articles']);
    expect(none).toMatchObject({ ok: true });
    expect(none!.unavailable).toBeUndefined();
    expect(await ids(store, 'kb_articles', account.id)).toEqual([]);
  });
});

describe('lists: cursor and offset pagination', () => {
  it('follows meta.after_cursor while has_more is true', async () => {
    const api = nock(BASE);
    api
      .get('/api/v2/groups.json')
      .query({ 'page[size]': '100' })
      .reply(200, {
        groups: [{ id: 1, name: 'Tier 1' }],
        meta: { has_more: true, after_cursor: 'xyz' },
        links: { next: `${BASE}/api/v2/groups.json?page%5Bafter%5D=xyz&page%5Bsize%5D=100` },
      });
    api
      .get('/api/v2/groups.json')
      .query({ 'page[size]': '100', 'page[after]': 'xyz' })
      .reply(200, {
        groups: [
          { id: 2, name: 'Tier 2' },
          { id: 3, name: 'Old', deleted: true },
        ],
        meta: { has_more: false, after_cursor: 'zzz' },
        links: { next: `${BASE}/api/v2/groups.json?page%5Bafter%5D=zzz&page%5Bsize%5D=100` },
      });
    const [outcome] = await sync(['groups']);
    expect(outcome).toMatchObject({ ok: true, pages: 2 });
    expect(await ids(store, 'groups', account.id)).toEqual(['1', '2']);
    expect(api.isDone()).toBe(true);
  });

  it.skipIf(!hasFixtures)(
    'follows offset next_page links on the configured host, never the host they name',
    async () => {
      const macros = fixture<{ macros: unknown[] }>('macros.json').macros;
      const api = nock(BASE);
      api
        .get('/api/v2/macros.json')
        .query(true)
        .reply(200, {
          macros: macros.slice(0, 2),
          next_page: 'https://elsewhere.zendesk.com/api/v2/macros.json?page=2&per_page=2',
          count: 4,
        });
      api
        .get('/api/v2/macros.json')
        .query({ page: '2', per_page: '2' })
        .reply(200, { macros: macros.slice(2), next_page: null, count: 4 });
      api.get('/api/v2/triggers.json').query(true).reply(200, fixture('triggers.json'));
      api
        .get('/api/v2/automations.json')
        .query(true)
        .reply(200, { automations: [], next_page: null, count: 0 });
      const [outcome] = await sync(['automations']);
      expect(outcome).toMatchObject({ ok: true, records: 12 });
      expect(await ids(store, 'automations', account.id)).toContain('macro-20043747');
      expect(api.isDone()).toBe(true);
    },
  );

  it.skipIf(!hasFixtures)(
    'says which endpoint answered 404 (the recorded RecordNotFound body)',
    async () => {
      const [recorded] = fixture<{ response: object }[]>('nock_error_404_record_not_found.json');
      nock(BASE).get('/api/v2/groups.json').query(true).reply(404, recorded!.response);
      const [outcome] = await sync(['groups']);
      expect(outcome!.ok).toBe(false);
      expect((outcome!.error as MaturityError).code).toBe('E_CONNECTOR_NOT_FOUND');
      expect(outcome!.error!.message).toMatch(/groups\.json/);
    },
  );
});

describe('connect: the users/me check', () => {
  const box = new SecretBox('x'.repeat(32));
  const connect = (name: string, s: unknown = secret) =>
    connectAccount(store, zendesk, {
      name,
      config: { subdomain: 'acme' },
      secret: s,
      box,
      clientOptions: { sleep: async () => undefined, backoffMs: 1 },
    });
  const me = () => nock(BASE).get('/api/v2/users/me.json');

  it('stores the account, token sealed, when an admin answers', async () => {
    me().reply(200, { user: { id: 9, name: 'Ada', email: 'ada@acme.example', role: 'admin' } });
    const { identity, account: a } = await connect('ok-admin');
    expect(identity).toMatch(/ada@acme.example \(admin\)/);
    const sealed = await store.accountSecret(a.id);
    expect(sealed).not.toContain('tok-123');
    expect(box.open(sealed!)).toEqual(secret);
    expect(a.config).toMatchObject({ subdomain: 'acme', baseUrl: BASE });
  });

  it.each([
    [
      'bad credentials (200 with the anonymous user)',
      () => me().reply(200, { user: { id: null, name: 'Anonymous user', role: 'end-user' } }),
      'E_CONNECTOR_AUTH',
      /anonymous user.*--email and --token/,
    ],
    [
      'an unknown subdomain (404, empty body)',
      () => me().reply(404, ''),
      'E_CONNECTOR_NOT_FOUND',
      /no Zendesk account at https:\/\/acme.zendesk.com.*--subdomain/,
    ],
    [
      'an agent instead of an admin',
      () => me().reply(200, { user: { id: 3, email: 'bob@acme.example', role: 'agent' } }),
      'E_CONNECTOR_AUTH',
      /bob@acme.example is a Zendesk agent.*need an admin/,
    ],
    [
      'an HTML page instead of JSON',
      () => me().reply(200, '<!DOCTYPE html><html>Sign in</html>', { 'Content-Type': 'text/html' }),
      'E_CONNECTOR_RESPONSE',
      /HTML page instead of JSON/,
    ],
    [
      'a 401',
      () => me().reply(401, { error: "Couldn't authenticate you" }),
      'E_CONNECTOR_AUTH',
      /did not accept the credentials/,
    ],
  ])('refuses %s with one sentence and stores nothing', async (_, reply, code, message) => {
    reply();
    const name = `refused-${n}`;
    const err = await connect(name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MaturityError);
    expect((err as MaturityError).code).toBe(code);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('tok-123');
    expect((err as Error).message.split(/[.!?]\s/)).toHaveLength(1);
    expect(await store.findAccount(name)).toBeUndefined();
  });

  it('sends the API token as Basic email/token and an OAuth token as Bearer', async () => {
    const basic = `Basic ${Buffer.from('admin@acme.example/token:tok-123').toString('base64')}`;
    nock(BASE, { reqheaders: { authorization: basic } })
      .get('/api/v2/users/me.json')
      .reply(200, { user: { id: 1, role: 'admin' } });
    nock(BASE, { reqheaders: { authorization: 'Bearer oauth-1' } })
      .get('/api/v2/users/me.json')
      .reply(200, { user: { id: 1, role: 'admin' } });
    await connect('basic-auth');
    await connect('bearer-auth', { oauthToken: 'oauth-1' });
  });
});

describe('config: the subdomain', () => {
  it.each([
    ['acme', 'https://acme.zendesk.com'],
    ['ACME.zendesk.com', 'https://acme.zendesk.com'],
    ['https://acme.zendesk.com/agent/tickets', 'https://acme.zendesk.com'],
  ])('accepts %s', (subdomain, url) => {
    expect(ZendeskConfig.parse({ subdomain })).toMatchObject({ subdomain: 'acme', baseUrl: url });
  });

  it.each(['acme corp', '-acme', 'acme_1.zendesk.com', 'a..b'])(
    'refuses %s naming the flag',
    (subdomain) => {
      const r = ZendeskConfig.safeParse({ subdomain });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual(['subdomain']);
      expect(r.error!.issues[0]!.message).toMatch(/not a Zendesk subdomain/);
    },
  );

  it('keeps --base-url over the subdomain URL', () => {
    expect(ZendeskConfig.parse({ subdomain: 'acme', baseUrl: 'http://127.0.0.1:9' }).baseUrl).toBe(
      'http://127.0.0.1:9',
    );
  });
});
