import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotBody } from '../../src/domain/evidence.js';
import { loadDefaultRules } from '../../src/engine/index.js';
import { syncAndSnapshot } from '../../src/jobs/sync-and-snapshot.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { startZendeskSimulator, type ZendeskSimulator } from '../../src/simulator/index.js';
import { SecretBox } from '../../src/store/secrets.js';
import { Store, type Account } from '../../src/store/store.js';
import { cliHome } from '../helpers/cli.js';
import { BASE, incidentRow, tableApi } from '../servicenow/helpers.js';
import { memoryStore } from '../helpers/store-template.js';

const SECRET = 'failed-sync-test-secret-0123456789abcdef';
const box = new SecretBox(SECRET);
const rules = loadDefaultRules();
const fast = { sleep: async () => undefined, backoffMs: 1 };

/** What a hibernating instance sends instead of the API's JSON. */
const webPage = '<html><body><h1>Your instance is hibernating</h1></body></html>';
type Answer = 'html-200' | 'html-503';

/**
 * A helpdesk that can fall asleep: proxies to the Zendesk simulator, or answers a web page to
 * the requests `asleep` picks (every request when it says yes to all).
 */
async function sleepyZendesk(sim: ZendeskSimulator) {
  const target = new URL(sim.url);
  const state: { asleep: (path: string) => boolean; answer: Answer } = {
    asleep: () => false,
    answer: 'html-200',
  };
  const server: Server = createServer((req, res) => {
    if (state.asleep(req.url ?? '/')) {
      res.writeHead(state.answer === 'html-200' ? 200 : 503, { 'content-type': 'text/html' });
      res.end(webPage);
      return;
    }
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Picks the requests answered with a web page (none by default). */
    sleep(asleep: (path: string) => boolean, answer: Answer = 'html-200') {
      Object.assign(state, { asleep, answer });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const metric = (b: SnapshotBody, id: string) => b.metrics.find((m) => m.id === id)?.value;

describe('a failed sync never replaces a good snapshot', () => {
  let store: Store;
  let sim: ZendeskSimulator;
  let helpdesk: Awaited<ReturnType<typeof sleepyZendesk>>;
  let n = 0;

  beforeAll(async () => {
    store = await memoryStore();
    sim = await startZendeskSimulator({ profile: 'managed', tickets: 300, seed: 21 });
    helpdesk = await sleepyZendesk(sim);
  });
  afterAll(async () => {
    await helpdesk.close();
    await sim.close();
    await store.close();
  });
  afterEach(() => {
    helpdesk.sleep(() => false);
  });

  async function zendeskAccount(): Promise<Account> {
    const a = await store.createAccount(`zd${n++}`, 'zendesk', {
      subdomain: 'demo',
      baseUrl: helpdesk.url,
      incrementalPerMinute: 100_000,
    });
    await store.setAccountSecret(a.id, box.seal(sim.credentials));
    return a;
  }
  const snapshot = (a: Account, o: { asOf?: string } = {}) =>
    syncAndSnapshot(store, a, { box, rules, clientOptions: fast, ...o });

  it.each<Answer>(['html-200', 'html-503'])(
    'stores nothing and fails when the whole Zendesk instance answers a web page (%s); the good snapshot stands',
    async (answer) => {
      const a = await zendeskAccount();
      const good = await snapshot(a);
      expect(good).toMatchObject({ stored: true, body: { partial: false } });
      expect(metric(good.body, 'tickets.count')).toBeGreaterThan(0);

      helpdesk.sleep(() => true, answer);
      await expect(snapshot(a)).rejects.toMatchObject({
        code: 'E_SYNC_FAILED',
        message: expect.stringMatching(
          new RegExp(
            `^no snapshot of "${a.name}" stored: every stream failed \\(.*(HTML page|HTTP 503).*\\); the last snapshot stands`,
          ),
        ) as unknown,
      });
      expect(await store.latestSnapshot(a.id)).toEqual(good.body);
      expect(await store.listSnapshots(a.id)).toHaveLength(1);
    },
  );

  it('keeps the stored records as evidence when some streams fail, says how old they are, and keeps the complete snapshot of the day', async () => {
    const a = await zendeskAccount();
    const before = Date.now();
    const good = await snapshot(a);
    const after = Date.now();
    expect(good.body.partial).toBe(false);

    // The ticket export falls asleep; the other endpoints still answer.
    helpdesk.sleep((p) => p.includes('/incremental/'));
    const made = await snapshot(a);
    expect(made.failed.map((f) => f.stream)).toContain('tickets');
    expect(made.stored).toBe(false);
    expect(made.body.partial).toBe(true);
    // The figures still come from the stored records.
    for (const id of ['tickets.count', 'sla.attainment', 'groups.count', 'agents.count'])
      expect(metric(made.body, id), id).toBe(metric(good.body, id));
    const age = made.body.dataAge?.find((d) => d.source === 'tickets');
    expect(age?.lastSynced).toBeDefined();
    const at = Date.parse(age!.lastSynced!);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(after + 1000);
    expect(renderMarkdown(made.body)).toMatch(
      /\*\*partial: .*tickets.* failed to sync; their figures use the records earlier syncs stored\*\*\n\n\*\*Data age:\*\* [^\n]*tickets[^\n]* last synced \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(under an hour old\)/,
    );
    // The complete snapshot of the day stands.
    expect(await store.latestSnapshot(a.id)).toEqual(good.body);

    // On another day, the partial snapshot is stored, with its data age.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const earlier = await snapshot(a, { asOf: yesterday });
    expect(earlier).toMatchObject({ stored: true, body: { partial: true } });
    expect(earlier.body.dataAge?.map((d) => d.source)).toEqual(earlier.body.failedSources);
    expect(await store.listSnapshots(a.id)).toHaveLength(2);

    // A complete snapshot replaces a partial one of the same day.
    helpdesk.sleep(() => false);
    const again = await snapshot(a, { asOf: yesterday });
    expect(again).toMatchObject({ stored: true, body: { partial: false } });
    expect(again.body.dataAge).toBeUndefined();
    expect(await store.listSnapshots(a.id)).toHaveLength(2);
  });

  describe('ServiceNow', () => {
    beforeAll(() => nock.disableNetConnect());
    afterEach(() => nock.cleanAll());
    afterAll(() => nock.enableNetConnect());

    const incidents = Array.from({ length: 12 }, (_, i) =>
      incidentRow(i + 1, `2026-0${1 + (i % 5)}-1${i % 9} 10:00:00`, {
        opened_at: `2026-0${1 + (i % 5)}-0${1 + (i % 9)} 09:00:00`,
        made_sla: String(i % 3 !== 0),
      }),
    );

    it.each<Answer>(['html-200', 'html-503'])(
      'stores nothing and fails when a hibernating instance answers a web page (%s); the good snapshot stands',
      async (answer) => {
        const a = await store.createAccount(`sn${n++}`, 'servicenow', {
          instance: BASE,
          user: 'maturity.reader',
          pageSize: 5,
        });
        await store.setAccountSecret(a.id, box.seal({ password: 'pw' }));
        tableApi({
          incident: incidents,
          m2m_kb_task: [],
          sys_user_group: [
            {
              sys_id: 'grp1',
              name: 'Service Desk',
              active: 'true',
              sys_updated_on: '2026-01-01 00:00:00',
            },
          ],
        });
        const good = await syncAndSnapshot(store, a, {
          box,
          rules,
          window: 'all',
          clientOptions: fast,
        });
        expect(good.failed).toEqual([]);
        expect(good).toMatchObject({ stored: true, body: { partial: false } });
        expect(metric(good.body, 'tickets.count')).toBe(12);
        nock.cleanAll();

        nock(BASE)
          .persist()
          .get(/.*/)
          .reply(answer === 'html-200' ? 200 : 503, webPage, { 'content-type': 'text/html' });
        await expect(
          syncAndSnapshot(store, a, { box, rules, window: 'all', clientOptions: fast }),
        ).rejects.toMatchObject({
          code: 'E_SYNC_FAILED',
          message: expect.stringMatching(/every stream failed \(.*(web page|HTML|HTTP 503)/),
        });
        expect(await store.latestSnapshot(a.id)).toEqual(good.body);
        expect(metric(good.body, 'tickets.count')).toBe(12);
      },
    );
  });
});

describe('maturity snapshot after a failed sync', () => {
  let sim: ZendeskSimulator;
  let helpdesk: Awaited<ReturnType<typeof sleepyZendesk>>;
  beforeAll(async () => {
    sim = await startZendeskSimulator({ profile: 'structured', tickets: 150, seed: 5 });
    helpdesk = await sleepyZendesk(sim);
  });
  afterAll(async () => {
    await helpdesk.close();
    await sim.close();
  });

  it('exits non-zero with one line when every stream failed, and a partial run says how old the data is', async () => {
    const cli = cliHome({ MATURITY_SECRET: SECRET });
    const store = await Store.open({ dir: `${cli.home}/db` });
    const a = await store.createAccount('acme', 'zendesk', {
      subdomain: 'demo',
      baseUrl: helpdesk.url,
      incrementalPerMinute: 100_000,
    });
    await store.setAccountSecret(a.id, box.seal(sim.credentials));
    await store.close();

    const good = await cli.run('snapshot', 'acme', '--json');
    expect(good.code).toBe(0);
    const goodBody = JSON.parse(good.out) as SnapshotBody;
    expect(goodBody.partial).toBe(false);

    helpdesk.sleep(() => true);
    const asleep = await cli.run('snapshot', 'acme');
    expect(asleep.code).not.toBe(0);
    expect(asleep.out).toBe('');
    expect(asleep.err.trim().split('\n')).toHaveLength(1);
    expect(asleep.err).toMatch(
      /^maturity: no snapshot of "acme" stored: every stream failed \(.*HTML page.*\); the last snapshot stands/,
    );
    // The report is the stored snapshot as reviewed now (`reviewed` says when and with what).
    const stored = async () => {
      const r = await cli.run('report', 'acme', '--format', 'json');
      const { reviewed: _, ...body } = JSON.parse(r.out) as SnapshotBody & { reviewed?: unknown };
      return body;
    };
    expect(await stored()).toEqual(goodBody);

    helpdesk.sleep((p) => p.includes('/incremental/'));
    const partial = await cli.run('snapshot', 'acme');
    expect(partial.code).toBe(0);
    expect(partial.out).toMatch(/\*\*Data age:\*\* .*tickets.* last synced/);
    expect(partial.err).toMatch(/stream tickets failed \(.*\); its records as of .* UTC stand in/);
    expect(partial.err).toMatch(/this partial snapshot was not stored: the complete one of/);
    expect(await stored()).toEqual(goodBody);
  });
});
