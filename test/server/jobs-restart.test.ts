import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/server/api-tokens.js';
import { buildServer } from '../../src/server/app.js';
import type { Store } from '../../src/store/store.js';
import { backends } from '../helpers/backends.js';
import { box, fast, importedAccount, rules } from './harness.js';

/**
 * Snapshots the server runs itself (no queue) are kept in the store: a restart neither forgets
 * a job a client polls nor drops one still waiting; the one a stop cut short fails, saying so.
 */

interface PolledJob {
  id: string;
  state: string;
  createdAt: string;
  location: string;
  result?: { stored: boolean; snapshotId?: number };
  error?: { code: string | null; message: string };
}

async function server(store: Store) {
  const { token } = await createApiToken(store, `admin-${Math.random()}`, 'admin');
  const app = await buildServer({ store, rules, box, clientOptions: fast });
  const call = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return { status: res.statusCode, body: JSON.parse(res.body) as PolledJob };
  };
  const until = async (location: string) => {
    for (;;) {
      const { body } = await call('GET', location);
      if (body.state !== 'queued' && body.state !== 'running') return body;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { app, call, until };
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe.each(backends)('snapshot jobs across a server restart on $name', (backend) => {
  it('still answers for a finished job after a restart', async () => {
    const store = await backend.open();
    try {
      await importedAccount(store, 'acme');
      const first = await server(store);
      const asked = await first.call('POST', '/api/v1/accounts/acme/snapshots', {
        asOf: daysAgo(2),
      });
      expect(asked.status).toBe(202);
      const done = await first.until(asked.body.location);
      expect(done).toMatchObject({ state: 'done', result: { stored: true } });
      await first.app.close();

      const second = await server(store);
      const again = await second.call('GET', asked.body.location);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(done);
      await second.app.close();
    } finally {
      await store.close();
    }
  });

  it('runs the jobs a stopped server left waiting, and fails the one it was running', async () => {
    const store = await backend.open();
    try {
      await importedAccount(store, 'acme');
      // What a server killed mid-snapshot leaves: one job running, two waiting behind it.
      const at = (s: number) => new Date(Date.now() - 60_000 + s * 1000).toISOString();
      await store.saveApiJob({
        id: 'inline-cut-short',
        account: 'acme',
        state: 'running',
        request: { asOf: daysAgo(5) },
        createdAt: at(0),
      });
      for (const [i, id] of ['inline-waiting-1', 'inline-waiting-2'].entries())
        await store.saveApiJob({
          id,
          account: 'acme',
          state: 'queued',
          request: { asOf: daysAgo(3 + i) },
          createdAt: at(1 + i),
        });

      const s = await server(store);
      const cut = await s.call('GET', '/api/v1/jobs/inline-cut-short');
      expect(cut.body).toMatchObject({
        state: 'failed',
        error: { code: null, message: expect.stringMatching(/server stopped.*ask for it again/) },
      });
      const ran = [
        await s.until('/api/v1/jobs/inline-waiting-1'),
        await s.until('/api/v1/jobs/inline-waiting-2'),
      ];
      for (const job of ran) expect(job).toMatchObject({ state: 'done', result: { stored: true } });
      // Each as it was asked for: its own day's snapshot.
      const snapshots = await store.listSnapshots((await store.getAccount('acme')).id);
      const days = snapshots.map((e) => new Date(e.asOf).toISOString().slice(0, 10));
      expect(days).toEqual(expect.arrayContaining([daysAgo(3), daysAgo(4)]));
      expect(days).not.toContain(daysAgo(5));
      expect(await store.unfinishedApiJobs()).toEqual([]);
      await s.app.close();
    } finally {
      await store.close();
    }
  });
});
