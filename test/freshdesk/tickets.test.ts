import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { fdTime } from './account.js';
import { emptyAccount, fakeFreshdesk, type FakeAccount } from './fake.js';
import { BASE, NOW, ids, sorted, syncFreshdesk, useStore } from './helpers.js';

/** The tickets stream: updated_since, the link header, the page ceiling, deletions, backfill. */
const DAY = 86_400_000;
const ticket = (id: number, updated: number, extra: Record<string, unknown> = {}) => ({
  id,
  status: 2,
  priority: 2,
  source: 1,
  created_at: fdTime(updated - DAY),
  updated_at: fdTime(updated),
  fr_due_by: fdTime(updated + DAY),
  due_by: fdTime(updated + 3 * DAY),
  tags: [],
  stats: { first_responded_at: null, resolved_at: null, closed_at: null, reopened_at: null },
  ...extra,
});

const t = useStore('t');

const withTickets = (tickets: Record<string, unknown>[]): FakeAccount => ({
  ...emptyAccount(),
  tickets,
});
const sync = (o: Parameters<typeof syncFreshdesk>[2] = {}) =>
  syncFreshdesk(t.store, t.account, {
    streams: ['tickets'],
    config: { since: '2025-01-01' },
    ...o,
  });

describe('tickets', () => {
  it('asks with updated_since, updated_at ascending, stats and 100 a page; never lists deleted or spam ones', async () => {
    const t0 = NOW.getTime() - 10 * DAY;
    const fake = fakeFreshdesk(
      BASE,
      withTickets([
        ticket(1, t0),
        ticket(2, t0 + 1000, { deleted: true }),
        ticket(3, t0 + 2000, { spam: true }),
        ticket(4, t0 + 3000),
      ]),
    );
    const [outcome] = await sync();
    expect(outcome).toMatchObject({ ok: true });
    expect(fake.stats.ticketQueries[0]).toEqual({
      updated_since: '2025-01-01T00:00:00Z',
      order_by: 'updated_at',
      order_type: 'asc',
      include: 'stats',
      per_page: '100',
      page: '1',
    });
    expect(await ids(t.store, 'tickets', t.account.id)).toEqual(['1', '4']);
    expect(await ids(t.store, 'sla_outcomes', t.account.id)).toEqual([
      '1:first_reply_time',
      '1:resolution_time',
      '4:first_reply_time',
      '4:resolution_time',
    ]);
  });

  it('removes a stored ticket, and its SLA outcomes, once it is deleted or marked spam', async () => {
    const t0 = NOW.getTime() - 10 * DAY;
    const source = withTickets([ticket(1, t0), ticket(2, t0 + 1000), ticket(3, t0 + 2000)]);
    fakeFreshdesk(BASE, source);
    await sync();
    expect(await ids(t.store, 'tickets', t.account.id)).toEqual(['1', '2', '3']);
    nock.cleanAll();
    source.tickets[0]!.deleted = true;
    source.tickets[0]!.updated_at = fdTime(t0 + 5000);
    source.tickets[2]!.spam = true;
    const fake = fakeFreshdesk(BASE, source);
    await sync();
    expect(await ids(t.store, 'tickets', t.account.id)).toEqual(['2']);
    expect(await ids(t.store, 'sla_outcomes', t.account.id)).toEqual([
      '2:first_reply_time',
      '2:resolution_time',
    ]);
    expect(fake.stats.ticketQueries.map((q) => q.filter).filter(Boolean)).toEqual([
      'deleted',
      'spam',
    ]);
  });

  it('moves updated_since forward past each page, re-reading its last second: every ticket once, none lost at the boundary', async () => {
    const t0 = NOW.getTime() - 30 * DAY;
    // 450 tickets a minute apart, except that tickets 99..102 share the second page 1 ends on.
    const list = Array.from({ length: 450 }, (_, i) =>
      ticket(i + 1, t0 + (i >= 98 && i <= 101 ? 98 : i) * 60_000),
    );
    const fake = fakeFreshdesk(BASE, withTickets(list), { pageLimit: 300 });
    const [outcome] = await sync();
    expect(outcome).toMatchObject({ ok: true, quarantined: 0 });
    expect(await ids(t.store, 'tickets', t.account.id)).toEqual(sorted(list.map((t) => t.id)));
    const reads = fake.stats.ticketQueries.filter((q) => !q.filter);
    // Page 1 ends on the shared second: the next read starts a second before it, at page 1.
    expect(reads[1]).toMatchObject({ updated_since: fdTime(t0 + 98 * 60_000 - 1000), page: '1' });
    expect(reads.every((q) => q.page === '1')).toBe(true);
    // The next sync starts a second before the last ticket read: it is read again, nothing else.
    nock.cleanAll();
    const again = fakeFreshdesk(BASE, withTickets(list));
    const [second] = await sync();
    expect(again.stats.ticketQueries[0]!.updated_since).toBe(fdTime(t0 + 449 * 60_000 - 1000));
    // One ticket and its two SLA outcomes.
    expect(second).toMatchObject({ ok: true, records: 3 });
  });

  it('loses no ticket when tickets already read are updated during the read (the list shifts)', async () => {
    const t0 = NOW.getTime() - 30 * DAY;
    const list = Array.from({ length: 250 }, (_, i) => ticket(i + 1, t0 + i * 60_000));
    let moved = 0;
    const fake = fakeFreshdesk(BASE, withTickets(list), {
      // After each page, one ticket of that page is updated and jumps to the end of the list.
      beforeTickets: (q, a) => {
        if (q.filter || fake.stats.ticketQueries.length < 2) return;
        const read = a.tickets[moved * 100]!;
        read.updated_at = fdTime(NOW.getTime() - 60_000 + moved++ * 1000);
      },
    });
    const [outcome] = await sync();
    expect(outcome).toMatchObject({ ok: true });
    expect(moved).toBeGreaterThan(0);
    expect(await ids(t.store, 'tickets', t.account.id)).toEqual(sorted(list.map((x) => x.id)));
  });

  it('follows the link header while a whole page shares one second, and stops at the page ceiling', async () => {
    const t0 = NOW.getTime() - 30 * DAY;
    // A bulk update: 250 tickets on one second, then 30 later ones.
    const bulk = Array.from({ length: 250 }, (_, i) => ticket(i + 1, t0));
    const later = Array.from({ length: 30 }, (_, i) => ticket(1000 + i, t0 + (i + 1) * 60_000));
    const fake = fakeFreshdesk(BASE, withTickets([...bulk, ...later]));
    const [outcome] = await sync({ config: { since: '2025-01-01', pageCeiling: 5 } });
    expect(outcome).toMatchObject({ ok: true });
    expect(await ids(t.store, 'tickets', t.account.id)).toHaveLength(280);
    const reads = fake.stats.ticketQueries.filter((q) => !q.filter);
    // Page 1 from --since ends far past it: the read starts again a second before the bulk; that
    // page ends on the second it starts from, so the link header leads on, to the last page.
    expect(reads.map((q) => [q.updated_since, q.page])).toEqual([
      ['2025-01-01T00:00:00Z', '1'],
      [fdTime(t0 - 1000), '1'],
      [fdTime(t0 - 1000), '2'],
      [fdTime(t0 - 1000), '3'],
    ]);

    // A second holding more pages than the ceiling is said, not skipped.
    await t.fresh();
    nock.cleanAll();
    fakeFreshdesk(BASE, withTickets(bulk));
    const [stuck] = await sync({ config: { since: '2025-01-01', pageCeiling: 2 } });
    expect(stuck!.ok).toBe(false);
    expect(stuck!.error?.message).toMatch(/more than 2 pages of tickets updated at .*page limit/);
  });

  it('reads from the window a first snapshot needs, then backfills earlier history when a wider one asks', async () => {
    const list = Array.from({ length: 120 }, (_, i) =>
      ticket(i + 1, NOW.getTime() - (120 - i) * DAY),
    );
    const fake = fakeFreshdesk(BASE, withTickets(list));
    const needed = new Date(NOW.getTime() - 30 * DAY);
    await syncFreshdesk(t.store, t.account, { streams: ['tickets'], historyFrom: needed });
    expect(fake.stats.ticketQueries[0]!.updated_since).toBe(fdTime(needed.getTime()));
    expect(await ids(t.store, 'tickets', t.account.id)).toHaveLength(30);
    const earlier = new Date(NOW.getTime() - 90 * DAY);
    const before = fake.stats.ticketQueries.length;
    const [outcome] = await syncFreshdesk(t.store, t.account, {
      streams: ['tickets'],
      historyFrom: earlier,
    });
    expect(outcome).toMatchObject({ ok: true, historyFrom: earlier });
    expect(await ids(t.store, 'tickets', t.account.id)).toHaveLength(90);
    expect(
      fake.stats.ticketQueries
        .slice(before)
        .some((q) => q.updated_since === fdTime(earlier.getTime())),
    ).toBe(true);
  });
});
