import { performance } from 'node:perf_hooks';
import { zendesk } from '../connectors/zendesk/index.js';
import { loadDefaultRules } from '../src/engine/index.js';
import { connectAccount } from '../src/jobs/connect-account.js';
import { historyNeeded } from '../src/jobs/history-needed.js';
import { syncAccount } from '../src/jobs/sync-account.js';
import { takeSnapshot } from '../src/jobs/take-snapshot.js';
import { startZendeskSimulator } from '../src/simulator/index.js';
import { SecretBox } from '../src/store/secrets.js';
import { Store } from '../src/store/store.js';

export interface LimitsBench {
  tickets: number;
  windowDays: number;
  requests: { incremental: number; other: number; byPath: Record<string, number> };
  /** The fewest incremental-export requests the window needs (pages of 1,000 items since its start). */
  neededIncremental: number;
  firstStartIsWindowStart: boolean;
  minimumSeconds: number;
  seconds: number;
  rateLimited: number;
}

/**
 * The first snapshot of a `windowDays` window on a large account, with the simulator enforcing
 * Zendesk's documented per-minute limits (incremental exports 10 a minute, the rest 700): its time
 * against the minimum those limits allow for the requests it needs, and whether it asks for
 * anything the window does not need.
 */
export async function benchZendeskLimits(o: {
  tickets: number;
  days: number;
  windowDays: number;
  pgUrl?: string;
}): Promise<LimitsBench> {
  const sim = await startZendeskSimulator({
    profile: 'managed',
    tickets: o.tickets,
    days: o.days,
    seed: 7,
    realLimits: { incrementalPerMinute: 10, perMinute: 700 },
  });
  const schema = `lbench_${Date.now().toString(36)}`;
  const store = await Store.open(o.pgUrl ? { url: o.pgUrl, schema } : {});
  try {
    const box = new SecretBox('bench-secret-0123456789abcdef0123456789');
    const { account } = await connectAccount(store, zendesk, {
      name: 'limits',
      config: { subdomain: 'demo', baseUrl: sim.url },
      secret: sim.credentials,
      box,
    });
    const window = `${o.windowDays}d`;
    const from = historyNeeded(window, undefined)!;
    const before = { ...sim.stats.byPath };
    const limitedBefore = sim.stats.rateLimited;
    const t0 = performance.now();
    await syncAccount(store, account, { box, historyFrom: from });
    await takeSnapshot(store, account, { rules: loadDefaultRules(), window });
    const seconds = (performance.now() - t0) / 1000;
    let incremental = 0;
    let other = 0;
    const byPath: Record<string, number> = {};
    for (const [path, n] of Object.entries(sim.stats.byPath)) {
      const d = n - (before[path] ?? 0);
      if (d) byPath[path] = d;
      if (path.includes('/incremental/')) incremental += d;
      else other += d;
    }
    // Pages the window needs: items changed since its start, 1,000 a page, and the page that
    // says the export has ended.
    const start = from.getTime() / 1000;
    const tickets = sim.data.tickets.filter((t) => (t.generated_timestamp as number) >= start);
    const events = sim.data.metricEvents.filter((e) => Date.parse(String(e.time)) / 1000 >= start);
    const neededIncremental =
      Math.floor(tickets.length / 1000) + 1 + (Math.floor(events.length / 1000) + 1);
    // Each export's first request starts at the window start (later ones continue from it).
    const firsts = Object.values(sim.stats.startTimes).map((s) => s[0]);
    const minute = (n: number, perMinute: number) => Math.max(0, Math.ceil(n / perMinute) - 1) * 60;
    return {
      tickets: o.tickets,
      windowDays: o.windowDays,
      requests: { incremental, other, byPath },
      neededIncremental,
      firstStartIsWindowStart: firsts.length > 0 && firsts.every((s) => s === start),
      minimumSeconds: Math.max(minute(incremental, 10), minute(other, 700)),
      seconds,
      rateLimited: sim.stats.rateLimited - limitedBefore,
    };
  } finally {
    if (o.pgUrl)
      await store.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await store.close();
    await sim.close();
  }
}
