import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { zendesk } from '../../connectors/zendesk/index.js';
import { loadDefaultRules } from '../../src/engine/index.js';
import { connectAccount } from '../../src/jobs/connect-account.js';
import type { HandlerContext } from '../../src/jobs/handlers.js';
import {
  QUEUES,
  checkRedis,
  enqueueSnapshot,
  queue,
  redisConnection,
  waitForSnapshot,
  type QueueSetup,
} from '../../src/jobs/queues.js';
import { startWorkers, type RunningWorkers } from '../../src/jobs/worker.js';
import { createLogger } from '../../src/log.js';
import { startZendeskSimulator, type ZendeskSimulator } from '../../src/simulator/index.js';
import { SecretBox } from '../../src/store/secrets.js';
import { Store } from '../../src/store/store.js';
import { PG_URL, backends } from '../helpers/backends.js';
import { cliHome } from '../helpers/cli.js';

const pgUp = backends.some((b) => b.name === 'postgres');
const SECRET = 'redis-outage-test-secret-0123456789abcdef';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A Redis of this test's own, without persistence: a restart loses every key. */
async function startRedis(port: number): Promise<ChildProcess> {
  const p = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const setup = { connection: redisConnection(`redis://127.0.0.1:${port}`) };
  for (let i = 0; ; i++) {
    try {
      await checkRedis(setup, 500);
      return p;
    } catch (err) {
      if (i > 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function stop(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGKILL');
  await once(p, 'exit');
}

/** The worker's JSON log lines, kept for the test to read. */
function logLines() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, log: createLogger('info', sink as never) };
}

describe.skipIf(!pgUp)('Redis outages in queued mode', () => {
  let store: Store;
  let schema: string;
  let redis: ChildProcess | undefined;
  let running: RunningWorkers | undefined;
  let sims: ZendeskSimulator[] = [];
  const box = new SecretBox(SECRET);
  const env = (redisUrl: string, prefix = 'outage') => ({
    DATABASE_URL: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    REDIS_URL: redisUrl,
    MATURITY_QUEUE_PREFIX: prefix,
    MATURITY_SECRET: SECRET,
  });

  beforeAll(async () => {
    schema = `ro_${process.pid}_${Date.now().toString(36)}`;
    store = await Store.open({ url: PG_URL, schema });
  });
  afterAll(async () => {
    await store.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await store.close();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    await stop(redis);
    redis = undefined;
    await Promise.all(sims.map((s) => s.close()));
    sims = [];
    vi.restoreAllMocks();
  });

  async function connected(name: string) {
    // A slow helpdesk (a 429 with Retry-After: 1 every 4 requests), so Redis dies mid-flow.
    const sim = await startZendeskSimulator({
      profile: 'structured',
      tickets: 300,
      seed: 8,
      exportPageSize: 100,
      rateLimit: { perWindow: 4, retryAfterSeconds: 1 },
    });
    sims.push(sim);
    const { account } = await connectAccount(store, zendesk, {
      name,
      config: { subdomain: 'demo', baseUrl: sim.url, incrementalPerMinute: 100000 },
      secret: sim.credentials,
      box,
      clientOptions: { sleep: async () => undefined },
    });
    return account;
  }

  it.each([
    ['snapshot', ['snapshot', 'acme']],
    ['worker', ['worker']],
    ['schedule', ['schedule', 'acme', '--cron', '0 3 * * *']],
  ])('fails within seconds with one line when Redis cannot be reached (%s)', async (_, args) => {
    if (!(await store.findAccount('acme')))
      await store.createAccount('acme', 'zendesk', { subdomain: 'acme' });
    const port = await freePort();
    const cli = cliHome(env(`redis://127.0.0.1:${port}`));
    const t0 = Date.now();
    const r = await cli.run(...args);
    const seconds = (Date.now() - t0) / 1000;
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(
      new RegExp(
        `^maturity: Redis at 127\\.0\\.0\\.1:${port} \\(REDIS_URL\\) cannot be reached \\(connect ECONNREFUSED [^)]*\\): start it or fix REDIS_URL`,
      ),
    );
    expect(seconds).toBeLessThan(10);
  });

  /** Kills Redis once a sync has committed some tickets, and starts it again, empty. */
  async function restartMidFlow(accountId: number, port: number): Promise<number> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [row] = await store.dbForTests.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM tickets WHERE account_id = $1',
        [accountId],
      );
      if ((row?.n ?? 0) > 0) break;
      if (Date.now() > deadline) throw new Error('the sync never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    await stop(redis);
    await new Promise((r) => setTimeout(r, 1500));
    redis = await startRedis(port);
    return Date.now();
  }

  it('puts back a snapshot flow that a Redis restart lost, and `maturity snapshot` completes; the worker logs one line per outage', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const setup: QueueSetup = { connection: redisConnection(url), prefix: 'outage' };
    const account = await connected('restart');
    const { lines, log } = logLines();
    const unhandled = vi.spyOn(console, 'error');
    const reconnected: number[] = [];
    const ctx: HandlerContext = { store, box, rules: loadDefaultRules() };
    running = startWorkers(ctx, {
      ...setup,
      log,
      onReconnect: async () => void reconnected.push(Date.now()),
    });
    const cli = cliHome(env(url));
    const snapshot = cli.run('snapshot', 'restart', '--json');
    const restarted = await restartMidFlow(account.id, port);
    const r = await snapshot;
    const seconds = (Date.now() - restarted) / 1000;
    expect(r.err).toMatch(
      /vanished from Redis \(restarted without persistence\?\): queued it again/,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ account: 'restart', partial: false });
    expect(seconds).toBeLessThan(60);

    const messages = lines.map((l) => String(l.msg));
    expect(messages.filter((m) => /is unreachable/.test(m))).toHaveLength(1);
    expect(messages.filter((m) => /is reachable again/.test(m))).toHaveLength(1);
    expect(messages).not.toContain('worker error');
    const lost = messages.filter((m) => /vanished from Redis while it ran|was taken over/.test(m));
    expect(new Set(lost).size).toBe(lost.length);
    expect(reconnected).toHaveLength(1);
    const text = JSON.stringify(lines);
    expect(text).not.toContain('[object Object]');
    expect(text).not.toMatch(/\\n\s+at /);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('ends a wait clearly when Redis stays away, or when the flow vanished and cannot be put back', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const setup: QueueSetup = {
      connection: redisConnection(`redis://127.0.0.1:${port}`),
      prefix: 'wait',
    };
    const account = await store.createAccount('waits', 'zendesk', { subdomain: 'acme' });
    const data = {
      accountId: account.id,
      account: 'waits',
      kindsByStream: { tickets: ['tickets'] },
    };
    // No worker: the flow waits.
    const job = await enqueueSnapshot(setup, data, '2026-11-30');
    await stop(redis);
    const t0 = Date.now();
    await expect(
      waitForSnapshot(setup, job.id, 60_000, { outageMs: 2000, pollMs: 200 }),
    ).rejects.toMatchObject({
      code: 'E_REDIS_UNAVAILABLE',
      message: expect.stringMatching(
        /^Redis at 127\.0\.0\.1:\d+ was unreachable for \d+ s while snapshot job .* ran/,
      ) as unknown,
    });
    expect(Date.now() - t0).toBeLessThan(10_000);

    redis = await startRedis(port);
    await expect(waitForSnapshot(setup, job.id, 60_000, { pollMs: 200 })).rejects.toMatchObject({
      code: 'E_REDIS_UNAVAILABLE',
      message: expect.stringMatching(
        /vanished from Redis \(restarted without persistence\?\)/,
      ) as unknown,
    });
  });

  it('puts back a nightly flow that a Redis restart lost: the worker notices and the snapshot is stored', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const setup: QueueSetup = {
      connection: redisConnection(`redis://127.0.0.1:${port}`),
      prefix: 'nightly',
    };
    const account = await connected('nightly');
    const { lines, log } = logLines();
    running = startWorkers(
      { store, box, rules: loadDefaultRules() },
      { ...setup, log, watchMs: 2000 },
    );
    const trigger = queue(setup, QUEUES.trigger);
    await trigger.add('nightly-snapshot', { account: 'nightly' });
    await trigger.close();
    const restarted = await restartMidFlow(account.id, port);
    const deadline = restarted + 60_000;
    while (!(await store.latestSnapshot(account.id))) {
      if (Date.now() > deadline) throw new Error('no snapshot within a minute of the restart');
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await store.latestSnapshot(account.id))?.partial).toBe(false);
    expect(lines.map((l) => String(l.msg))).toContainEqual(
      expect.stringMatching(/snapshot flow of nightly vanished from Redis .*: queued it again/),
    );
  });
});
