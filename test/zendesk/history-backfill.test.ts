import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketCursor } from '../../connectors/zendesk/streams/tickets.js';
import type { OutcomeCursor } from '../../connectors/zendesk/streams/sla-outcomes.js';
import { startZendeskSimulator, type ZendeskSimulator } from '../../src/simulator/index.js';
import { migrate } from '../../src/store/migrate.js';
import type { Store } from '../../src/store/store.js';
import { type Account } from '../../src/store/store.js';
import { cliHome } from '../helpers/cli.js';
import { CREDENTIALS, NOW, expectedRecords, ids, syncZendesk } from './helpers.js';
import { memoryStore } from '../helpers/store-template.js';

const SECRET = { MATURITY_SECRET: 'backfill-secret-backfill-secret-0123' };
const EXPORT = '/api/v2/incremental/tickets/cursor';
const EVENTS = '/api/v2/incremental/ticket_metric_events';
const SINCE = '2025-06-01';
const sinceSeconds = Date.parse(SINCE) / 1000;

/** Tickets spread from early 2023 to NOW: most of them before SINCE. */
const oldAccount = (o: Partial<Parameters<typeof startZendeskSimulator>[0]> = {}) =>
  startZendeskSimulator({
    profile: 'structured',
    tickets: 500,
    now: NOW,
    days: 1100,
    seed: 21,
    credentials: CREDENTIALS,
    ...o,
  });

const stamp = (t: Record<string, unknown>) => t.generated_timestamp as number;
const requests = (sim: ZendeskSimulator, path: string) => sim.stats.byPath[path] ?? 0;
const starts = (sim: ZendeskSimulator, path: string) => [...(sim.stats.startTimes[path] ?? [])];

interface Snapshot {
  metrics: { id: string; value: number }[];
}
const metric = (body: Snapshot, id: string) => body.metrics.find((m) => m.id === id)?.value;

/** The home's store, which its CLI runs share (cliHome keepOpen). */
async function withStore<T>(
  cli: ReturnType<typeof cliHome>,
  f: (store: Store) => Promise<T>,
): Promise<T> {
  return f(await cli.store());
}

async function outcomeRows(store: Store, accountId: number) {
  const rows = await store.dbForTests.query<Record<string, unknown>>(
    `SELECT source_id, status, target_minutes, measured_minutes, completed_at
       FROM sla_outcomes WHERE account_id = $1 ORDER BY source_id`,
    [accountId],
  );
  return rows.map((r) => ({
    ...r,
    completed_at: r.completed_at ? new Date(r.completed_at as string).toISOString() : null,
  }));
}

async function cursorOf<T>(store: Store, account: Account, stream: string): Promise<T> {
  const [row] = await store.dbForTests.query<{ cursor: T }>(
    'SELECT cursor FROM sync_state WHERE account_id = $1 AND stream = $2',
    [account.id, `zendesk:${stream}`],
  );
  return row!.cursor;
}

describe('a snapshot makes the synced history cover its window', () => {
  it('backfills all history for --window all after a first sync from --since, once', async () => {
    const sim = await oldAccount();
    try {
      const all = sim.data.tickets.length;
      const recent = sim.data.tickets.filter((t) => stamp(t) >= sinceSeconds).length;
      expect(recent).toBeGreaterThan(0);
      expect(recent).toBeLessThan(all / 2);
      const cli = cliHome(SECRET, { keepOpen: true });
      const connect = await cli.run(
        'connect',
        'zendesk',
        '--name',
        'acme',
        '--subdomain',
        'acme',
        '--email',
        CREDENTIALS.email,
        '--token',
        CREDENTIALS.token,
        '--base-url',
        sim.url,
        '--since',
        SINCE,
      );
      expect(connect.code).toBe(0);
      expect((await cli.run('sync', 'acme')).code).toBe(0);
      expect(starts(sim, EXPORT)).toEqual([sinceSeconds]);
      await withStore(cli, async (store) => {
        const account = await store.getAccount('acme');
        expect((await ids(store, 'tickets', account.id)).length).toBe(recent);
        const { historyFrom } = await store.coverage(account.id);
        expect(historyFrom.get('tickets')?.toISOString()).toBe('2025-06-01T00:00:00.000Z');
        expect(historyFrom.get('slaOutcomes')?.toISOString()).toBe('2025-06-01T00:00:00.000Z');
      });

      const snap = await cli.run('snapshot', 'acme', '--window', 'all', '--json');
      expect(snap.code).toBe(0);
      expect(metric(JSON.parse(snap.out) as Snapshot, 'tickets.count')).toBe(all);
      // The backfill asked for all history: start_time 0, once per export.
      expect(starts(sim, EXPORT)).toEqual([sinceSeconds, 0]);
      expect(starts(sim, EVENTS).filter((s) => s === 0)).toHaveLength(1);
      const want = expectedRecords(sim);
      await withStore(cli, async (store) => {
        const account = await store.getAccount('acme');
        expect(await ids(store, 'tickets', account.id)).toEqual(want.tickets);
        expect(await ids(store, 'sla_outcomes', account.id)).toEqual(want.sla_outcomes);
        const { historyFrom, kinds } = await store.coverage(account.id);
        expect(kinds.has('tickets')).toBe(true);
        // Absent from the map: the kind holds all its history.
        expect(historyFrom.has('tickets')).toBe(false);
        expect(historyFrom.has('slaOutcomes')).toBe(false);
      });

      const before = { tickets: requests(sim, EXPORT), events: requests(sim, EVENTS) };
      const ticketStarts = starts(sim, EXPORT);
      const again = await cli.run('snapshot', 'acme', '--window', 'all', '--json');
      expect(again.code).toBe(0);
      expect(metric(JSON.parse(again.out) as Snapshot, 'tickets.count')).toBe(all);
      // Only the incremental passes: one page each, the ticket export from its cursor.
      expect(requests(sim, EXPORT) - before.tickets).toBe(1);
      expect(requests(sim, EVENTS) - before.events).toBe(1);
      expect(starts(sim, EXPORT)).toEqual(ticketStarts);
      expect(starts(sim, EVENTS).filter((s) => s === 0)).toHaveLength(1);
    } finally {
      await sim.close();
    }
  });

  it('backfills only from the window start for an --as-of far back', async () => {
    const sim = await oldAccount({ seed: 22 });
    try {
      const cli = cliHome(SECRET, { keepOpen: true });
      const c = sim.credentials;
      const connect = await cli.run(
        'connect',
        'zendesk',
        '--name',
        'acme',
        '--subdomain',
        'acme',
        '--email',
        c.email,
        '--token',
        c.token,
        '--base-url',
        sim.url,
        '--since',
        SINCE,
      );
      expect(connect.code).toBe(0);
      expect((await cli.run('sync', 'acme')).code).toBe(0);
      const snap = await cli.run(
        'snapshot',
        'acme',
        '--as-of',
        '2024-01-31',
        '--window',
        '90d',
        '--json',
      );
      expect(snap.code).toBe(0);
      // The window starts 2023-11-02T23:59:59.999Z; the backfill from the start of that day.
      const from = Date.parse('2023-11-02T00:00:00Z') / 1000;
      expect(starts(sim, EXPORT)).toEqual([sinceSeconds, from]);
      const to = Date.parse('2024-01-31T23:59:59.999Z');
      const inWindow = sim.data.tickets.filter((t) => {
        const created = Date.parse(t.created_at as string);
        return created >= to - 90 * 86_400_000 && created <= to;
      }).length;
      expect(inWindow).toBeGreaterThan(10);
      expect(metric(JSON.parse(snap.out) as Snapshot, 'tickets.count')).toBe(inWindow);
      await withStore(cli, async (store) => {
        const account = await store.getAccount('acme');
        const { historyFrom } = await store.coverage(account.id);
        expect(historyFrom.get('tickets')?.toISOString()).toBe('2023-11-02T00:00:00.000Z');
        expect(historyFrom.get('slaOutcomes')?.toISOString()).toBe('2023-11-02T00:00:00.000Z');
        // Held: every ticket changed since the new start, none from before it.
        const held = sim.data.tickets.filter((t) => stamp(t) >= from).map((t) => String(t.id));
        expect(await ids(store, 'tickets', account.id)).toEqual(held.sort());
      });
    } finally {
      await sim.close();
    }
  });

  it('makes no backfill request for a 90-day snapshot after a normal first sync', async () => {
    const sim = await startZendeskSimulator({
      profile: 'structured',
      tickets: 300,
      seed: 23,
      credentials: CREDENTIALS,
    });
    try {
      const cli = cliHome(SECRET, { keepOpen: true });
      const c = sim.credentials;
      const connect = await cli.run(
        'connect',
        'zendesk',
        '--name',
        'acme',
        '--subdomain',
        'acme',
        '--email',
        c.email,
        '--token',
        c.token,
        '--base-url',
        sim.url,
      );
      expect(connect.code).toBe(0);
      expect((await cli.run('sync', 'acme')).code).toBe(0);
      const [first] = starts(sim, EXPORT);
      const before = { tickets: requests(sim, EXPORT), events: requests(sim, EVENTS) };
      const eventStarts = starts(sim, EVENTS);
      const snap = await cli.run('snapshot', 'acme', '--window', '90d', '--json');
      expect(snap.code).toBe(0);
      expect(requests(sim, EXPORT) - before.tickets).toBe(1);
      expect(requests(sim, EVENTS) - before.events).toBe(1);
      expect(starts(sim, EXPORT)).toEqual([first]);
      // The one events request continues the incremental pass; nothing from before it.
      const [next] = starts(sim, EVENTS).slice(eventStarts.length);
      expect(next).toBeGreaterThanOrEqual(Math.max(...eventStarts));
      await withStore(cli, async (store) => {
        const account = await store.getAccount('acme');
        const { historyFrom } = await store.coverage(account.id);
        // Two years before the first sync.
        expect(historyFrom.get('tickets')?.getTime()).toBe(first! * 1000);
      });
    } finally {
      await sim.close();
    }
  });
});

describe('a first snapshot reads only what its window needs', () => {
  it('starts the first export at the window start, not two years back', async () => {
    const sim = await startZendeskSimulator({
      profile: 'structured',
      tickets: 400,
      days: 700,
      seed: 29,
      credentials: CREDENTIALS,
    });
    try {
      const cli = cliHome(SECRET, { keepOpen: true });
      const c = sim.credentials;
      const connect = await cli.run(
        'connect',
        'zendesk',
        '--name',
        'acme',
        '--subdomain',
        'acme',
        '--email',
        c.email,
        '--token',
        c.token,
        '--base-url',
        sim.url,
      );
      expect(connect.code).toBe(0);
      const before = Date.now();
      const snap = await cli.run('snapshot', 'acme', '--window', '90d', '--json');
      expect(snap.code).toBe(0);
      // One start for each export, at the start of the day 90 days back: nothing older is read.
      const ninety = Math.floor((before - 90 * 86_400_000) / 86_400_000) * 86_400;
      expect(starts(sim, EXPORT)).toEqual([ninety]);
      expect(starts(sim, EVENTS)[0]).toBe(ninety);
      const body = JSON.parse(snap.out) as Snapshot;
      await withStore(cli, async (store) => {
        const account = await store.getAccount('acme');
        // Every ticket of the window is there, and none older than what was asked.
        const held = await store.dbForTests.query<{ n: number; oldest: Date }>(
          'SELECT count(*)::int AS n, min(updated_at) AS oldest FROM tickets WHERE account_id = $1',
          [account.id],
        );
        expect(new Date(held[0]!.oldest).getTime()).toBeGreaterThanOrEqual(ninety * 1000);
        expect(metric(body, 'tickets.count')).toBeGreaterThan(0);
        expect((await store.coverage(account.id)).historyFrom.get('tickets')?.getTime()).toBe(
          ninety * 1000,
        );
      });
    } finally {
      await sim.close();
    }
  });
});

describe('a backfill killed mid-way', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(async () => store.close());

  it('resumes where it stopped, without touching the incremental cursor, and ends where one sync over all history would', async () => {
    const sim = await oldAccount({ tickets: 1200, seed: 24, exportPageSize: 100 });
    try {
      const account = await store.createAccount('killed-backfill', 'zendesk');
      const streams = ['tickets', 'sla-outcomes'];
      const config = { since: SINCE };
      const base = { baseUrl: sim.url, streams, config };
      expect((await syncZendesk(store, account, base)).every((o) => o.ok)).toBe(true);
      const recent = (await ids(store, 'tickets', account.id)).length;
      const main = await cursorOf<TicketCursor>(store, account, 'tickets');
      expect(main).toMatchObject({ from: sinceSeconds });
      const older = sim.data.tickets.filter((t) => stamp(t) < sinceSeconds).length;
      expect(older).toBeGreaterThan(500);

      // Killed after the incremental page and three backfill pages of tickets.
      const kill = new AbortController();
      const killed = await syncZendesk(store, account, {
        ...base,
        historyFrom: null,
        signal: kill.signal,
        onProgress: (p) => {
          if (p.stream === 'tickets' && p.pages === 4) kill.abort();
        },
      });
      expect(killed.find((o) => o.stream === 'tickets')).toMatchObject({ ok: false, pages: 4 });
      expect((await ids(store, 'tickets', account.id)).length).toBe(recent + 300);
      const mid = await cursorOf<TicketCursor>(store, account, 'tickets');
      expect(mid.cursor).toBe(main.cursor);
      expect(mid.from).toBe(sinceSeconds);
      expect(mid.backfill).toMatchObject({ from: 0, until: sinceSeconds });
      expect(mid.backfill?.cursor).toBeTruthy();
      expect((await store.coverage(account.id)).historyFrom.get('tickets')?.getTime()).toBe(
        sinceSeconds * 1000,
      );

      // Resumed (and the SLA-event backfill killed in turn): the tickets go on from the
      // backfill's cursor, never from start_time 0 again.
      const ticketStarts = starts(sim, EXPORT);
      const before = requests(sim, EXPORT);
      const kill2 = new AbortController();
      const resumed = await syncZendesk(store, account, {
        ...base,
        historyFrom: null,
        signal: kill2.signal,
        onProgress: (p) => {
          if (p.stream === 'sla-outcomes' && p.pages === 8) kill2.abort();
        },
      });
      expect(resumed.find((o) => o.stream === 'tickets')).toMatchObject({
        ok: true,
        historyFrom: null,
      });
      expect(resumed.find((o) => o.stream === 'sla-outcomes')).toMatchObject({ ok: false });
      expect(starts(sim, EXPORT)).toEqual(ticketStarts);
      // One incremental page, then the backfill pages not read yet (the last reaches SINCE).
      expect(requests(sim, EXPORT) - before).toBe(1 + Math.floor(older / 100) + 1 - 3);
      expect(await ids(store, 'tickets', account.id)).toEqual(expectedRecords(sim).tickets);
      const events = await cursorOf<OutcomeCursor>(store, account, 'sla-outcomes');
      expect(events.backfill).toMatchObject({ from: 0, until: sinceSeconds });
      expect(events.backfill!.startTime).toBeGreaterThan(0);

      const eventStarts = starts(sim, EVENTS);
      const done = await syncZendesk(store, account, { ...base, historyFrom: null });
      expect(done.every((o) => o.ok)).toBe(true);
      expect(starts(sim, EVENTS).slice(eventStarts.length)).not.toContain(0);
      const coverage = await store.coverage(account.id);
      expect(coverage.historyFrom.has('tickets')).toBe(false);
      expect(coverage.historyFrom.has('slaOutcomes')).toBe(false);

      // The same outcomes as one sync over all history: targets applied before SINCE and
      // settled after it were settled by the backfill.
      const reference = await store.createAccount('reference', 'zendesk');
      await syncZendesk(store, reference, { baseUrl: sim.url, streams });
      const got = await outcomeRows(store, account.id);
      expect(got).toEqual(await outcomeRows(store, reference.id));
      expect(got.length).toBe(expectedRecords(sim).sla_outcomes!.length);
    } finally {
      await sim.close();
    }
  });
});

describe('over nock', () => {
  const BASE = 'https://acme.zendesk.com';
  let store: Store;
  let n = 0;
  beforeAll(async () => {
    store = await memoryStore();
    nock.disableNetConnect();
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await store.close();
  });

  it('settles SLA targets applied before the start held and fulfilled after it, then stops', async () => {
    const U = sinceSeconds;
    const at = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
    const ev = (id: number, ticket: number, type: string, time: number, extra = {}) => ({
      id,
      ticket_id: ticket,
      metric: 'reply_time',
      instance_id: 1,
      type,
      time: at(time),
      ...extra,
    });
    const apply = { sla: { target: 60, business_hours: false } };
    const page = (events: unknown[], end: number, last: boolean) => ({
      ticket_metric_events: events,
      next_page: `${BASE}${EVENTS}.json?start_time=${end}`,
      count: last ? events.length : 1000,
      end_time: end,
      end_of_stream: last,
    });
    const account = await store.createAccount(`sla-${++n}`, 'zendesk');
    const api = nock(BASE);
    // First sync from SINCE: ticket 7's fulfilment comes without its target (applied before).
    api
      .get(`${EVENTS}.json`)
      .query({ start_time: String(U), exclude_deleted: 'true' })
      .reply(
        200,
        page(
          [
            ev(1, 9, 'apply_sla', U + 10, apply),
            ev(2, 7, 'fulfill', U + 3600),
            ev(3, 9, 'fulfill', U + 7200),
          ],
          U + 10 * 86_400,
          true,
        ),
      );
    const first = await syncZendesk(store, account, {
      baseUrl: BASE,
      streams: ['sla-outcomes'],
      config: { since: SINCE },
    });
    expect(first[0]).toMatchObject({ ok: true, historyFrom: new Date(U * 1000) });
    expect(await ids(store, 'sla_outcomes', account.id)).toEqual(['9:first_reply_time:1']);

    const needed = new Date('2025-01-01T00:00:00Z');
    const N = needed.getTime() / 1000;
    api
      .get(`${EVENTS}.json`)
      .query({ start_time: String(U + 10 * 86_400), exclude_deleted: 'true' })
      .reply(200, page([], U + 10 * 86_400, true));
    // The backfill: its first page ends at the start held with ticket 7's target still open…
    api
      .get(`${EVENTS}.json`)
      .query({ start_time: String(N), exclude_deleted: 'true' })
      .reply(200, page([ev(4, 7, 'apply_sla', U - 100, apply)], U, false));
    // …so it reads on, taking only what settles its own targets (ticket 9's is not its own)…
    api
      .get(`${EVENTS}.json`)
      .query({ start_time: String(U), exclude_deleted: 'true' })
      .reply(
        200,
        page(
          [
            ev(1, 9, 'apply_sla', U + 10, apply),
            ev(5, 9, 'breach', U + 20, { deleted: false }),
            ev(2, 7, 'fulfill', U + 3600),
            ev(6, 7, 'update_status', U + 3600, { status: { calendar: 61, business: 61 } }),
          ],
          U + 3600,
          false,
        ),
      );
    // …and stops once they are settled, long before the incremental position.
    const unread = api
      .get(`${EVENTS}.json`)
      .query({ start_time: String(U + 3600), exclude_deleted: 'true' })
      .reply(200, page([], U + 3600, true));
    const second = await syncZendesk(store, account, {
      baseUrl: BASE,
      streams: ['sla-outcomes'],
      config: { since: SINCE },
      historyFrom: needed,
    });
    expect(second[0]).toMatchObject({ ok: true, pages: 3, historyFrom: needed });
    expect(unread.pendingMocks()).toHaveLength(1);
    const rows = await outcomeRows(store, account.id);
    expect(rows).toEqual([
      {
        source_id: '7:first_reply_time:1',
        status: 'met',
        target_minutes: 60,
        measured_minutes: 61,
        completed_at: '2025-06-01T01:00:00.000Z',
      },
      {
        source_id: '9:first_reply_time:1',
        status: 'met',
        target_minutes: 60,
        measured_minutes: null,
        completed_at: '2025-06-01T02:00:00.000Z',
      },
    ]);
    expect((await store.coverage(account.id)).historyFrom.get('slaOutcomes')).toEqual(needed);
    nock.cleanAll();
  });

  const page = (tags: string[]) => ({
    tickets: [
      {
        id: 1,
        created_at: '2026-01-10T10:00:00Z',
        updated_at: '2026-01-11T10:00:00Z',
        status: 'open',
        tags,
      },
    ],
    metric_sets: [],
    after_cursor: 'c1',
    end_of_stream: true,
  });
  const families = [
    'assignee',
    'channel',
    'firstResponse',
    'group',
    'organisation',
    'priority',
    'problem',
    'reassignments',
    'reopens',
    'replies',
    'solved',
    'tags',
  ];

  it.each([
    ['no knowledge tag and none configured', [], {}, families],
    ['a default knowledge tag on a ticket', ['kb_linked'], {}, [...families, 'knowledge']],
    [
      'configured knowledge tags, even unused',
      [],
      { knowledgeTags: ['used_article'] },
      [...families, 'knowledge'],
    ],
  ])(
    'vouches for the ticket field families the export delivers: %s',
    async (_, tags, config, want) => {
      nock(BASE)
        .get(`${EXPORT}.json`)
        .query(true)
        .reply(200, page(tags as string[]));
      const account = await store.createAccount(`fields-${++n}`, 'zendesk');
      const [outcome] = await syncZendesk(store, account, {
        baseUrl: BASE,
        streams: ['tickets'],
        config,
      });
      expect(outcome).toMatchObject({ ok: true });
      const coverage = await store.coverage(account.id);
      expect([...coverage.fields.get('tickets')!].sort()).toEqual([...want].sort());
    },
  );
});

describe('coverage stored before the history start was kept', () => {
  it('no longer claims all history for the incremental streams once migrated', async () => {
    const store = await memoryStore();
    try {
      const since = await store.createAccount('legacy-since', 'zendesk', {
        subdomain: 'a',
        since: SINCE,
      });
      const plain = await store.createAccount('legacy', 'zendesk', { subdomain: 'b' });
      for (const a of [since, plain]) {
        await store.markCovered(a.id, ['tickets'], 'zendesk:tickets');
        await store.markCovered(a.id, ['slaOutcomes'], 'zendesk:sla-outcomes');
        await store.markCovered(a.id, ['groups'], 'zendesk:groups');
      }
      await store.dbForTests.query(
        `UPDATE record_coverage SET covered_at = '2026-03-01T00:00:00Z'`,
      );
      await store.dbForTests.query(
        `DELETE FROM schema_migrations WHERE version = '013_zendesk_history_from.sql'`,
      );
      expect(await migrate(store.dbForTests)).toEqual(['013_zendesk_history_from.sql']);
      const a = await store.coverage(since.id);
      expect(a.historyFrom.get('tickets')).toEqual(new Date('2025-06-01T00:00:00Z'));
      expect(a.historyFrom.get('slaOutcomes')).toEqual(new Date('2025-06-01T00:00:00Z'));
      expect(a.historyFrom.has('groups')).toBe(false);
      const b = await store.coverage(plain.id);
      expect(b.historyFrom.get('tickets')).toEqual(new Date('2024-03-01T00:00:00Z'));
    } finally {
      await store.close();
    }
  });
});
