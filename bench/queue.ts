import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { zendesk } from '../connectors/zendesk/index.js';
import { connectAccount } from '../src/jobs/connect-account.js';
import { snapshotJobData } from '../src/jobs/handlers.js';
import {
  enqueueSnapshot,
  redisConnection,
  waitForSnapshot,
  type QueueSetup,
} from '../src/jobs/queues.js';
import { startZendeskSimulator } from '../src/simulator/index.js';
import { SecretBox } from '../src/store/secrets.js';
import { Store } from '../src/store/store.js';

export interface QueueBench {
  accounts: number;
  ticketsPerAccount: number;
  runs: { workers: number; seconds: number; perMinute: number; syncJobs: number }[];
}

const bin = fileURLToPath(new URL('../bin/maturity.js', import.meta.url));
const SECRET = 'bench-secret-0123456789abcdef0123456789';

/**
 * Snapshots of `accounts` simulated Zendesk accounts through the queue, first with one worker
 * process, then with two (each with the same sync concurrency), on a fresh store each run.
 */
export async function benchQueue(o: {
  accounts: number;
  tickets: number;
  pgUrl: string;
  redisUrl: string;
}): Promise<QueueBench> {
  const sims = await Promise.all(
    [0, 1, 2, 3].map((i) =>
      startZendeskSimulator({ profile: 'structured', tickets: o.tickets, seed: 100 + i }),
    ),
  );
  const box = new SecretBox(SECRET);
  const runs: QueueBench['runs'] = [];
  try {
    for (const workers of [1, 2]) {
      const schema = `qbench_${Date.now().toString(36)}_${workers}`;
      const store = await Store.open({ url: o.pgUrl, schema });
      const setup: QueueSetup = {
        connection: redisConnection(o.redisUrl),
        prefix: `qbench${Date.now().toString(36)}`,
      };
      const children: ChildProcess[] = [];
      try {
        for (let i = 0; i < o.accounts; i++) {
          const sim = sims[i % sims.length]!;
          await connectAccount(store, zendesk, {
            name: `acct-${i}`,
            config: { subdomain: 'demo', baseUrl: sim.url, incrementalPerMinute: 100000 },
            secret: sim.credentials,
            box,
          });
        }
        const env = {
          ...process.env,
          DATABASE_URL: `${o.pgUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
          REDIS_URL: o.redisUrl,
          MATURITY_QUEUE_PREFIX: setup.prefix!,
          MATURITY_SECRET: SECRET,
          LOG_LEVEL: 'silent',
        };
        for (let w = 0; w < workers; w++) {
          children.push(
            spawn(process.execPath, [bin, 'worker', '--concurrency', '4'], {
              env,
              stdio: 'ignore',
            }),
          );
        }
        await new Promise((r) => setTimeout(r, 3000)); // let the workers connect
        const t0 = performance.now();
        const ids: string[] = [];
        let syncJobs = 0;
        for (let i = 0; i < o.accounts; i++) {
          const data = await snapshotJobData(store, `acct-${i}`);
          syncJobs += Object.keys(data.kindsByStream).length;
          ids.push((await enqueueSnapshot(setup, data, '2026-11-22')).id);
        }
        for (const id of ids) await waitForSnapshot(setup, id, 30 * 60_000);
        const seconds = (performance.now() - t0) / 1000;
        runs.push({ workers, seconds, perMinute: (o.accounts / seconds) * 60, syncJobs });
        console.error(
          `bench: queue with ${workers} worker process(es): ${o.accounts} snapshots in ${seconds.toFixed(1)} s`,
        );
      } finally {
        for (const c of children) c.kill('SIGTERM');
        await store.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
        await store.close();
      }
    }
  } finally {
    await Promise.all(sims.map((s) => s.close()));
  }
  return { accounts: o.accounts, ticketsPerAccount: o.tickets, runs };
}
