import { runSync, type RunSyncOptions } from '../../connectors/shared/run-sync.js';
import { freshdesk } from '../../connectors/freshdesk/index.js';
import { FreshdeskConfig } from '../../connectors/freshdesk/config.js';
import type { Account, Store } from '../../src/store/store.js';
import { storeSyncSink } from '../../src/store/sync-sink.js';

export const BASE = 'https://acme.freshdesk.com';
export const NOW = new Date('2026-03-01T12:00:00Z');

/** Sleep that records the waits and returns at once, so tests never wait for real. */
export function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** Runs the Freshdesk streams into an account of the store. */
export function syncFreshdesk(
  store: Store,
  account: Account,
  o: {
    config?: Record<string, unknown>;
    streams?: string[];
    sleep?: (ms: number) => Promise<void>;
    timeoutMs?: number;
  } & Pick<RunSyncOptions<unknown>, 'historyFrom' | 'signal' | 'onProgress'> = {},
) {
  const config = FreshdeskConfig.parse({ domain: 'acme', ...o.config });
  return runSync({
    sink: storeSyncSink(store, account.id),
    connector: freshdesk as never,
    config,
    client: freshdesk.createClient(
      config,
      { apiKey: 'key-123' },
      {
        sleep: o.sleep ?? (async () => undefined),
        backoffMs: 1,
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      },
    ),
    now: () => NOW,
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
