import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStream, type StreamDefinition } from '../../connectors/shared/define-connector.js';
import { memorySink } from '../../connectors/shared/memory-sink.js';
import type { SyncSink } from '../../connectors/shared/sync-sink.js';
import type { Store } from '../../src/store/store.js';
import { storeSyncSink } from '../../src/store/sync-sink.js';
import { backends } from '../helpers/backends.js';
import { runFake } from '../helpers/fake-connector.js';

/**
 * A page is written while the stream reads the next one (run-sync.ts): never more than one page
 * ahead, the last one stored before the stream counts as complete, and a page that cannot be
 * stored ends the stream there.
 */

const PAGES = 4;

/** A stream of PAGES pages of one automation each; the cursor is the page number. */
function paged(log: string[]): StreamDefinition<unknown> {
  return defineStream<unknown, { page: number }>({
    name: 'pages',
    kinds: ['automations'],
    cursor: z.object({ page: z.number() }),
    async sync(ctx) {
      for (let page = 1; page <= PAGES; page++) {
        log.push(`read ${page}`);
        await ctx.commit({
          records: { automations: [{ sourceId: `a${page}`, kind: 'macro', active: true }] },
          cursor: { page },
          done: page === PAGES,
        });
      }
      log.push('stream returned');
    },
  });
}

/** A memory sink whose page writes each take a few event-loop turns, logged; page `failOn` fails. */
function slowSink(log: string[], failOn?: number) {
  const inner = memorySink();
  const sink: SyncSink = {
    ...inner,
    async commitPage(stream, page, fullRefresh, after) {
      const n = (page.cursor as { page: number }).page;
      await after;
      log.push(`write ${n}`);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      if (n === failOn) throw new Error(`disk full at page ${n}`);
      const started = await inner.commitPage(stream, page, fullRefresh);
      log.push(`stored ${n}`);
      return started;
    },
    async completeStream(stream, o) {
      log.push('complete');
      return inner.completeStream(stream, o);
    },
  };
  return { sink, state: inner.state };
}

const run = (sink: SyncSink, log: string[]) => runFake([paged(log)], { sink });

describe('pages written behind the stream', () => {
  it('reads the next page while one is written, never two ahead, and completes after the last is stored', async () => {
    const log: string[] = [];
    const { sink, state } = slowSink(log);
    const [outcome] = await run(sink, log);
    expect(outcome).toMatchObject({ ok: true, pages: PAGES, records: PAGES });
    expect(log).toEqual([
      'read 1',
      'write 1',
      'read 2', // while page 1 is written
      'stored 1',
      'write 2',
      'read 3',
      'stored 2',
      'write 3',
      'read 4',
      'stored 3',
      'write 4',
      'stream returned',
      'stored 4', // the runner waits for the last page…
      'complete', // …before the stream's kinds count as covered
    ]);
    expect([...state.records.automations!.keys()]).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(state.cursors.get('fake:pages')).toEqual({ page: 4 });
  });

  it('ends the stream at a page that cannot be stored: nothing after it is written, nothing covered', async () => {
    const log: string[] = [];
    const { sink, state } = slowSink(log, 2);
    const [outcome] = await run(sink, log);
    expect(outcome!.ok).toBe(false);
    expect(outcome!.error?.message).toBe('disk full at page 2');
    expect(outcome!.pages).toBe(1);
    // Page 3 was read while page 2 was being written, and is never written.
    expect(log).toEqual(['read 1', 'write 1', 'read 2', 'stored 1', 'write 2', 'read 3']);
    expect([...state.records.automations!.keys()]).toEqual(['a1']);
    expect(state.cursors.get('fake:pages')).toEqual({ page: 1 });
    expect(state.covered.size).toBe(0);
  });
});

describe.each(backends)('the store sink on $name', (backend) => {
  const page = (id: string) => ({
    records: { automations: [{ sourceId: id, kind: 'macro' as const, active: true }] },
    cursor: { page: id },
  });

  it('prepares a page at once but writes it only after the page before is stored', async () => {
    const store = await backend.open();
    try {
      const a = await store.createAccount('acme', 'records');
      const sink = storeSyncSink(store, a.id);
      let storeBefore!: () => void;
      const before = new Promise<void>((r) => (storeBefore = r));
      const write = sink.commitPage('fake:pages', page('a2'), false, before);
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect((await store.countRecords(a.id)).automations).toBe(0);
      expect(await sink.readCursor('fake:pages')).toBeUndefined();
      storeBefore();
      await write;
      expect((await store.countRecords(a.id)).automations).toBe(1);
      expect(await sink.readCursor('fake:pages')).toEqual({ page: 'a2' });

      // The page before failed: this one is never written, and fails with its error.
      await expect(
        sink.commitPage('fake:pages', page('a3'), false, Promise.reject(new Error('disk full'))),
      ).rejects.toThrow('disk full');
      expect((await store.countRecords(a.id)).automations).toBe(1);
      expect(await sink.readCursor('fake:pages')).toEqual({ page: 'a2' });
    } finally {
      await store.close();
    }
  });
  const ticket = (id: string, status: 'open' | 'solved') => ({
    sourceId: id,
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: status === 'open' ? '2026-03-01T09:00:00.000Z' : '2026-03-02T09:00:00.000Z',
    status,
    tags: [],
  });
  const tickets = (ids: [string, 'open' | 'solved'][], n: number) => ({
    records: { tickets: ids.map(([id, status]) => ticket(id, status)) },
    cursor: { page: n },
  });
  const stored = async (store: Store, accountId: number) =>
    (
      await store.dbForTests.query<{ source_id: string; status: string }>(
        'SELECT source_id, status FROM tickets WHERE account_id = $1 ORDER BY source_id',
        [accountId],
      )
    ).map((r) => `${r.source_id}:${r.status}`);

  it('stores a record a first sync reads twice (it changed meanwhile) once, as last read', async () => {
    const store = await backend.open();
    try {
      const a = await store.createAccount('acme', 'records');
      const other = await store.createAccount('other', 'records');
      // Another account's records do not make this one's first sync any less new.
      await store.upsert(other.id, 'tickets', [ticket('t1', 'open')]);
      const sink = storeSyncSink(store, a.id);
      await sink.commitPage(
        'fake:tickets',
        tickets(
          [
            ['t1', 'open'],
            ['t2', 'open'],
          ],
          1,
        ),
        false,
        undefined,
      );
      // t1 was updated while the sync read on: the keyed paging meets it again on a later page.
      await sink.commitPage(
        'fake:tickets',
        tickets(
          [
            ['t3', 'open'],
            ['t1', 'solved'],
          ],
          2,
        ),
        false,
        undefined,
      );
      // Another command stored t4 meanwhile.
      await store.upsert(a.id, 'tickets', [ticket('t4', 'open')]);
      await sink.commitPage(
        'fake:tickets',
        tickets(
          [
            ['t4', 'solved'],
            ['t5', 'open'],
          ],
          3,
        ),
        false,
        undefined,
      );
      expect(await stored(store, a.id)).toEqual([
        't1:solved',
        't2:open',
        't3:open',
        't4:solved',
        't5:open',
      ]);
      expect(await stored(store, other.id)).toEqual(['t1:open']);
      expect(await sink.readCursor('fake:tickets')).toEqual({ page: 3 });

      // The next run of an account that holds records updates them as ever.
      const next = storeSyncSink(store, a.id);
      await next.commitPage(
        'fake:tickets',
        tickets(
          [
            ['t2', 'solved'],
            ['t6', 'open'],
          ],
          4,
        ),
        false,
        undefined,
      );
      expect(await stored(store, a.id)).toEqual([
        't1:solved',
        't2:solved',
        't3:open',
        't4:solved',
        't5:open',
        't6:open',
      ]);
    } finally {
      await store.close();
    }
  });
});
