import { afterEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../src/domain/records.js';
import type { Store } from '../src/store/store.js';
import { backends } from './helpers/backends.js';

const ticket = (id: string, extra: Partial<Ticket> = {}): Ticket => ({
  sourceId: id,
  createdAt: '2026-03-01T10:00:00Z',
  status: 'open',
  tags: [],
  ...extra,
});

describe.each(backends)('store on $name', (backend) => {
  let store: Store;
  afterEach(async () => store?.close());

  it('upserts by (account, source id): reading a record twice stores it once, with the latest fields', async () => {
    store = await backend.open();
    const a = await store.createAccount('acme', 'records');
    await store.upsert(a.id, 'tickets', [ticket('1'), ticket('2')]);
    await store.upsert(a.id, 'tickets', [
      ticket('2', { status: 'solved', tags: ['vip'] }),
      ticket('3'),
    ]);
    const rows = await store.db.query<{ source_id: string; status: string; tags: string[] }>(
      'SELECT source_id, status, tags FROM tickets WHERE account_id = $1 ORDER BY source_id',
      [a.id],
    );
    expect(rows).toEqual([
      { source_id: '1', status: 'open', tags: [] },
      { source_id: '2', status: 'solved', tags: ['vip'] },
      { source_id: '3', status: 'open', tags: [] },
    ]);
  });

  it('keeps accounts apart: the same source id in two accounts is two records', async () => {
    store = await backend.open();
    const a = await store.createAccount('a', 'records');
    const b = await store.createAccount('b', 'records');
    await store.upsert(a.id, 'tickets', [ticket('1')]);
    await store.upsert(b.id, 'tickets', [ticket('1', { status: 'closed' })]);
    expect((await store.countRecords(a.id)).tickets).toBe(1);
    expect((await store.countRecords(b.id)).tickets).toBe(1);
    await store.db.query('DELETE FROM accounts WHERE id = $1', [a.id]);
    expect((await store.countRecords(b.id)).tickets).toBe(1);
  });

  it('stores nested fields (SLA targets and conditions) and reads them back', async () => {
    store = await backend.open();
    const a = await store.createAccount('acme', 'records');
    await store.upsert(a.id, 'slaPolicies', [
      {
        sourceId: 'p1',
        name: 'Premium',
        kind: 'sla',
        targets: [
          {
            priority: 'urgent',
            metric: 'first_reply_time',
            targetMinutes: 30,
            businessHours: false,
          },
        ],
        conditions: [{ field: 'organization.tags', value: 'premium' }],
      },
    ]);
    const [row] = await store.db.query<{ targets: unknown; conditions: unknown }>(
      'SELECT targets, conditions FROM sla_policies',
    );
    expect(row?.targets).toEqual([
      { priority: 'urgent', metric: 'first_reply_time', targetMinutes: 30, businessHours: false },
    ]);
    expect(row?.conditions).toEqual([{ field: 'organization.tags', value: 'premium' }]);
  });

  it('keeps one snapshot per account, day and window: a second run the same day replaces it', async () => {
    store = await backend.open();
    const a = await store.createAccount('acme', 'records');
    const body = (v: string) => ({
      account: 'acme',
      asOf: '2026-06-30T12:00:00.000Z',
      window: 'P90D',
      rulesVersion: v,
      rulesHash: 'h',
      partial: false,
      metrics: [],
      layers: [],
    });
    await store.saveSnapshot(a.id, body('1.0.0'));
    await store.saveSnapshot(a.id, body('1.0.1'));
    expect(await store.listSnapshots(a.id)).toHaveLength(1);
    expect((await store.latestSnapshot(a.id))?.rulesVersion).toBe('1.0.1');
  });

  it('applies migrations once: opening the same database again changes nothing', async () => {
    store = await backend.open();
    const rows = await store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM schema_migrations',
    );
    expect(rows[0]?.n).toBeGreaterThan(0);
  });
});
