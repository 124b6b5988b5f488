import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { zendesk } from '../../connectors/zendesk/index.js';
import { loadDefaultRules } from '../../src/engine/index.js';
import { connectAccount } from '../../src/jobs/connect-account.js';
import { snapshotJobData, type HandlerContext } from '../../src/jobs/handlers.js';
import {
  enqueueSnapshot,
  jobIds,
  redisConnection,
  waitForSnapshot,
  type QueueSetup,
} from '../../src/jobs/queues.js';
import { listSchedules, setSchedule } from '../../src/jobs/schedules.js';
import { startWorkers, type RunningWorkers } from '../../src/jobs/worker.js';
import { startZendeskSimulator, type ZendeskSimulator } from '../../src/simulator/index.js';
import { SecretBox } from '../../src/store/secrets.js';
import { Store } from '../../src/store/store.js';
import { PG_URL, backends } from '../helpers/backends.js';
import { cliHome } from '../helpers/cli.js';
import { REDIS_URL, dropPrefix, redisUp } from '../helpers/redis.js';

const pgUp = backends.some((b) => b.name === 'postgres');
const SECRET = 'queue-test-secret-0123456789abcdef0123';
const quiet = pino({ level: 'silent' });
const bin = fileURLToPath(new URL('../../bin/maturity.js', import.meta.url));

describe.skipIf(!redisUp || !pgUp)('queued snapshots on Redis and PostgreSQL', () => {
  let store: Store;
  let schema: string;
  let setup: QueueSetup;
  let ctx: HandlerContext;
  let sims: ZendeskSimulator[] = [];
  let running: RunningWorkers | undefined;
  let children: ChildProcess[] = [];
  const box = new SecretBox(SECRET);

  beforeAll(async () => {
    schema = `q_${process.pid}_${Date.now().toString(36)}`;
    store = await Store.open({ url: PG_URL, schema });
    ctx = { store, box, rules: loadDefaultRules() };
  });
  afterAll(async () => {
    await store.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await store.close();
  });
  let n = 0;
  const fresh = () => {
    setup = {
      connection: redisConnection(REDIS_URL),
      prefix: `mtest${process.pid}x${Date.now().toString(36)}${n++}`,
    };
    return setup;
  };
  afterEach(async () => {
    for (const c of children) c.kill('SIGKILL');
    children = [];
    await running?.close();
    running = undefined;
    await Promise.all(sims.map((s) => s.close()));
    sims = [];
    if (setup?.prefix) await dropPrefix(setup.prefix);
  });

  async function connected(
    name: string,
    o: Parameters<typeof startZendeskSimulator>[0],
    config: Record<string, unknown> = {},
  ) {
    const sim = await startZendeskSimulator(o);
    sims.push(sim);
    const { account } = await connectAccount(store, zendesk, {
      name,
      config: { subdomain: 'demo', baseUrl: sim.url, incrementalPerMinute: 100000, ...config },
      secret: sim.credentials,
      box,
      clientOptions: { sleep: async () => undefined },
    });
    return { sim, account };
  }

  const finished = (job: { id: string }, timeoutMs = 60_000) =>
    waitForSnapshot(setup, job.id, timeoutMs);

  it('runs a snapshot flow end to end: every stream synced, then metrics, then a stored snapshot', async () => {
    fresh();
    // All history inside the 90-day window, which is all a first snapshot exports.
    const { sim, account } = await connected('flow', {
      profile: 'managed',
      tickets: 400,
      seed: 7,
      days: 80,
    });
    running = startWorkers(ctx, { ...setup, log: quiet, concurrency: 4 });
    const data = await snapshotJobData(store, 'flow');
    const job = await enqueueSnapshot(setup, data, '2026-11-22');
    const result = (await finished(job)) as {
      partial: boolean;
      levels: { model: string; layer: string; level: number }[];
    };
    expect(result.partial).toBe(false);
    const counts = await store.countRecords(account.id);
    expect(counts.tickets).toBe(sim.data.tickets.length);
    expect(counts.groups).toBe(sim.data.groups.length);
    const snap = await store.latestSnapshot(account.id);
    expect(snap?.metrics.find((m) => m.id === 'tickets.count')).toBeDefined();
    expect(result.levels.find((l) => l.model === 'ftworks' && l.layer === 'offerings')?.level).toBe(
      3,
    );
  });

  it('runs a duplicate trigger for the same account and day once', async () => {
    fresh();
    await connected('dup', { profile: 'structured', tickets: 200, seed: 3 });
    const completed: string[] = [];
    running = startWorkers(ctx, { ...setup, log: quiet });
    running.workers[0]!.on('completed', (j) => completed.push(String(j.id)));
    const data = await snapshotJobData(store, 'dup');
    const first = await enqueueSnapshot(setup, data, '2026-11-22');
    const second = await enqueueSnapshot(setup, data, '2026-11-22');
    expect(second.id).toBe(first.id);
    await finished(first);
    const third = await enqueueSnapshot(setup, data, '2026-11-22');
    expect(third.id).toBe(first.id);
    const ids = jobIds(data.accountId, '2026-11-22', '', data.historyFrom);
    expect(completed.sort()).toEqual(Object.keys(data.kindsByStream).map(ids.sync).sort());
  });

  it('backfills in a flow of its own the history a --window all snapshot needs', async () => {
    fresh();
    const since = '2025-06-01';
    const { sim, account } = await connected(
      'history',
      { profile: 'structured', tickets: 400, seed: 12, days: 1100 },
      { since },
    );
    const completed: string[] = [];
    running = startWorkers(ctx, { ...setup, log: quiet });
    running.workers[0]!.on('completed', (j) => completed.push(String(j.id)));
    const day = new Date().toISOString().slice(0, 10);
    // The nightly snapshot (90 days) needs nothing before `since`.
    const nightly = await snapshotJobData(store, 'history');
    await finished(await enqueueSnapshot(setup, nightly, day));
    const recent = (await store.countRecords(account.id)).tickets;
    expect(recent).toBeLessThan(sim.data.tickets.length);
    expect((await store.coverage(account.id)).historyFrom.get('tickets')).toEqual(
      new Date(`${since}T00:00:00Z`),
    );
    // The same day, all history: other sync jobs, which backfill.
    const all = await snapshotJobData(store, 'history', { window: 'all' });
    expect(all.historyFrom).toBeNull();
    const job = await enqueueSnapshot(setup, all, day);
    expect(job.id).toBe(jobIds(account.id, day, '', null).evaluate);
    expect(job.id).not.toBe(jobIds(account.id, day, '', nightly.historyFrom).evaluate);
    await finished(job);
    expect(completed).toContain(jobIds(account.id, day, '', null).sync('tickets'));
    expect((await store.countRecords(account.id)).tickets).toBe(sim.data.tickets.length);
    const snap = await store.latestSnapshot(account.id);
    expect(snap?.metrics.find((m) => m.id === 'tickets.count')?.value).toBe(
      sim.data.tickets.length,
    );
    const { historyFrom } = await store.coverage(account.id);
    expect(historyFrom.has('tickets')).toBe(false);
    expect(historyFrom.has('slaOutcomes')).toBe(false);
  });

  it('does not retry an authentication error, marks the account, and stores no snapshot when every stream failed', async () => {
    fresh();
    const { account } = await connected('auth', { profile: 'structured', tickets: 100, seed: 5 });
    // The token is revoked at the helpdesk after connecting.
    await store.setAccountSecret(
      account.id,
      box.seal({ email: 'admin@demo.example', token: 'revoked' }),
    );
    const attempts: number[] = [];
    running = startWorkers(ctx, { ...setup, log: quiet });
    running.workers[0]!.on('failed', (j) => attempts.push(j?.attemptsMade ?? -1));
    const data = await snapshotJobData(store, 'auth');
    const job = await enqueueSnapshot(setup, data, '2026-11-22');
    await expect(finished(job)).rejects.toThrow(
      /^no snapshot of "auth" stored: every stream failed \(.*(credentials|anonymous|token).*\)/,
    );
    expect(await store.latestSnapshot(account.id)).toBeUndefined();
    // One attempt each: no retries.
    expect(attempts.length).toBe(Object.keys(data.kindsByStream).length);
    expect(attempts.every((a) => a === 1)).toBe(true);
    const after = await store.getAccount('auth');
    expect(after.status).toBe('needs-attention');
    expect(after.statusDetail).toMatch(/credentials|anonymous|token/i);
    const shown = await cliHome(cliEnv()).run('accounts', 'show', 'auth');
    expect(shown.out).toMatch(/status\s+needs-attention: /);
    expect(shown.out).not.toContain('revoked');
  });

  it('loses nothing when a worker process is killed mid-sync: another worker resumes from the checkpoint', async () => {
    fresh();
    // A slow helpdesk (a 429 with Retry-After: 1 every 3 requests) so the kill lands mid-sync.
    const { sim, account } = await connected('kill', {
      profile: 'structured',
      tickets: 900,
      seed: 11,
      days: 80,
      exportPageSize: 100,
      rateLimit: { perWindow: 3, retryAfterSeconds: 1 },
    });
    const env = {
      ...process.env,
      DATABASE_URL: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      REDIS_URL,
      MATURITY_QUEUE_PREFIX: setup.prefix!,
      MATURITY_SECRET: SECRET,
      LOG_LEVEL: 'silent',
    };
    const startWorker = () => {
      const c = spawn(
        process.execPath,
        [bin, 'worker', '--concurrency', '2', '--lock-ms', '2000'],
        { env, stdio: 'ignore' },
      );
      children.push(c);
      return c;
    };
    const first = startWorker();
    const data = await snapshotJobData(store, 'kill');
    const job = await enqueueSnapshot(setup, data, '2026-11-22');
    // Wait until the ticket export has committed some pages, then kill -9.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await store.dbForTests.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM tickets WHERE account_id = $1',
        [account.id],
      );
      if ((row?.n ?? 0) >= 200) break;
      if (Date.now() > deadline) throw new Error('the first worker never started syncing tickets');
      await new Promise((r) => setTimeout(r, 100));
    }
    first.kill('SIGKILL');
    const [mid] = await store.dbForTests.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tickets WHERE account_id = $1',
      [account.id],
    );
    expect(mid!.n).toBeLessThan(sim.data.tickets.length);
    startWorker();
    await finished(job, 120_000);
    const counts = await store.countRecords(account.id);
    expect(counts.tickets).toBe(sim.data.tickets.length);
    expect(counts.slaOutcomes).toBeGreaterThan(0);
  });

  it('fires a schedule: the scheduler enqueues the flow and a snapshot is stored', async () => {
    fresh();
    const { account } = await connected('sched', { profile: 'bootstrap', tickets: 50, seed: 2 });
    // Every second (six-field cron), so the test does not wait for 02:00.
    await setSchedule(store, setup, 'sched', '* * * * * *', 'Europe/Paris');
    const listed = await listSchedules(store, setup);
    expect(listed.find((s) => s.account === 'sched')).toMatchObject({
      cron: '* * * * * *',
      tz: 'Europe/Paris',
      enabled: true,
    });
    running = startWorkers(ctx, { ...setup, log: quiet });
    const deadline = Date.now() + 30_000;
    while (!(await store.latestSnapshot(account.id))) {
      if (Date.now() > deadline) throw new Error('no snapshot from the schedule within 30 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await store.latestSnapshot(account.id))?.account).toBe('sched');
  });

  const cliEnv = () => ({
    DATABASE_URL: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    REDIS_URL,
    MATURITY_QUEUE_PREFIX: setup.prefix!,
    MATURITY_SECRET: SECRET,
  });

  it('runs `maturity snapshot` through the workers when REDIS_URL is set, and --no-wait returns the job id', async () => {
    fresh();
    await connected('viacli', { profile: 'structured', tickets: 150, seed: 9 });
    running = startWorkers(ctx, { ...setup, log: quiet });
    const cli = cliHome(cliEnv());
    const r = await cli.run('snapshot', 'viacli', '--json');
    expect(r.code, r.err).toBe(0);
    const body = JSON.parse(r.out);
    expect(body.account).toBe('viacli');
    expect(body.partial).toBe(false);
    expect(body.layers.find((l: { layer: string }) => l.layer === 'offerings').level).toBe(2);
    const queued = await cli.run('snapshot', 'viacli', '--no-wait');
    expect(queued.out).toMatch(
      /^queued snapshot of "viacli": job \d+\|evaluate\|\d{4}-\d{2}-\d{2}\|cli-/,
    );
  });

  it('gives a newly connected account its nightly schedule, and removes only that account with `accounts remove`', async () => {
    fresh();
    const sim = await startZendeskSimulator({ profile: 'bootstrap', tickets: 40, seed: 4 });
    sims.push(sim);
    const cli = cliHome({ ...cliEnv(), MATURITY_ZENDESK_TOKEN: sim.credentials.token });
    for (const name of ['keep', 'drop']) {
      const r = await cli.run(
        'connect',
        'zendesk',
        '--name',
        name,
        '--subdomain',
        'demo',
        '--base-url',
        sim.url,
        '--email',
        sim.credentials.email,
      );
      expect(r.err).toBe('');
      expect(r.out).toMatch(/nightly snapshots on "0 2 \* \* \*" \(UTC\)/);
    }
    await store.upsert((await store.getAccount('keep')).id, 'groups', [
      { sourceId: 'g1', name: 'Support' },
    ]);
    await store.upsert((await store.getAccount('drop')).id, 'groups', [
      { sourceId: 'g1', name: 'Support' },
    ]);
    const removed = await cli.run('accounts', 'remove', 'drop');
    expect(removed.code).toBe(0);
    expect(await store.findAccount('drop')).toBeUndefined();
    expect((await store.countRecords((await store.getAccount('keep')).id)).groups).toBe(1);
    const schedules = await listSchedules(store, setup);
    expect(schedules.map((s) => s.account)).toContain('keep');
    expect(schedules.map((s) => s.account)).not.toContain('drop');
    const list = JSON.parse((await cli.run('schedule', '--list', '--json')).out) as {
      account: string;
      next?: string;
    }[];
    expect(list.find((s) => s.account === 'keep')?.next).toBeDefined();
    expect(list.some((s) => s.account === 'drop')).toBe(false);
  });
});
