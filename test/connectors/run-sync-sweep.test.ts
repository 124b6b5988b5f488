import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { StreamDefinition } from '../../connectors/shared/define-connector.js';
import { loadConnectors } from '../../connectors/index.js';
import type { HttpClient } from '../../connectors/shared/http-client.js';
import { runSync } from '../../connectors/shared/run-sync.js';
import type { Automation } from '../../src/domain/records.js';
import { migrate } from '../../src/store/migrate.js';
import { tables } from '../../src/store/tables.js';
import type { Account, Store } from '../../src/store/store.js';
import { backends } from '../helpers/backends.js';
import { storeSyncSink } from '../../src/store/sync-sink.js';
import { fakeConnector } from '../helpers/fake-connector.js';

const connectors = await loadConnectors();
const auto = (id: string): Automation => ({ sourceId: id, kind: 'macro', active: true });

/** A source list of automations read two per page, with the index of the next page as cursor. */
function listStream(
  source: { ids: string[]; failAfterPage?: number },
  o: Partial<StreamDefinition<unknown>> = {},
): StreamDefinition<unknown> {
  return {
    name: 'rules',
    kinds: ['automations'],
    cursor: z.object({ i: z.number() }),
    fullRefresh: true,
    async sync(ctx) {
      let i = (ctx.cursor as { i: number } | undefined)?.i ?? 0;
      for (let page = 1; ; page++) {
        const ids = source.ids.slice(i, i + 2);
        i += 2;
        const done = i >= source.ids.length;
        await ctx.commit({ records: { automations: ids.map(auto) }, cursor: done ? null : { i } });
        if (done) return;
        if (page === source.failAfterPage) throw new Error('connection reset');
      }
    },
    ...o,
  };
}

const connector = fakeConnector;

describe('full-refresh streams of the shipped connectors', () => {
  it.each(connectors.map((c) => [c.id, c] as const))(
    '%s: each full-refresh stream is the only one delivering its kinds (so it may sweep them)',
    (_id, c) => {
      const full = c.streams.filter((s) => s.fullRefresh);
      expect(full.length).toBeGreaterThan(0);
      for (const s of full) {
        const others = c.streams.filter((o) => o !== s).flatMap((o) => o.kinds);
        expect(
          s.kinds.filter((k) => others.includes(k)),
          s.name,
        ).toEqual([]);
      }
    },
  );

  it('marks exactly the streams that re-read a whole list', () => {
    const full = Object.fromEntries(
      connectors.map((c) => [c.id, c.streams.filter((s) => s.fullRefresh).map((s) => s.name)]),
    );
    expect(full).toEqual({
      zendesk: [
        'groups',
        'agents',
        'sla-policies',
        'organisations',
        'automations',
        'kb-articles',
        'satisfaction-ratings',
      ],
      servicenow: ['contract_sla', 'service_offering', 'agents'],
      jsm: ['agents', 'organisations', 'service-desks', 'sla-policies', 'groups'],
      freshdesk: [
        'groups',
        'agents',
        'sla-policies',
        'organisations',
        'automations',
        'kb-articles',
        'satisfaction-ratings',
      ],
    });
  });
});

describe.each(backends)('mark and sweep of full-refresh streams on $name', (backend) => {
  let store: Store;
  afterEach(async () => store?.close());

  const run = (account: Account, streams: StreamDefinition<unknown>[]) =>
    runSync({
      sink: storeSyncSink(store, account.id),
      connector: connector(streams),
      config: {},
      client: {} as HttpClient,
    });
  const stored = async (accountId: number) =>
    (
      await store.dbForTests.query<{ source_id: string }>(
        'SELECT source_id FROM automations WHERE account_id = $1 ORDER BY source_id',
        [accountId],
      )
    ).map((r) => r.source_id);
  const passStart = async (accountId: number) =>
    (
      await store.dbForTests.query<{ started: string | null }>(
        `SELECT run_started_at::text AS started FROM sync_state WHERE account_id = $1 AND stream = 'fake:rules'`,
        [accountId],
      )
    )[0]?.started;

  it('stamps synced_at on insert and on update', async () => {
    store = await backend.open();
    const a = await store.createAccount('stamps', 'fake');
    for (const spec of Object.values(tables)) {
      const [col] = await store.dbForTests.query(
        `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
           AND column_name = 'synced_at' AND is_nullable = 'NO'`,
        [spec.table],
      );
      expect(col, spec.table).toBeDefined();
    }
    await store.upsert(a.id, 'automations', [auto('m1'), auto('m2')]);
    const at = async () =>
      store.dbForTests.query<{ source_id: string; t: string }>(
        'SELECT source_id, synced_at::text AS t FROM automations WHERE account_id = $1 ORDER BY source_id',
        [a.id],
      );
    const first = await at();
    await new Promise((r) => setTimeout(r, 5));
    await store.upsert(a.id, 'automations', [auto('m2')]);
    const second = await at();
    expect(second[0]!.t).toBe(first[0]!.t);
    expect(second[1]!.t > first[1]!.t).toBe(true);
  });

  it('sweeps at the end of a complete pass only; a failed pass resumed later keeps its start', async () => {
    store = await backend.open();
    const a = await store.createAccount('sweep', 'fake');
    const source = { ids: ['a', 'b', 'c', 'd', 'e', 'f'] } as {
      ids: string[];
      failAfterPage?: number;
    };
    expect((await run(a, [listStream(source)]))[0]).toMatchObject({ ok: true, removed: 0 });
    expect(await passStart(a.id)).toBeNull();

    source.ids = ['a', 'b', 'd', 'e', 'f']; // c deleted at the source
    source.failAfterPage = 1;
    const failed = await run(a, [listStream(source)]);
    expect(failed[0]).toMatchObject({ ok: false, pages: 1 });
    expect(await stored(a.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const started = await passStart(a.id);
    expect(started).toEqual(expect.any(String));

    delete source.failAfterPage;
    const resumed = await run(a, [listStream(source)]);
    // Read d, e, f only; a and b were stored by the failed run and stay.
    expect(resumed[0]).toMatchObject({ ok: true, records: 3, removed: 1 });
    expect(await stored(a.id)).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(await passStart(a.id)).toBeNull();
    expect([...(await store.coveredKinds(a.id))]).toEqual(['automations']);
  });

  it('does not sweep a kind that another stream of the connector also delivers, and says so', async () => {
    store = await backend.open();
    const a = await store.createAccount('shared', 'fake');
    const source = { ids: ['a', 'b', 'c'] };
    const other: StreamDefinition<unknown> = {
      name: 'bots',
      kinds: ['automations'],
      cursor: z.never(),
      async sync(ctx) {
        await ctx.commit({ records: { automations: [auto('bot-1')] }, cursor: null });
      },
    };
    await run(a, [listStream(source), other]);
    source.ids = ['a'];
    const [rules] = await run(a, [listStream(source), other]);
    expect(rules).toMatchObject({ ok: true, removed: 0 });
    expect(rules!.warnings?.join()).toMatch(/automations also come\(s\) from another stream/);
    expect(await stored(a.id)).toEqual(['a', 'b', 'bot-1', 'c']);
  });

  it('leaves the records be when a completed run committed nothing of its own', async () => {
    store = await backend.open();
    const a = await store.createAccount('idle', 'fake');
    await run(a, [listStream({ ids: ['a', 'b'] })]);
    const idle = listStream({ ids: [] }, { sync: async () => undefined });
    expect((await run(a, [idle]))[0]).toMatchObject({ ok: true, removed: 0 });
    expect(await stored(a.id)).toEqual(['a', 'b']);
  });

  it('after the migration, a stream caught mid-pass sweeps nothing on the pass it resumes', async () => {
    store = await backend.open();
    const a = await store.createAccount('upgrade', 'fake');
    const source = { ids: ['a', 'b', 'c', 'd'] } as { ids: string[]; failAfterPage?: number };
    await run(a, [listStream(source)]);
    source.failAfterPage = 1;
    await run(a, [listStream(source)]);
    // Back to the schema before 011, with the stream mid-pass, then upgrade.
    await store.dbForTests.exec(
      [
        ...Object.values(tables).map((t) => `ALTER TABLE ${t.table} DROP COLUMN synced_at;`),
        'ALTER TABLE sync_state DROP COLUMN run_started_at;',
        `DELETE FROM schema_migrations WHERE version = '011_synced_at.sql';`,
      ].join('\n'),
    );
    expect(await migrate(store.dbForTests)).toEqual(['011_synced_at.sql']);
    expect(await passStart(a.id)).toBe('-infinity');

    delete source.failAfterPage;
    source.ids = ['a', 'b', 'd']; // c deleted at the source
    // The resumed pass only reads c..d: a and b carry the migration's time, not a pass's.
    expect((await run(a, [listStream(source)]))[0]).toMatchObject({ ok: true, removed: 0 });
    expect(await stored(a.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(await passStart(a.id)).toBeNull();
    // The next complete pass sweeps.
    expect((await run(a, [listStream(source)]))[0]).toMatchObject({ ok: true, removed: 1 });
    expect(await stored(a.id)).toEqual(['a', 'b', 'd']);
  });
});
