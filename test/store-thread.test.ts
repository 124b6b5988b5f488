import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.js';
import { storeSyncSink } from '../src/store/sync-sink.js';
import { seedStoreDir } from './helpers/store-template.js';

/**
 * The embedded store in a directory, as users have it: PGlite in a thread of its own
 * (src/store/pglite-thread.ts). What goes through the thread must behave as PGlite in process
 * did: transactions that have the database to themselves, errors with their SQLSTATE, a store
 * that reopens with everything committed.
 */

const roots: string[] = [];
function storeDir(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'store-thread-'));
  roots.push(root);
  const dir = path.join(root, 'db');
  seedStoreDir(dir);
  return dir;
}
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const automation = (id: string) => ({ sourceId: id, kind: 'macro' as const, active: true });
const ids = async (store: Store, accountId: number) =>
  (
    await store.dbForTests.query<{ source_id: string }>(
      'SELECT source_id FROM automations WHERE account_id = $1 ORDER BY source_id',
      [accountId],
    )
  ).map((r) => r.source_id);

describe('the embedded store in a directory', () => {
  it('keeps a statement from outside a transaction out of it: it waits, and is not rolled back with it', async () => {
    const dir = storeDir();
    const store = await Store.open({ dir });
    try {
      const a = await store.createAccount('acme', 'records');
      let fail!: () => void;
      const failing = new Promise<void>((r) => (fail = r));
      let inside!: () => void;
      const begun = new Promise<void>((r) => (inside = r));
      const tx = store.transaction(async (t) => {
        await t.upsert(a.id, 'automations', [automation('in-tx')]);
        inside();
        await failing;
        throw new Error('the page failed');
      });
      await begun;
      // Issued while the transaction is open: a statement, and a transaction of its own.
      const outside = Promise.all([
        store.createAccount('beta', 'records'),
        store.upsert(a.id, 'automations', [automation('outside')]),
      ]);
      fail();
      await expect(tx).rejects.toThrow('the page failed');
      await outside;
      expect(await ids(store, a.id)).toEqual(['outside']);
      expect((await store.listAccounts()).map((x) => x.name).sort()).toEqual(['acme', 'beta']);
    } finally {
      await store.close();
    }
  });

  it("gives the database's errors with their SQLSTATE: a first sync meeting a stored record falls back to upsert", async () => {
    const dir = storeDir();
    const store = await Store.open({ dir });
    try {
      const a = await store.createAccount('acme', 'records');
      const sink = storeSyncSink(store, a.id);
      const page = (list: string[], n: number) => ({
        records: { automations: list.map(automation) },
        cursor: { page: n },
      });
      await sink.commitPage('fake:pages', page(['a1', 'a2'], 1), false, undefined);
      await sink.commitPage('fake:pages', page(['a3', 'a1'], 2), false, undefined);
      expect(await ids(store, a.id)).toEqual(['a1', 'a2', 'a3']);
      await expect(
        store.dbForTests.query(
          "INSERT INTO automations SELECT * FROM automations WHERE account_id = $1 AND source_id = 'a1'",
          [a.id],
        ),
      ).rejects.toMatchObject({ code: '23505' });
    } finally {
      await store.close();
    }
  });

  it('reopens with what was committed', async () => {
    const dir = storeDir();
    const first = await Store.open({ dir });
    const a = await first.createAccount('acme', 'records');
    await first.upsert(a.id, 'automations', [automation('kept')]);
    await first.close();
    const again = await Store.open({ dir });
    try {
      expect(await ids(again, a.id)).toEqual(['kept']);
    } finally {
      await again.close();
    }
  });
  it('refuses a statement of a transaction that has ended, rather than run it in the next one', async () => {
    const store = await Store.open({ dir: storeDir() });
    try {
      let late!: Store;
      await store.transaction(async (tx) => {
        late = tx;
      });
      await expect(late.createAccount('late', 'records')).rejects.toThrow(
        'a statement came after its transaction had ended',
      );
      await store.transaction((tx) => tx.createAccount('next', 'records'));
      expect((await store.listAccounts()).map((x) => x.name)).toEqual(['next']);
    } finally {
      await store.close();
    }
  });

  it('says what it cannot take or do: a parameter that is no plain value, a request after close', async () => {
    const store = await Store.open({ dir: storeDir() });
    const db = store.dbForTests;
    await expect(db.query('SELECT $1::text', [new URL('https://example.com/')])).rejects.toThrow(
      'the embedded store takes plain values as parameters, not a URL object',
    );
    await expect(db.query('SELECT $1::text', [() => 1])).rejects.toThrow(/could not be cloned/);
    expect(await db.query('SELECT $1::text AS v', ['still there'])).toEqual([{ v: 'still there' }]);
    await store.close();
    await expect(db.query('SELECT 1')).rejects.toThrow('the embedded store is closed');
  });
});
