import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConnector } from '../connectors/index.js';
import { runSync, type StreamOutcome } from '../connectors/shared/run-sync.js';
import { syncAccount } from '../src/jobs/sync-account.js';
import { startZendeskSimulator, type ZendeskSimulator } from '../src/simulator/index.js';
import { SecretBox } from '../src/store/secrets.js';
import { Store, type Account } from '../src/store/store.js';
import { storeSyncSink } from '../src/store/sync-sink.js';
import { backends, PG_URL } from './helpers/backends.js';
import { startGate } from './helpers/gate.js';
import { memoryStore } from './helpers/store-template.js';

const SECRET = 'sync-stream-lock-secret-'.padEnd(40, 'x');
const box = new SecretBox(SECRET);
const postgres = backends.some((b) => b.name === 'postgres');
const schemaName = (tag: string) => `t_${process.pid}_${Date.now().toString(36)}_${tag}`;

describe.skipIf(!postgres)('two syncs of one account on PostgreSQL', () => {
  let sim: ZendeskSimulator;
  let gate: Awaited<ReturnType<typeof startGate>>;
  const schema = schemaName('streamlock');
  /** Two stores on one schema: what two processes sharing DATABASE_URL see. */
  let a: Store;
  let b: Store;

  beforeAll(async () => {
    sim = await startZendeskSimulator({
      profile: 'managed',
      tickets: 400,
      exportPageSize: 100,
      seed: 5,
    });
    gate = await startGate(sim.url);
    a = await Store.open({ url: PG_URL, schema });
    b = await Store.open({ url: PG_URL, schema });
  });
  afterAll(async () => {
    gate?.open();
    await a?.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await a?.close();
    await b?.close();
    await gate?.close();
    await sim?.close();
  });

  /** The account `name`, connected to the simulator through the gate, as each store reads it. */
  async function account(name: string): Promise<[Account, Account]> {
    const config = { subdomain: 'acme', baseUrl: gate.url, incrementalPerMinute: 100_000 };
    await a.saveConnectedAccount(
      name,
      'zendesk',
      { ...config, since: '2000-01-01' },
      box.seal({ email: 'admin@demo.example', token: 'simulator-token' }),
    );
    return [await a.getAccount(name), await b.getAccount(name)];
  }

  const sync = (store: Store, acc: Account, onBusy?: (s: string) => void) =>
    syncAccount(store, acc, {
      box,
      // One stream after the other, so which stream the second sync meets first is known.
      concurrency: 1,
      clientOptions: { backoffMs: 1 },
      ...(onBusy ? { onBusy } : {}),
    });

  /** Requests the helpdesk answered while `f` ran. */
  async function counted<T>(f: () => Promise<T>): Promise<[number, T]> {
    const before = sim.stats.requests;
    const out = await f();
    return [sim.stats.requests - before, out];
  }

  const allOk = (outcomes: StreamOutcome[]) =>
    expect(outcomes.filter((o) => !o.ok).map((o) => `${o.stream}: ${o.error?.message}`)).toEqual(
      [],
    );

  /**
   * Runs `first` with the helpdesk held, then `second` once `first` is mid-run, and lets the
   * helpdesk answer when `ready()` says the second has reached the point the test wants.
   */
  async function overlapping<T>(
    first: () => Promise<T>,
    second: () => Promise<T>,
    ready: () => boolean,
  ): Promise<[number, T, T]> {
    return counted(async () => {
      const held = gate.hold();
      const one = first();
      await held;
      const two = second();
      while (!ready()) await new Promise((r) => setTimeout(r, 20));
      gate.open();
      return Promise.all([one, two]);
    }).then(([n, [x, y]]) => [n, x, y]);
  }

  let alone: { full: number; again: number };

  it('fetches each stream once when two syncs overlap: the second waits, then fetches what changed', async () => {
    // What one sync costs alone, then a second right after it.
    const [soloA] = await account('solo');
    const [full, first] = await counted(() => sync(a, soloA));
    allOk(first);
    const [again] = await counted(() => sync(a, soloA));
    alone = { full, again };
    expect(again).toBeLessThan(full);

    const [accA, accB] = await account('acme');
    const busy: string[] = [];
    const [total, one, two] = await overlapping(
      () => sync(a, accA),
      () => sync(b, accB, (s) => busy.push(s)),
      () => busy.length > 0,
    );
    allOk(one);
    allOk(two);
    // Every stream the second sync reached while the first held it waited, and says so.
    expect(busy[0]).toBe(one[0]!.stream);
    const waited = two.filter((o) =>
      o.warnings?.some((w) => /another sync of this stream/.test(w)),
    );
    expect(waited.map((o) => o.stream)).toEqual(busy);
    expect(waited[0]!.warnings).toContainEqual(
      expect.stringMatching(
        /^another sync of this stream was running: waited \d+ s for it to finish, then fetched only what changed since$/,
      ),
    );
    // Together they cost what a sync and the next one cost one after the other.
    expect(total).toBe(alone.full + alone.again);
    expect(await a.countRecordsOf(accA.id, 'tickets')).toBe(sim.data.tickets.length);
  }, 60_000);

  it('would fetch everything twice without the stream lock (what the count above rules out)', async () => {
    const [accA, accB] = await account('unlocked');
    const connector = (await loadConnector('zendesk'))!;
    const streams = connector.streams.length;
    /** The sync without the lock: every stream at once, each reading its real cursor. */
    const unlocked = async (store: Store, acc: Account) => {
      const config = connector.configSchema.parse(acc.config);
      const secret = connector.secretSchema.parse(box.open((await store.accountSecret(acc.id))!));
      return runSync({
        sink: { ...storeSyncSink(store, acc.id), holdStream: async () => async () => undefined },
        connector,
        config,
        client: connector.createClient(config, secret, { backoffMs: 1 }),
        concurrency: streams,
      });
    };
    let started = false;
    const before = gate.requests;
    const [total] = await overlapping(
      () => unlocked(a, accA),
      () => {
        started = true;
        return unlocked(b, accB);
      },
      // Every stream of both syncs has read its cursor (none yet) and waits on its first request:
      // without the lock nothing stops the second from fetching what the first is fetching.
      () => started && gate.requests - before >= 2 * streams,
    );
    expect(total).toBeGreaterThan(alone.full + alone.again);
    expect(total).toBeGreaterThan(1.5 * alone.full);
  }, 60_000);

  it('holds a lock per key and schema: another holder waits, other keys and schemas do not', async () => {
    const otherSchema = schemaName('other');
    const other = await Store.open({ url: PG_URL, schema: otherSchema });
    try {
      const release = await a.holdSyncStream(1, 'zendesk:tickets');
      let busy = 0;
      const waiting = b.holdSyncStream(1, 'zendesk:tickets', { onBusy: () => busy++ });
      // Another stream, another account, the same key in another schema: free.
      await (
        await b.holdSyncStream(1, 'zendesk:groups')
      )();
      await (
        await b.holdSyncStream(2, 'zendesk:tickets')
      )();
      await (
        await other.holdSyncStream(1, 'zendesk:tickets')
      )();
      await new Promise((r) => setTimeout(r, 600));
      expect(busy).toBe(1);
      await release();
      await (
        await waiting
      )();
      // A wait can be given up.
      const again = await a.holdSyncStream(1, 'zendesk:tickets');
      const stop = new AbortController();
      const gaveUp = b.holdSyncStream(1, 'zendesk:tickets', { signal: stop.signal });
      stop.abort();
      await expect(gaveUp).rejects.toThrow();
      await again();
    } finally {
      await other.dbForTests.exec(`DROP SCHEMA ${otherSchema} CASCADE`).catch(() => undefined);
      await other.close();
    }
  });
});

describe('stream locks on the embedded store (one process)', () => {
  it('makes a second run of a stream wait for the first', async () => {
    const store = await memoryStore();
    try {
      const order: string[] = [];
      const release = await store.holdSyncStream(1, 'zendesk:tickets');
      let busy = 0;
      const second = store
        .holdSyncStream(1, 'zendesk:tickets', { onBusy: () => busy++ })
        .then((r) => (order.push('second'), r));
      await (
        await store.holdSyncStream(1, 'zendesk:groups')
      )();
      await new Promise((r) => setTimeout(r, 50));
      order.push('first done');
      await release();
      await (
        await second
      )();
      expect(order).toEqual(['first done', 'second']);
      expect(busy).toBe(1);
    } finally {
      await store.close();
    }
  });
});
