import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { StreamOutcome } from '../../connectors/shared/run-sync.js';
import { runSync } from '../../connectors/shared/run-sync.js';
import { zendesk } from '../../connectors/zendesk/index.js';
import { ZendeskConfig, type ZendeskSecret } from '../../connectors/zendesk/config.js';
import type { Account, Store } from '../../src/store/store.js';
import type { ZendeskSimulator } from '../../src/simulator/index.js';
import { storeSyncSink } from '../../src/store/sync-sink.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/zendesk');

/** The real API samples live in the shared folder beside the repository (as in CI). */
export const hasFixtures = existsSync(FIXTURES);
if (!hasFixtures) {
  if (process.env.CI)
    throw new Error(
      `the shared zendesk fixtures are required under CI=true: ${FIXTURES} is missing`,
    );
  console.warn(`\n!!! ${FIXTURES} is missing: tests on the real zendesk samples are SKIPPED !!!\n`);
}
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
    /** The history a snapshot would need (null: all of it). */
    historyFrom?: Date | null;
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
    sink: storeSyncSink(store, account.id),
    connector: zendesk as never,
    config,
    client,
    ...(o.streams ? { streams: o.streams } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.historyFrom !== undefined ? { historyFrom: o.historyFrom } : {}),
  });
}

export async function ids(store: Store, table: string, accountId: number): Promise<string[]> {
  const rows = await store.dbForTests.query<{ source_id: string }>(
    `SELECT source_id FROM ${table} WHERE account_id = $1 ORDER BY source_id`,
    [accountId],
  );
  return rows.map((r) => r.source_id);
}

export const NOW = new Date('2026-03-01T12:00:00Z');
export const CREDENTIALS = { email: secret.email!, token: secret.token! };
export const sorted = (xs: unknown[]) => xs.map(String).sort();

/** What the connector must store for the simulator's account, by table (source ids, sorted). */
export function expectedRecords(sim: ZendeskSimulator): Record<string, string[]> {
  const d = sim.data;
  return {
    tickets: sorted(d.tickets.map((t) => t.id)),
    organisations: sorted(d.organizations.map((o) => o.id)),
    groups: sorted(d.groups.map((g) => g.id)),
    agents: sorted(d.users.map((u) => u.id)),
    automations: sorted([
      ...d.macros.map((r) => `macro-${r.id}`),
      ...d.triggers.map((r) => `trigger-${r.id}`),
      ...d.automations.map((r) => `automation-${r.id}`),
    ]),
    kb_articles: sorted(d.articles.map((a) => a.id)),
    sla_policies: sorted([
      ...d.slaPolicies.map((p) => p.id),
      ...d.groupSlaPolicies.map((p) => `group-${p.id}`),
    ]),
    sla_outcomes: sorted(
      d.metricEvents
        .filter((e) => e.type === 'apply_sla')
        .map((e) => `${e.ticket_id}:first_reply_time:1`),
    ),
    satisfaction_ratings: sorted(d.satisfactionRatings.map((r) => r.id)),
  };
}

export async function stored(store: Store, accountId: number, tables: string[]) {
  const out: Record<string, string[]> = {};
  for (const t of tables) out[t] = await ids(store, t, accountId);
  return out;
}
