import { runSync, type RunSyncOptions } from '../../connectors/shared/run-sync.js';
import { freshdesk } from '../../connectors/freshdesk/index.js';
import { FreshdeskConfig } from '../../connectors/freshdesk/config.js';
import type { Store } from '../../src/store/store.js';
import { type Account } from '../../src/store/store.js';
import { storeSyncSink } from '../../src/store/sync-sink.js';
import { useConnectorStore } from '../helpers/helpdesk-fake.js';

export { fakeSleep, ids, sorted } from '../helpers/helpdesk-fake.js';

export const BASE = 'https://acme.freshdesk.com';
export const NOW = new Date('2026-03-01T12:00:00Z');

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

/**
 * An embedded store for a test file, a fresh Freshdesk account in it for each test, and nock for
 * the API only (see useConnectorStore).
 */
export const useStore = (prefix: string) => useConnectorStore(prefix, 'freshdesk');
