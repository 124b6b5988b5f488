import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, queue, redisConnection, type QueueSetup } from '../../src/jobs/queues.js';
import { schedulerId } from '../../src/jobs/schedules.js';
import { startWorkers, type RunningWorkers } from '../../src/jobs/worker.js';
import { backends } from '../helpers/backends.js';
import { REDIS_URL, dropPrefix, redisUp } from '../helpers/redis.js';
import { apiHarness, box, importedAccount, rules, type Harness } from './harness.js';

const postgres = backends.find((b) => b.name === 'postgres');

/** The API in queued mode: snapshots are BullMQ flows run by workers; schedules live in Redis. */
describe.skipIf(!redisUp || !postgres)('the HTTP API with REDIS_URL', () => {
  let h: Harness;
  let setup: QueueSetup;
  let workers: RunningWorkers;

  beforeAll(async () => {
    setup = {
      connection: redisConnection(REDIS_URL),
      prefix: `apitest${process.pid}x${Date.now().toString(36)}`,
    };
    h = await apiHarness(postgres!, { queue: setup });
    workers = startWorkers(
      { store: h.store, box, rules },
      { ...setup, log: pino({ level: 'silent' }) },
    );
    await importedAccount(h.store, 'acme');
  });
  afterAll(async () => {
    await workers?.close();
    await h?.close();
    if (setup?.prefix) await dropPrefix(setup.prefix);
  });

  it('queues a snapshot for the workers: 202, then the job polled until done', async () => {
    const res = await h.call('POST', '/api/v1/accounts/acme/snapshots', { body: {} });
    expect(res.statusCode, res.body).toBe(202);
    let job = JSON.parse(res.body) as {
      mode: string;
      state: string;
      location: string;
      result?: { snapshotId?: number; stored: boolean };
    };
    expect(job.mode).toBe('queued');
    while (job.state === 'queued' || job.state === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      job = JSON.parse((await h.call('GET', job.location)).body) as typeof job;
    }
    expect(job).toMatchObject({ state: 'done', result: { stored: true } });
    const list = JSON.parse((await h.call('GET', '/api/v1/accounts/acme/snapshots')).body) as {
      id: number;
    }[];
    expect(list.map((s) => s.id)).toContain(job.result?.snapshotId);
  });

  it('shows the queues and their workers to admins, and Redis in readiness', async () => {
    const health = JSON.parse((await h.call('GET', '/api/v1/queue')).body) as {
      mode: string;
      redis: string;
      queues: { name: string; workers: number }[];
    };
    expect(health).toMatchObject({ mode: 'queued', redis: 'up' });
    expect(health.queues.map((q) => q.name).sort()).toEqual(Object.values(QUEUES).sort());
    expect(health.queues.every((q) => q.workers > 0)).toBe(true);
    expect(JSON.parse((await h.call('GET', '/readyz', { as: 'none' })).body)).toEqual({
      status: 'ready',
      store: 'ok',
      redis: 'ok',
    });
  });

  it('serves Bull Board to admins only, under the same tokens', async () => {
    const page = await h.call('GET', '/api/v1/queue/board');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const api = await h.call('GET', '/api/v1/queue/board/api/queues');
    expect(api.statusCode, api.body).toBe(200);
    expect(api.body).toContain(QUEUES.sync);
    for (const [as, status] of [
      ['none', 401],
      ['viewer', 403],
      ['reviewer', 403],
    ] as const) {
      const res = await h.call('GET', '/api/v1/queue/board/api/queues', { as });
      expect(res.statusCode, as).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('sets a schedule as a BullMQ job scheduler, lists it with its next run, turns it off', async () => {
    const set = await h.call('PUT', '/api/v1/accounts/acme/schedule', {
      body: { cron: '30 3 * * *', tz: 'Europe/Paris' },
    });
    expect(set.statusCode, set.body).toBe(200);
    const listed = JSON.parse(
      (await h.call('GET', '/api/v1/schedules', { as: 'viewer' })).body,
    ) as {
      account: string;
      cron: string;
      next?: string;
    }[];
    expect(listed).toEqual([
      expect.objectContaining({
        account: 'acme',
        cron: '30 3 * * *',
        enabled: true,
        next: expect.any(String),
      }),
    ]);
    const account = await h.store.getAccount('acme');
    const trigger = queue(setup, QUEUES.trigger);
    try {
      expect(await trigger.getJobScheduler(schedulerId(account.id))).toBeDefined();
      const off = await h.call('PUT', '/api/v1/accounts/acme/schedule', {
        body: { enabled: false },
      });
      expect(JSON.parse(off.body)).toMatchObject({ enabled: false });
      expect(await trigger.getJobScheduler(schedulerId(account.id))).toBeUndefined();
    } finally {
      await trigger.close();
    }
    const bad = await h.call('PUT', '/api/v1/accounts/acme/schedule', {
      body: { cron: 'every day' },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ errors: [{ field: 'cron' }] });
  });
});
