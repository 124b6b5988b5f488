import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/metrics/index.js';
import { parseWindow } from '../../src/metrics/window.js';
import { startZendeskSimulator } from '../../src/simulator/index.js';
import type { Store } from '../../src/store/store.js';
import {
  CREDENTIALS,
  NOW,
  expectedRecords,
  fakeSleep,
  ids,
  stored,
  syncZendesk,
} from './helpers.js';
import { memoryStore } from '../helpers/store-template.js';

describe('a sync of the simulated Zendesk', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(async () => store.close());

  it('stores exactly the simulator records despite 429s, 5xx, resets and truncated bodies', async () => {
    const sim = await startZendeskSimulator({
      profile: 'managed',
      tickets: 1500,
      now: NOW,
      credentials: CREDENTIALS,
      seed: 7,
      exportPageSize: 250,
      faults: { rate: 0.2 },
      rateLimit: { perWindow: 6, retryAfterSeconds: 2 },
    });
    try {
      const account = await store.createAccount('faulty', 'zendesk');
      const { sleep, waits } = fakeSleep();
      const outcomes = await syncZendesk(store, account, { baseUrl: sim.url, sleep });
      expect(outcomes.filter((o) => !o.ok).map((o) => o.error?.message)).toEqual([]);
      expect(sim.stats.faults['5xx']).toBeGreaterThan(0);
      expect(sim.stats.faults.reset).toBeGreaterThan(0);
      expect(sim.stats.faults.truncate).toBeGreaterThan(0);
      expect(sim.stats.rateLimited).toBeGreaterThan(0);
      expect(waits).toContain(2000);
      const want = expectedRecords(sim);
      expect(await stored(store, account.id, Object.keys(want))).toEqual(want);
      // Breaches and fulfilments split over pages still settle as the events say.
      const [breached] = await store.dbForTests.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM sla_outcomes WHERE account_id = $1 AND status = 'breached'`,
        [account.id],
      );
      expect(breached!.n).toBe(sim.data.metricEvents.filter((e) => e.type === 'breach').length);
      const quarantined = await store.dbForTests.query(
        'SELECT 1 FROM quarantine WHERE account_id = $1',
        [account.id],
      );
      expect(quarantined).toHaveLength(0);
      // Plans come from the organisation dropdown the SLA policies filter on.
      const plans = await store.dbForTests.query<{
        name: string;
        tier: number;
        customer_count: number;
      }>('SELECT name, tier, customer_count FROM plans WHERE account_id = $1 ORDER BY tier', [
        account.id,
      ]);
      expect(plans.map((p) => [p.name, p.tier])).toEqual([
        ['Standard', 1],
        ['Premium', 2],
        ['Enterprise', 3],
      ]);
      expect(plans.reduce((n, p) => n + p.customer_count, 0)).toBe(sim.data.organizations.length);
    } finally {
      await sim.close();
    }
  });

  it('resumes a sync killed half-way from the last stored page, losing and doubling nothing', async () => {
    const sim = await startZendeskSimulator({
      profile: 'structured',
      tickets: 1600,
      now: NOW,
      credentials: CREDENTIALS,
      seed: 3,
      exportPageSize: 200,
    });
    try {
      const account = await store.createAccount('killed', 'zendesk');
      const kill = new AbortController();
      const first = await syncZendesk(store, account, {
        baseUrl: sim.url,
        signal: kill.signal,
        onProgress: (p) => {
          if (p.stream === 'tickets' && p.pages === 3) kill.abort();
        },
      });
      expect(first.find((o) => o.stream === 'tickets')).toMatchObject({ ok: false, pages: 3 });
      expect((await ids(store, 'tickets', account.id)).length).toBe(600);
      const exportPath = '/api/v2/incremental/tickets/cursor';
      const before = sim.stats.byPath[exportPath]!;

      const second = await syncZendesk(store, account, { baseUrl: sim.url });
      expect(second.every((o) => o.ok)).toBe(true);
      // 1600 tickets in pages of 200: the resumed run reads pages 4..8 and nothing before.
      expect(sim.stats.byPath[exportPath]! - before).toBe(5);
      expect(second.find((o) => o.stream === 'tickets')).toMatchObject({ records: 1000 });
      const want = expectedRecords(sim);
      expect(await stored(store, account.id, Object.keys(want))).toEqual(want);
    } finally {
      await sim.close();
    }
  });

  it('stores plans no SLA policy names as guessed, and counts them as undetermined', async () => {
    const sim = await startZendeskSimulator({
      profile: 'managed',
      tickets: 50,
      now: NOW,
      credentials: CREDENTIALS,
      seed: 5,
    });
    try {
      // The plans stay in the organisation field "support_plan", but no SLA policy keys on it:
      // the connector finds them by the field's name only.
      sim.data.slaPolicies.length = 0;
      const account = await store.createAccount('guessed-plans', 'zendesk');
      const [outcome] = await syncZendesk(store, account, {
        baseUrl: sim.url,
        streams: ['organisations'],
      });
      expect(outcome!.ok).toBe(true);
      expect(outcome!.warnings?.join('\n')).toMatch(
        /read from the organisation field "support_plan", named like a plan/,
      );
      const plans = await store.dbForTests.query<{ source_id: string; guessed: boolean | null }>(
        'SELECT source_id, guessed FROM plans WHERE account_id = $1 ORDER BY source_id',
        [account.id],
      );
      expect(plans.length).toBeGreaterThanOrEqual(2);
      expect(plans.every((p) => p.guessed === true)).toBe(true);
      const [count] = (
        await computeMetrics({
          db: store.queryDb(),
          accountId: account.id,
          window: parseWindow('all', NOW),
          covered: await store.coveredKinds(account.id),
        })
      ).filter((m) => m.id === 'plans.count');
      expect(count).toMatchObject({
        value: 0,
        undetermined: plans.length,
        sampleSize: plans.length,
      });
    } finally {
      await sim.close();
    }
  });
});
