import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StreamOutcome } from '../../connectors/shared/run-sync.js';
import { runSync } from '../../connectors/shared/run-sync.js';
import { zendesk } from '../../connectors/zendesk/index.js';
import { ZendeskConfig, type ZendeskSecret } from '../../connectors/zendesk/config.js';
import type { Account, Store } from '../../src/store/store.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/zendesk');
export const fixture = <T = Record<string, unknown>>(name: string): T =>
  JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;

export const secret: ZendeskSecret = { email: 'admin@acme.example', token: 'tok-123' };

/** Sleep that records the waits and returns at once, so tests never wait for real. */
export function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** Runs the Zendesk streams against a base URL into an account of the store. */
export async function syncZendesk(
  store: Store,
  account: Account,
  o: {
    baseUrl: string;
    streams?: string[];
    config?: Record<string, unknown>;
    sleep?: (ms: number) => Promise<void>;
    timeoutMs?: number;
    signal?: AbortSignal;
    onProgress?: Parameters<typeof runSync>[0]['onProgress'];
  },
): Promise<StreamOutcome[]> {
  const config = ZendeskConfig.parse({
    subdomain: 'acme',
    baseUrl: o.baseUrl,
    incrementalPerMinute: 100_000,
    since: '2000-01-01',
    ...o.config,
  });
  const client = zendesk.createClient(config, secret, {
    sleep: o.sleep ?? (async () => undefined),
    backoffMs: 1,
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  });
  return runSync({
    store,
    account,
    connector: zendesk as never,
    config,
    client,
    ...(o.streams ? { streams: o.streams } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
}

export async function ids(store: Store, table: string, accountId: number): Promise<string[]> {
  const rows = await store.db.query<{ source_id: string }>(
    `SELECT source_id FROM ${table} WHERE account_id = $1 ORDER BY source_id`,
    [accountId],
  );
  return rows.map((r) => r.source_id);
}
