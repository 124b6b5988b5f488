import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { zendesk } from '../connectors/zendesk/index.js';
import { runSync } from '../connectors/shared/run-sync.js';
import { Store } from '../src/store/store.js';
import { storeSyncSink } from '../src/store/sync-sink.js';
import { peakMemory } from './peak-memory.js';

/**
 * One process per size (`tsx bench/zendesk-sync-memory-process.ts N PG_URL`): the first sync of
 * N tickets (the tickets stream, metric sets included) from the streaming export server into
 * PostgreSQL, sampling this process's RSS and heap every 25 ms. Prints one JSON line.
 */
const tickets = Number(process.argv[2]);
const pgUrl = process.argv[3]!;
const script = fileURLToPath(new URL('./zendesk-stream-server-process.ts', import.meta.url));
const child = spawn(process.execPath, [...process.execArgv, script, String(tickets)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const line = await new Promise<string>((resolve) =>
  createInterface({ input: child.stdout! }).once('line', resolve),
);
const { url } = JSON.parse(line) as { url: string };
const schema = `zmem_${Date.now().toString(36)}`;
const store = await Store.open({ url: pgUrl, schema });
try {
  const account = await store.createAccount('bench', 'zendesk', {});
  const config = zendesk.configSchema.parse({
    subdomain: 'bench',
    baseUrl: url,
    incrementalPerMinute: 100_000,
  });
  const client = zendesk.createClient(
    config as never,
    { email: 'bench@example.com', token: 't' } as never,
  );
  const memory = peakMemory();
  const t0 = performance.now();
  const [outcome] = await runSync({
    sink: storeSyncSink(store, account.id),
    connector: zendesk as never,
    config,
    client,
    streams: ['tickets'],
  });
  const seconds = (performance.now() - t0) / 1000;
  const peak = memory.stop();
  if (!outcome?.ok) throw new Error(`sync failed: ${outcome?.error?.message}`);
  process.stdout.write(
    `${JSON.stringify({
      tickets,
      records: outcome.records,
      quarantined: outcome.quarantined,
      pages: outcome.pages,
      seconds,
      ...peak,
    })}\n`,
  );
} finally {
  child.kill('SIGTERM');
  await store.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
  await store.close();
}
