import { describe, expect, it } from 'vitest';
import { loadDefaultRules } from '../../src/engine/index.js';
import { historyNeeded } from '../../src/jobs/history-needed.js';
import { jobIds, snapshotFlow, type SnapshotJobData } from '../../src/jobs/queues.js';
import { takeSnapshot } from '../../src/jobs/take-snapshot.js';
import { memoryStore } from '../helpers/store-template.js';

const NOW = new Date('2026-11-22T14:30:00Z');

describe('the history a snapshot window needs', () => {
  it.each([
    ['all', undefined, null],
    [undefined, undefined, '2026-08-24T00:00:00.000Z'],
    ['90d', '2024-01-31', '2023-11-02T00:00:00.000Z'],
    ['6m', '2026-06-30', '2025-12-30T00:00:00.000Z'],
  ])('--window %s --as-of %s needs history from %s', (window, asOf, want) => {
    expect(historyNeeded(window, asOf, NOW)?.toISOString() ?? null).toBe(want);
  });

  it('rejects a malformed window before anything is synced', () => {
    expect(() => historyNeeded('soon', undefined, NOW)).toThrow(/--window must be like/);
  });
});

describe('a snapshot over the history a sync delivered', () => {
  it('narrows the window to where the history starts, and refuses an as-of before it', async () => {
    const store = await memoryStore();
    try {
      const account = await store.createAccount('acme', 'zendesk');
      await store.upsert(
        account.id,
        'tickets',
        ['2026-09-10', '2026-10-01', '2026-11-01'].map((d, i) => ({
          sourceId: `t${i}`,
          createdAt: `${d}T10:00:00Z`,
          status: 'solved' as const,
          tags: [],
        })),
      );
      // A first sync that read from 1 September on (a 90-day window as of 30 November).
      await store.markCovered(account.id, ['tickets'], 'zendesk', {
        historyFrom: new Date('2026-09-01T00:00:00Z'),
      });
      const rules = loadDefaultRules();
      // As of a day before any synced history: no figure could be anything but a guess.
      await expect(
        takeSnapshot(store, account, { rules, asOf: '2026-08-15', window: '90d' }),
      ).rejects.toMatchObject({
        code: 'E_INPUT',
        message:
          'acme: its tickets were synced from 2026-09-01 on, so a snapshot as of 2026-08-15 has no synced history to judge; take it as of 2026-09-01 or later, or sync the earlier history first (a snapshot without --no-sync does)',
      });
      expect(await store.latestSnapshot(account.id)).toBeUndefined();
      // Within the synced history: the window starts where it does, and says so.
      const body = await takeSnapshot(store, account, {
        rules,
        asOf: '2026-10-15',
        window: '90d',
      });
      expect(body.period).toMatchObject({ from: '2026-09-01T00:00:00.000Z', narrowed: true });
      expect(body.metrics.find((m) => m.id === 'tickets.count')).toMatchObject({ value: 2 });
    } finally {
      await store.close();
    }
  });
});

describe('snapshot flow ids', () => {
  const data = (historyFrom?: string | null): SnapshotJobData => ({
    accountId: 7,
    account: 'acme',
    kindsByStream: { tickets: ['tickets'], groups: ['groups'] },
    ...(historyFrom !== undefined ? { historyFrom } : {}),
  });

  it('keeps a backfilling flow apart from a plain one of the same day', () => {
    const plain = jobIds(7, '2026-11-22');
    const ninety = jobIds(7, '2026-11-22', '', '2026-08-24T00:00:00.000Z');
    const all = jobIds(7, '2026-11-22', '', null);
    expect(plain.sync('tickets')).toBe('7|tickets|2026-11-22');
    expect(ninety.sync('tickets')).toBe('7|tickets|2026-11-22|h20260824');
    expect(all.sync('tickets')).toBe('7|tickets|2026-11-22|hall');
    expect(new Set([plain.evaluate, ninety.evaluate, all.evaluate]).size).toBe(3);
    expect(jobIds(7, '2026-11-22', '|cli-x', null).evaluate).toBe(
      '7|evaluate|2026-11-22|cli-x|hall',
    );
  });

  it('gives every sync job of the flow the history its window needs', () => {
    const flow = snapshotFlow(data(null), '2026-11-22');
    const syncs = flow.children![0]!.children!;
    expect(syncs.map((j) => [j.opts?.jobId, j.data])).toEqual([
      [
        '7|tickets|2026-11-22|hall',
        { accountId: 7, account: 'acme', stream: 'tickets', historyFrom: null },
      ],
      [
        '7|groups|2026-11-22|hall',
        { accountId: 7, account: 'acme', stream: 'groups', historyFrom: null },
      ],
    ]);
    const plain = snapshotFlow(data(), '2026-11-22').children![0]!.children!;
    expect(plain.map((j) => j.data)).toEqual([
      { accountId: 7, account: 'acme', stream: 'tickets' },
      { accountId: 7, account: 'acme', stream: 'groups' },
    ]);
  });
});
