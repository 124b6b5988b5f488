import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { recordKinds, type Ticket } from '../src/domain/records.js';
import { prepareUpsert } from '../src/store/records.js';
import { tables } from '../src/store/tables.js';
import { migrate } from '../src/store/migrate.js';
import { Store } from '../src/store/store.js';
import { backends, PG_URL, type Backend } from './helpers/backends.js';

const ticket = (id: string, extra: Partial<Ticket> = {}): Ticket => ({
  sourceId: id,
  createdAt: '2026-03-01T10:00:00Z',
  status: 'open',
  tags: [],
  ...extra,
});

/** One database opened as often as a test likes: a PGlite directory on disk, or a PostgreSQL schema. */
const sameDatabase: Record<
  Backend['name'],
  () => { open(): Promise<Store>; drop(): Promise<void> }
> = {
  pglite: () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'store-'));
    return {
      open: () => Store.open({ dir }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  postgres: () => {
    const schema = `t_${process.pid}_${Date.now().toString(36)}_reopen`;
    return {
      open: () => Store.open({ url: PG_URL, schema }),
      async drop() {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

const migrationFiles = readdirSync(new URL('../src/store/migrations/', import.meta.url))
  .filter((f) => f.endsWith('.sql'))
  .sort();

const appliedMigrations = (store: Store) =>
  store.dbForTests.query<{ version: string; applied_at: Date }>(
    'SELECT version, applied_at FROM schema_migrations ORDER BY version',
  );

describe.each(backends)('store on $name', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('upserts by (account, source id): reading a record twice stores it once, with the latest fields', async () => {
    store = await backend.open();
    const a = await store.createAccount('acme', 'records');
    await store.upsert(a.id, 'tickets', [ticket('1'), ticket('2')]);
    await store.upsert(a.id, 'tickets', [
      ticket('2', { status: 'solved', tags: ['vip'] }),
      ticket('3'),
    ]);
    const rows = await store.dbForTests.query<{
      source_id: string;
      status: string;
      tags: string[];
    }>('SELECT source_id, status, tags FROM tickets WHERE account_id = $1 ORDER BY source_id', [
      a.id,
    ]);
    expect(rows).toEqual([
      { source_id: '1', status: 'open', tags: [] },
      { source_id: '2', status: 'solved', tags: ['vip'] },
      { source_id: '3', status: 'open', tags: [] },
    ]);
  });

  it('removes what a ticket owns (SLA outcomes, rating) with it, deleted or swept', async () => {
    store = await backend.open();
    const a = await store.createAccount('acme', 'records');
    await store.upsert(
      a.id,
      'tickets',
      ['1', '2', '3'].map((id) => ticket(id)),
    );
    const owned = (id: string) => ({ ticketId: id, createdAt: '2026-06-01T12:00:00Z' });
    await store.upsert(
      a.id,
      'slaOutcomes',
      ['1', '2', '3'].map((id) => ({
        sourceId: `o${id}`,
        ticketId: id,
        metric: 'first_reply_time' as const,
        status: 'met' as const,
      })),
    );
    await store.upsert(
      a.id,
      'satisfactionRatings',
      ['1', '2', '3'].map((id) => ({ sourceId: `r${id}`, score: 'good' as const, ...owned(id) })),
    );
    await store.remove(a.id, 'tickets', ['2']);
    // A full pass that saw only ticket 1 sweeps ticket 3.
    const since = (
      await store.dbForTests.query<{ since: string }>(
        "SELECT (now() + interval '1 second')::text AS since",
      )
    )[0]!.since;
    await new Promise((r) => setTimeout(r, 1100));
    await store.upsert(a.id, 'tickets', [ticket('1')]);
    expect(await store.sweep(a.id, 'tickets', since, 'tickets')).toBe(1);
    const left = async (table: string) =>
      (
        await store!.dbForTests.query<{ id: string }>(
          `SELECT ticket_id AS id FROM ${table} WHERE account_id = $1 ORDER BY 1`,
          [a.id],
        )
      ).map((r) => r.id);
    expect(await left('sla_outcomes')).toEqual(['1']);
    expect(await left('satisfaction_ratings')).toEqual(['1']);
  });

  it('stores every value exactly as given, whatever characters it holds', async () => {
    // Pages travel to the database in COPY's text format (src/store/copy-text.ts): each value
    // that format treats specially, or that an array literal does, comes back unchanged.
    store = await backend.open();
    const a = await store.createAccount('acme', 'records');
    const odd = [
      'tab\there',
      'line\nbreak',
      'carriage\rreturn',
      'back\\slash',
      '\\N',
      '\\',
      'quote " and \' and {braces}, comma',
      'NULL',
      ' spaced ',
      'Zürich – 東京 😀',
      'x'.repeat(200),
    ];
    const tickets = odd.map((text, i) =>
      ticket(text, {
        category: text,
        region: text,
        channel: text.slice(0, 50),
        tags: [text.toLowerCase(), 'null', '', '{a,b}', 'c"d\\e'],
        firstResponseMinutes: [0, 0.1, 1e-7, 123456.789][i % 4]!,
        knowledgeLinked: i % 2 === 0,
        reopenCount: i === 0 ? 2_147_483_647 : i,
        updatedAt: '2026-03-01T10:00:00.123Z',
      }),
    );
    await store.upsert(a.id, 'tickets', [...tickets, ticket('bare')]);
    const rows = await store.dbForTests.query<Record<string, unknown>>(
      `SELECT source_id, category, region, channel, tags, first_response_minutes, knowledge_linked,
              reopen_count, updated_at, solved_at, priority
         FROM tickets WHERE account_id = $1`,
      [a.id],
    );
    const byId = new Map(rows.map((r) => [r.source_id, r]));
    for (const t of tickets) {
      expect(byId.get(t.sourceId), JSON.stringify(t.sourceId)).toEqual({
        source_id: t.sourceId,
        category: t.category,
        region: t.region,
        channel: t.channel,
        tags: t.tags,
        first_response_minutes: t.firstResponseMinutes,
        knowledge_linked: t.knowledgeLinked,
        reopen_count: t.reopenCount,
        updated_at: new Date('2026-03-01T10:00:00.123Z'),
        solved_at: null,
        priority: null,
      });
    }
    expect(byId.get('bare')).toMatchObject({ category: null, tags: [], reopen_count: null });

    await store.upsert(a.id, 'slaPolicies', [
      {
        sourceId: 'p\t1',
        name: 'Line\none \\ two',
        kind: 'sla',
        targets: [],
        conditions: [{ field: 'tags', value: 'a\tb\\c\n"d"', list: ['x\\y', null, 1.5] }],
      },
    ]);
    const [policy] = await store.dbForTests.query<{ source_id: string; name: string }>(
      'SELECT source_id, name, conditions FROM sla_policies',
    );
    expect(policy).toEqual({
      source_id: 'p\t1',
      name: 'Line\none \\ two',
      conditions: [{ field: 'tags', value: 'a\tb\\c\n"d"', list: ['x\\y', null, 1.5] }],
    });
  });

  it('stores several pages of one kind in one transaction, and none when it fails', async () => {
    store = await backend.open();
    const a = await store.createAccount('acme', 'records');
    await store.transaction(async (tx) => {
      await tx.upsert(a.id, 'tickets', [ticket('1'), ticket('2')]);
      await tx.upsert(a.id, 'tickets', [ticket('2', { status: 'solved' }), ticket('3')]);
    });
    const count = () =>
      store!.dbForTests.query<{ n: number; solved: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'solved')::int AS solved
           FROM tickets`,
      );
    expect(await count()).toEqual([{ n: 3, solved: 1 }]);
    await expect(
      store.transaction(async (tx) => {
        await tx.upsert(a.id, 'tickets', [ticket('4'), ticket('5')]);
        throw new Error('the page after failed');
      }),
    ).rejects.toThrow('the page after failed');
    expect(await count()).toEqual([{ n: 3, solved: 1 }]);
    // The stage of the failed transaction holds nothing the next page could pick up.
    await store.upsert(a.id, 'tickets', [ticket('6')]);
    expect(await count()).toEqual([{ n: 4, solved: 1 }]);
  });

  it('writes records only for an account that exists, in one clear line, and stores nothing otherwise', async () => {
    store = await backend.open();
    const a = await store.createAccount('acme', 'records');
    const page = prepareUpsert('tickets', a.id, [ticket('1'), ticket('2')]);
    expect(await store.removeAccount('acme')).toBe(true);
    for (const insertOnly of [true, false]) {
      await expect(store.upsertPrepared(page, { insertOnly })).rejects.toThrow(
        new RegExp(
          `^account ${a.id} was removed while its records were being written; nothing was stored$`,
        ),
      );
    }
    await expect(
      store.upsert(a.id, 'agents', [{ sourceId: 'x', role: 'agent', groupIds: [], active: true }]),
    ).rejects.toThrow(/was removed while its records were being written/);
    await expect(store.upsertLatestTickets(a.id, [ticket('3')])).rejects.toThrow(
      /was removed while its records were being written/,
    );
    const rows = await store.dbForTests.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM agents) AS n',
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('checks foreign keys again for whatever a transaction writes after a page of records', async () => {
    store = await backend.open();
    const a = await store.createAccount('acme', 'records');
    for (const insertOnly of [true, false]) {
      await expect(
        store.transaction(async (tx) => {
          await tx.upsertPrepared(prepareUpsert('tickets', a.id, [ticket(`p${insertOnly}`)]), {
            insertOnly,
          });
          // A row for an account that does not exist, written by hand after the page.
          await tx.dbForTests.query(
            `INSERT INTO tickets (account_id, source_id, created_at, status) VALUES ($1, 'ghost', now(), 'open')`,
            [a.id + 1000],
          );
        }),
      ).rejects.toMatchObject({ code: '23503' });
    }
    expect((await store.countRecords(a.id)).tickets).toBe(0);
  });

  it("keeps every check on for a record table with a trigger of its own (an operator's audit, say)", async () => {
    store = await backend.open();
    const a = await store.createAccount('acme', 'records');
    await store.dbForTests.exec(`
      CREATE FUNCTION stamp_category() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.category := 'stamped'; RETURN NEW; END $$;
      CREATE TRIGGER stamp BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION stamp_category();`);
    await store.upsertPrepared(prepareUpsert('tickets', a.id, [ticket('1')]), {
      insertOnly: true,
    });
    await store.upsert(a.id, 'tickets', [ticket('2')]);
    const rows = await store.dbForTests.query<{ source_id: string; category: string }>(
      'SELECT source_id, category FROM tickets ORDER BY source_id',
    );
    expect(rows).toEqual([
      { source_id: '1', category: 'stamped' },
      { source_id: '2', category: 'stamped' },
    ]);
  });

  it('has no trigger or rule on a record table but its foreign key to accounts (records.ts skips them while it writes)', async () => {
    store = await backend.open();
    const names = recordKinds.map((k) => tables[k].table);
    const triggers = await store.dbForTests.query<{ name: string }>(
      `SELECT c.relname || '.' || t.tgname AS name
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relname = ANY($1::text[]) AND c.relnamespace = to_regnamespace(current_schema())::oid
          AND NOT (t.tgisinternal AND t.tgconstraint IN (
                SELECT oid FROM pg_constraint WHERE contype = 'f' AND confrelid = 'accounts'::regclass))`,
      [names],
    );
    expect(triggers).toEqual([]);
    const rules = await store.dbForTests.query(
      'SELECT rulename FROM pg_rules WHERE tablename = ANY($1::text[]) AND schemaname = current_schema()',
      [names],
    );
    expect(rules).toEqual([]);
    const keys = await store.dbForTests.query<{ table: string; refers: string }>(
      `SELECT conrelid::regclass::text AS table, confrelid::regclass::text AS refers
         FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY($1::text[])`,
      [names],
    );
    expect(keys.map((k) => k.refers)).toEqual(names.map(() => 'accounts'));
  });

  it('keeps accounts apart: the same source id in two accounts is two records', async () => {
    store = await backend.open();
    const a = await store.createAccount('a', 'records');
    const b = await store.createAccount('b', 'records');
    await store.upsert(a.id, 'tickets', [ticket('1')]);
    await store.upsert(b.id, 'tickets', [ticket('1', { status: 'closed' })]);
    expect((await store.countRecords(a.id)).tickets).toBe(1);
    expect((await store.countRecords(b.id)).tickets).toBe(1);
    await store.dbForTests.query('DELETE FROM accounts WHERE id = $1', [a.id]);
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
    const [row] = await store.dbForTests.query<{ targets: unknown; conditions: unknown }>(
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
    const db = sameDatabase[backend.name]();
    try {
      const first = await db.open();
      const applied = await appliedMigrations(first);
      const a = await first.createAccount('acme', 'records');
      await first.upsert(a.id, 'tickets', [ticket('1', { status: 'solved' })]);
      await first.close();
      expect(applied.map((m) => m.version)).toEqual(migrationFiles);

      const second = await db.open();
      try {
        // Nothing ran again (same rows, same times), nothing is left to run, the data is kept.
        expect(await appliedMigrations(second)).toEqual(applied);
        expect(await migrate(second.dbForTests)).toEqual([]);
        expect(await second.findAccount('acme')).toMatchObject({ id: a.id, connector: 'records' });
        const rows = await second.dbForTests.query<{ source_id: string; status: string }>(
          'SELECT source_id, status FROM tickets WHERE account_id = $1',
          [a.id],
        );
        expect(rows).toEqual([{ source_id: '1', status: 'solved' }]);
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });
});

describe.skipIf(!backends.some((b) => b.name === 'postgres'))(
  'store on PostgreSQL: an account removed by another command while its records are written',
  () => {
    it('waits for the page, then removes its records with the account: none is left behind', async () => {
      const db = sameDatabase.postgres();
      const writer = await db.open();
      const other = await db.open();
      try {
        for (const insertOnly of [true, false]) {
          const a = await writer.createAccount(`acme-${insertOnly}`, 'records');
          let removal: Promise<boolean> | undefined;
          let removed = false;
          await writer.transaction(async (tx) => {
            await tx.upsertPrepared(prepareUpsert('tickets', a.id, [ticket('1'), ticket('2')]), {
              insertOnly,
            });
            removal = other.removeAccount(a.name).then((r) => (removed = r));
            await sleep(300);
            // The account's row is held until this transaction ends.
            expect(removed).toBe(false);
          });
          expect(await removal).toBe(true);
          const left = await other.dbForTests.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM tickets WHERE account_id = $1',
            [a.id],
          );
          expect(left).toEqual([{ n: 0 }]);
        }
      } finally {
        await writer.close();
        await other.close();
        await db.drop();
      }
    });
  },
);

describe.skipIf(!backends.some((b) => b.name === 'postgres'))(
  'store on PostgreSQL: the metrics run without JIT compilation',
  () => {
    it('turns JIT off on every connection of the pool, whatever the server sets', async () => {
      // The server's default is jit = on (PostgreSQL 12+); compiling a metric's query costs more
      // than the query itself (BENCHMARKS.md, snapshot on 1,000,000 tickets).
      const db = sameDatabase.postgres();
      const store = await db.open();
      try {
        // Held side by side, so the pool lends every one of its connections.
        const seen = await Promise.all(
          Array.from({ length: 6 }, () =>
            store.dbForTests.query<{ jit: string; pid: number }>(
              'SELECT current_setting($1) AS jit, pg_backend_pid() AS pid, pg_sleep(0.2)',
              ['jit'],
            ),
          ),
        );
        expect(new Set(seen.map((r) => r[0]!.pid)).size).toBeGreaterThan(1);
        expect(seen.map((r) => r[0]!.jit)).toEqual(seen.map(() => 'off'));
      } finally {
        await store.close();
        await db.drop();
      }
    });
  },
);

describe.skipIf(!backends.some((b) => b.name === 'postgres'))(
  'store on PostgreSQL whose connections the server ends (a restart, a terminate)',
  () => {
    /** A connection of the test's own, as the administrator. */
    const asAdmin = async <T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> => {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      try {
        return await fn(admin);
      } finally {
        await admin.end();
      }
    };
    const terminate = (pid: number) =>
      asAdmin(async (admin) => {
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        // The server has ended it once it is gone from pg_stat_activity.
        for (let i = 0; i < 50; i++) {
          const left = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
          if (!left.rowCount) return;
          await sleep(20);
        }
      });
    /** A store on a schema of its own, closed and dropped after `fn`. */
    const withStore = async (fn: (store: Store) => Promise<void>) => {
      const db = sameDatabase.postgres();
      const store = await db.open();
      try {
        await fn(store);
      } finally {
        await store.close();
        await db.drop();
      }
    };
    /** Runs `fn`, failing it when an error escapes to the process meanwhile (it would end a server). */
    const noUncaught = async (fn: () => Promise<void>) => {
      const escaped: unknown[] = [];
      const catcher = (err: unknown) => escaped.push(err);
      process.on('uncaughtException', catcher);
      try {
        await fn();
        await sleep(100);
      } finally {
        process.off('uncaughtException', catcher);
      }
      expect(escaped.map((e) => (e as Error).message)).toEqual([]);
    };
    const backendPid = async (db: { query<T>(sql: string): Promise<T[]> }) =>
      (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;

    it('carries on after an idle connection is ended: the next statement opens another', () =>
      withStore(async (store) => {
        const a = await store.createAccount('acme', 'records');
        await noUncaught(async () => {
          await terminate(await backendPid(store.dbForTests));
          await sleep(100);
        });
        await store.upsert(a.id, 'tickets', [ticket('1')]);
        expect((await store.countRecords(a.id)).tickets).toBe(1);
      }));

    it('says a statement on its own was cut off unconfirmed, and takes a protocol error as it is', () =>
      withStore(async (store) => {
        await noUncaught(async () => {
          const tag = `sleep_${process.pid}_${Date.now()}`;
          // Its error is taken at once (a rejection nobody handles yet would be reported).
          const sleeping = store.dbForTests.query(`SELECT pg_sleep(5) AS ${tag}`).then(
            () => 'finished',
            (e: unknown) => e,
          );
          const pid = await asAdmin(async (admin) => {
            for (let i = 0; i < 100; i++) {
              const r = await admin.query<{ pid: number }>(
                'SELECT pid FROM pg_stat_activity WHERE query LIKE $1',
                [`%AS ${tag}`],
              );
              if (r.rows[0]) return r.rows[0].pid;
              await sleep(20);
            }
            throw new Error('the sleeping statement never showed in pg_stat_activity');
          });
          await terminate(pid);
          expect(await sleeping).toMatchObject({
            code: 'E_STORE_UNAVAILABLE',
            message: expect.stringMatching(
              /did not confirm this step, which may or may not be stored/,
            ),
          });
        });
        // A wrong number of parameters is the statement's fault (SQLSTATE 08P01), not a lost
        // connection: PostgreSQL's own error, and the connection goes on.
        const err = await store.dbForTests
          .query('SELECT $1::int AS a, $2::int AS b', [1])
          .catch((e: unknown) => e);
        expect(err).not.toMatchObject({ code: 'E_STORE_UNAVAILABLE' });
        expect((err as Error).message).toMatch(/parameters/);
        expect(await store.dbForTests.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      }));

    it('fails the transaction whose connection is ended in one clear line, stores none of it, and carries on', () =>
      withStore(async (store) => {
        const a = await store.createAccount('acme', 'records');
        await noUncaught(() =>
          expect(
            store.transaction(async (tx) => {
              await tx.upsert(a.id, 'tickets', [ticket('1')]);
              await terminate(await backendPid(tx.dbForTests));
              await sleep(100);
              await tx.upsert(a.id, 'tickets', [ticket('2')]);
            }),
          ).rejects.toMatchObject({
            code: 'E_STORE_UNAVAILABLE',
            message: expect.stringMatching(
              /^lost the connection to PostgreSQL \(.+\); nothing of this step was stored: run it again$/,
            ),
          }),
        );
        expect((await store.countRecords(a.id)).tickets).toBe(0);
        await store.upsert(a.id, 'tickets', [ticket('3')]);
        expect((await store.countRecords(a.id)).tickets).toBe(1);
      }));
  },
);

/**
 * A role (not a superuser) and a database of the test's own, set up by `grants` as the admin,
 * and a store opened as that role; both are dropped afterwards.
 */
async function asOwnRole(
  prefix: string,
  grants: (admin: pg.Client, name: string) => Promise<void>,
  fn: (store: Store) => Promise<void>,
): Promise<void> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${name} LOGIN NOSUPERUSER`);
    await grants(admin, name);
    const url = new URL(PG_URL);
    url.username = name;
    url.pathname = `/${name}`;
    const store = await Store.open({ url: url.toString(), schema: 'app' });
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.query(`DROP ROLE IF EXISTS ${name}`).catch(() => undefined);
    await admin.end();
  }
}

describe.skipIf(!backends.some((b) => b.name === 'postgres'))(
  'store on PostgreSQL as a role that is not a superuser',
  () => {
    it('stores a first sync and an upsert with every row checked, and refuses a removed account', async () => {
      // Such a role may not turn the foreign-key checks off: each row is checked, as before.
      await asOwnRole(
        'plain',
        (admin, name) => admin.query(`CREATE DATABASE ${name} OWNER ${name}`).then(() => undefined),
        async (store) => {
          const a = await store.createAccount('acme', 'records');
          await store.upsertPrepared(prepareUpsert('tickets', a.id, [ticket('1'), ticket('2')]), {
            insertOnly: true,
          });
          await store.upsert(a.id, 'tickets', [ticket('2', { status: 'solved' }), ticket('3')]);
          expect((await store.countRecords(a.id)).tickets).toBe(3);
          const page = prepareUpsert('tickets', a.id, [ticket('4')]);
          await store.removeAccount('acme');
          await expect(store.upsertPrepared(page, { insertOnly: true })).rejects.toThrow(
            /was removed while its records were being written/,
          );
        },
      );
    });
  },
);

describe.skipIf(!backends.some((b) => b.name === 'postgres'))(
  'store on a PostgreSQL that refuses temporary tables',
  () => {
    it('says which grant is missing, and stores nothing', async () => {
      // Pages go through a temporary staging table; a hardened server may revoke TEMPORARY from
      // PUBLIC. A database and a role of the test's own, so nothing else loses the privilege.
      await asOwnRole(
        'notemp',
        async (admin, name) => {
          await admin.query(`CREATE DATABASE ${name}`);
          await admin.query(`REVOKE TEMPORARY ON DATABASE ${name} FROM PUBLIC`);
          await admin.query(`GRANT CREATE ON DATABASE ${name} TO ${name}`);
        },
        async (store) => {
          const a = await store.createAccount('acme', 'records');
          await expect(store.upsert(a.id, 'tickets', [ticket('1')])).rejects.toThrow(
            /may not create temporary tables.*GRANT TEMPORARY ON DATABASE/,
          );
          expect((await store.countRecords(a.id)).tickets).toBe(0);
        },
      );
    });
  },
);
