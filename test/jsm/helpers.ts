import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { JsmConfig } from '../../connectors/jsm/config.js';
import { jsm } from '../../connectors/jsm/index.js';
import { runSync, type RunSyncOptions } from '../../connectors/shared/run-sync.js';
import type { Store } from '../../src/store/store.js';
import { type Account } from '../../src/store/store.js';
import { storeSyncSink } from '../../src/store/sync-sink.js';
import { memoryStore } from '../helpers/store-template.js';

export const BASE = 'https://acme.atlassian.net';
export const NOW = new Date('2026-03-01T12:00:00Z');

/** Sleep that records the waits and returns at once, so tests never wait for real. */
export function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** Runs the JSM streams into an account of the store. */
export function syncJsm(
  store: Store,
  account: Account,
  o: {
    config?: Record<string, unknown>;
    streams?: string[];
    sleep?: (ms: number) => Promise<void>;
    timeoutMs?: number;
    now?: Date;
  } & Pick<RunSyncOptions<unknown>, 'historyFrom' | 'signal' | 'onProgress'> = {},
) {
  const config = JsmConfig.parse({ site: 'acme', ...o.config });
  return runSync({
    sink: storeSyncSink(store, account.id),
    connector: jsm as never,
    config,
    client: jsm.createClient(
      config,
      { email: 'admin@acme.example', token: 'token-123' },
      {
        sleep: o.sleep ?? (async () => undefined),
        backoffMs: 1,
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      },
    ),
    now: () => o.now ?? NOW,
    ...(o.streams ? { streams: o.streams } : {}),
    ...(o.historyFrom !== undefined ? { historyFrom: o.historyFrom } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
}

export async function ids(store: Store, table: string, accountId: number): Promise<string[]> {
  const rows = await store.dbForTests.query<{ source_id: string }>(
    `SELECT source_id FROM ${table} WHERE account_id = $1 ORDER BY source_id`,
    [accountId],
  );
  return rows.map((r) => r.source_id);
}

export const sorted = (xs: unknown[]) => xs.map(String).sort();

/**
 * An embedded store for a test file, a fresh JSM account in it for each test, and nock for the
 * Jira API only (no other network; interceptors cleared after each test).
 */
export function useStore(prefix: string): { store: Store; account: Account } {
  let n = 0;
  const ctx = { store: undefined as unknown as Store, account: undefined as unknown as Account };
  beforeAll(async () => {
    ctx.store = await memoryStore();
    nock.disableNetConnect();
  });
  afterAll(async () => {
    nock.enableNetConnect();
    await ctx.store.close();
  });
  beforeEach(async () => {
    ctx.account = await ctx.store.createAccount(`${prefix}-${++n}`, 'jsm');
  });
  afterEach(() => nock.cleanAll());
  return ctx;
}
