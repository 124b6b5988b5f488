import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { zendesk } from '../connectors/zendesk/index.js';
import { connectAccount } from '../src/jobs/connect-account.js';
import { syncAccount } from '../src/jobs/sync-account.js';
import { SecretBox } from '../src/store/secrets.js';
import { Store } from '../src/store/store.js';
import { peakMemory } from './peak-memory.js';

export interface SyncBench {
  tickets: number;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  peakHeapMb: number;
  peakRssMb: number;
}

const script = fileURLToPath(new URL('./simulator-process.ts', import.meta.url));

/**
 * A full first sync of a simulated Zendesk account (simulator in another process) into PostgreSQL
 * or in-memory PGlite, sampling this process's heap and RSS: the connector's own memory.
 */
export async function benchZendeskSync(tickets: number, pgUrl?: string): Promise<SyncBench> {
  const child = spawn(process.execPath, [...process.execArgv, script, String(tickets)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', resolve),
  );
  const sim = JSON.parse(line) as { url: string; credentials: { email: string; token: string } };
  const schema = `zbench_${Date.now().toString(36)}`;
  const store = await Store.open(pgUrl ? { url: pgUrl, schema } : {});
  try {
    const box = new SecretBox('bench-secret-0123456789abcdef0123456789');
    const { account } = await connectAccount(store, zendesk, {
      name: 'bench',
      config: { subdomain: 'demo', baseUrl: sim.url, incrementalPerMinute: 100000 },
      secret: sim.credentials,
      box,
    });
    global.gc?.();
    const memory = peakMemory();
    const t0 = performance.now();
    const outcomes = await syncAccount(store, account, { box });
    const seconds = (performance.now() - t0) / 1000;
    const peak = memory.stop();
    const records = outcomes.reduce((n, o) => n + o.records, 0);
    return {
      tickets,
      records,
      seconds,
      recordsPerSecond: records / seconds,
      ...peak,
    };
  } finally {
    child.kill('SIGTERM');
    if (pgUrl) await store.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await store.close();
  }
}
