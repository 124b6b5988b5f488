import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { prng } from '../../src/demo/generate-org.js';
import type { Account, Store } from '../../src/store/store.js';
import { memoryStore } from './store-template.js';

/**
 * What the nock fakes of the helpdesk APIs (test/freshdesk/fake.ts, test/jsm/fake.ts) and their
 * tests share: seeded faults, a sleep that never waits, and a store with a fresh account per test.
 */

export type FaultKind = '429' | '5xx' | 'reset' | 'truncate' | 'slow';
const KINDS: readonly FaultKind[] = ['429', '5xx', 'reset', 'truncate', 'slow'];

/** A nock reply: status, body and headers. */
export type Reply = [number, string, Record<string, string>];

/**
 * Replaces a share (`rate`) of the answers with faults drawn by a seeded generator, each kind in
 * turn so that a few faults already show every kind: 429 with Retry-After 2 (plus the vendor's
 * own headers), a 503 web page, a reset connection, a body cut after 40 characters, and a slow
 * answer (`slowMs`, then the real one). `counts` says how many of each were served.
 */
export function faultInjector(o: {
  rate?: number;
  seed?: number;
  slowMs?: number;
  headers429?: Record<string, string>;
}) {
  const counts: Record<FaultKind, number> = { '429': 0, '5xx': 0, reset: 0, truncate: 0, slow: 0 };
  const rnd = prng(o.seed ?? 1);
  let served = 0;
  return {
    counts,
    /**
     * The fault that replaces this answer, or undefined when the real answer goes out (after the
     * wait of a slow one). `answer` gives the real status and body, for a truncated copy.
     */
    async next(answer: () => [number, unknown, ...unknown[]]): Promise<Reply | undefined> {
      if (!o.rate || rnd() >= o.rate) return undefined;
      const kind = KINDS[served++ % KINDS.length]!;
      counts[kind]++;
      if (kind === '429') return [429, '', { 'Retry-After': '2', ...o.headers429 }];
      if (kind === '5xx')
        return [503, '<html>Service Unavailable</html>', { 'Content-Type': 'text/html' }];
      if (kind === 'reset')
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      if (kind === 'slow') {
        await new Promise((r) => setTimeout(r, o.slowMs ?? 300));
        return undefined;
      }
      const [status, body] = answer();
      return [status, JSON.stringify(body).slice(0, 40), { 'Content-Type': 'application/json' }];
    },
  };
}

/** Sleep that records the waits and returns at once, so tests never wait for real. */
export function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** The source ids of an account's rows in a record table, sorted. */
export async function ids(store: Store, table: string, accountId: number): Promise<string[]> {
  const rows = await store.dbForTests.query<{ source_id: string }>(
    `SELECT source_id FROM ${table} WHERE account_id = $1 ORDER BY source_id`,
    [accountId],
  );
  return rows.map((r) => r.source_id);
}

export const sorted = (xs: unknown[]) => xs.map(String).sort();

/**
 * An embedded store for a test file, a fresh account of `connector` in it for each test, and nock
 * for the helpdesk API only (no other network; interceptors cleared after each test).
 */
export function useConnectorStore(
  prefix: string,
  connector: string,
): { store: Store; account: Account; fresh(): Promise<Account> } {
  let n = 0;
  const ctx = {
    store: undefined as unknown as Store,
    account: undefined as unknown as Account,
    fresh: async () => (ctx.account = await ctx.store.createAccount(`${prefix}-${++n}`, connector)),
  };
  beforeAll(async () => {
    ctx.store = await memoryStore();
    nock.disableNetConnect();
  });
  afterAll(async () => {
    nock.enableNetConnect();
    await ctx.store.close();
  });
  beforeEach(() => ctx.fresh().then(() => undefined));
  afterEach(() => nock.cleanAll());
  return ctx;
}

/** What the shared sync scenarios need to know of one connector's sync against its fake. */
export interface SyncUnderTest<A> {
  connector: string;
  /** Starts the fake (with faults, or clean); its fault counts and the position of each query. */
  fake(faults?: { faults: number; seed: number; slowMs: number }): {
    faults: Record<FaultKind, number>;
    positions(): unknown[];
  };
  sync(
    store: Store,
    account: A,
    o: {
      streams?: string[];
      sleep?: (ms: number) => Promise<void>;
      timeoutMs?: number;
      signal?: AbortSignal;
      onProgress?: (p: { pages: number }) => void;
    },
  ): Promise<{ ok: boolean; pages?: number; error?: { message: string } }[]>;
  /** Every record table's source ids as stored, and as the source holds them. */
  stored(store: Store, accountId: number): Promise<unknown>;
  expected(): { tickets: string[] } & Record<string, unknown>;
}

/**
 * The two scenarios every connector's sync must pass against its fake: faults of every kind give
 * exactly the source's records, and a sync killed after five pages resumes from the last stored
 * page, losing and doubling nothing.
 */
export function syncScenarios<A extends Account>(store: () => Store, s: SyncUnderTest<A>): void {
  it('stores exactly the source records despite 429s, 5xx, resets, truncated and slow answers', async () => {
    // A slow answer outlasts the client's timeout: it is abandoned and read again.
    const fake = s.fake({ faults: 0.15, seed: 5, slowMs: 1600 });
    const a = (await store().createAccount('faulty', s.connector)) as A;
    const { sleep, waits } = fakeSleep();
    const outcomes = await s.sync(store(), a, { sleep, timeoutMs: 800 });
    expect(outcomes.filter((o) => !o.ok).map((o) => o.error?.message)).toEqual([]);
    for (const kind of KINDS) expect(fake.faults[kind], kind).toBeGreaterThan(0);
    expect(waits).toContain(2000);
    expect(await s.stored(store(), a.id)).toEqual(s.expected());
    const quarantined = await store().dbForTests.query(
      'SELECT 1 FROM quarantine WHERE account_id = $1',
      [a.id],
    );
    expect(quarantined).toHaveLength(0);
  });

  it('resumes a sync killed half-way from the last stored page, losing and doubling nothing', async () => {
    const fake = s.fake();
    const a = (await store().createAccount('killed', s.connector)) as A;
    const kill = new AbortController();
    const first = await s.sync(store(), a, {
      streams: ['tickets'],
      signal: kill.signal,
      onProgress: (p) => {
        if (p.pages === 5) kill.abort();
      },
    });
    expect(first[0]).toMatchObject({ ok: false, pages: 5 });
    const before = fake.positions().length;
    expect((await ids(store(), 'tickets', a.id)).length).toBeGreaterThan(300);
    const second = await s.sync(store(), a, { streams: ['tickets'] });
    expect(second[0]).toMatchObject({ ok: true });
    // The resumed run starts at the position the fifth page stored, not from the beginning.
    expect(fake.positions()[before]).not.toEqual(fake.positions()[0]);
    expect(await ids(store(), 'tickets', a.id)).toEqual(s.expected().tickets);
  });
}
