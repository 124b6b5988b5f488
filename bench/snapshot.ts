import { performance } from 'node:perf_hooks';
import type { Ticket } from '../src/domain/records.js';
import { loadDefaultRules } from '../src/engine/index.js';
import { takeSnapshot } from '../src/jobs/take-snapshot.js';
import { recordKinds } from '../src/domain/records.js';
import { peakMemory } from './peak-memory.js';
import { Store } from '../src/store/store.js';

export interface SnapshotBench {
  backend: string;
  tickets: number;
  seedSeconds: number;
  upsertPerSecond: number;
  /** The median of three snapshots in a row (the same day's snapshot replaced each time). */
  snapshotSeconds: number;
  /** All three, in the order taken: the first reads pages nothing has read since the load. */
  snapshotRuns: number[];
  /** One aggregate scan of the window's tickets: the floor any snapshot pays. */
  floorSeconds: number;
  peakRssMb: number;
  levels: string;
}

const AS_OF = '2026-06-30T12:00:00Z';

/**
 * Seeds `n` tickets (plus SLA outcomes and ratings for a share of them) with SQL, measures the
 * upsert path on a slice, then times three full snapshots in a row (90-day window) and samples
 * peak RSS.
 */
export async function benchSnapshot(
  backend: 'pglite' | 'postgres',
  n: number,
  url?: string,
): Promise<SnapshotBench> {
  const schema = `bench_${Date.now().toString(36)}`;
  const store = await Store.open(backend === 'postgres' ? { url: url!, schema } : {});
  const memory = peakMemory(50);
  try {
    const account = await store.createAccount('bench', 'records');
    const t0 = performance.now();
    // One year of history ending at the as-of date; a ticket every ~30 s.
    await store.dbForTests.query(
      `INSERT INTO tickets (account_id, source_id, created_at, solved_at, status, priority, channel, group_id, assignee_id,
                            reopen_count, reassignment_count, knowledge_linked, tags, first_response_minutes, agent_replies, sla_policy_id)
       SELECT $1, 't' || i, ts, ts + ((i % 97) || ' hours')::interval, CASE WHEN i % 50 = 0 THEN 'open' ELSE 'closed' END,
              (ARRAY['urgent','high','normal','low'])[1 + i % 4], (ARRAY['email','web','chat','phone'])[1 + i % 4],
              'g' || (i % 6), 'a' || (i % 120), (i % 23 = 0)::int, (i % 7 = 0)::int, i % 5 = 0, '{}'::text[],
              (i % 240)::float8, 1 + i % 3, 'sla' || (i % 3)
       FROM generate_series(1, $2::int) AS i, LATERAL (SELECT $3::timestamptz - (i * (365.0 * 86400 / $2) || ' seconds')::interval AS ts) x`,
      [account.id, n, AS_OF],
    );
    await store.dbForTests.query(
      `INSERT INTO sla_outcomes (account_id, source_id, ticket_id, metric, status, completed_at)
       SELECT account_id, source_id || '-frt', source_id, 'first_reply_time', CASE WHEN random() < 0.92 THEN 'met' ELSE 'breached' END,
              created_at + interval '1 hour'
       FROM tickets WHERE account_id = $1`,
      [account.id],
    );
    await store.dbForTests.query(
      `INSERT INTO satisfaction_ratings (account_id, source_id, ticket_id, score, created_at)
       SELECT account_id, 'r' || source_id, source_id, (ARRAY['offered','offered','offered','good','good','bad'])[1 + (abs(hashtext(source_id)) % 6)], solved_at
       FROM tickets WHERE account_id = $1 AND solved_at IS NOT NULL AND abs(hashtext(source_id)) % 3 = 0`,
      [account.id],
    );
    await store.dbForTests.query(
      `INSERT INTO groups (account_id, source_id, name) SELECT $1, 'g' || i, (ARRAY['Tier 1','Tier 2','Tier 3','Support Ops','Escalations','Billing'])[i + 1]
       FROM generate_series(0, 5) i`,
      [account.id],
    );
    await store.dbForTests.query(
      `INSERT INTO agents (account_id, source_id, role, group_ids, active) SELECT $1, 'a' || i, 'agent', ARRAY['g' || (i % 6)], true
       FROM generate_series(0, 119) i`,
      [account.id],
    );
    await store.dbForTests.exec('ANALYZE');
    await store.markCovered(account.id, [...recordKinds], 'bench');
    const seedSeconds = (performance.now() - t0) / 1000;

    // The page-by-page path connectors use: 20 pages of 1,000 tickets through upsert.
    const pageSize = 1000;
    const pages = 20;
    const t1 = performance.now();
    for (let p = 0; p < pages; p++) {
      const page: Ticket[] = Array.from({ length: pageSize }, (_, i) => ({
        sourceId: `u${p * pageSize + i}`,
        createdAt: new Date(Date.parse(AS_OF) - (p * pageSize + i) * 60_000).toISOString(),
        status: 'closed',
        priority: 'normal',
        channel: 'email',
        tags: ['bench'],
        reopenCount: 0,
      }));
      await store.upsert(account.id, 'tickets', page);
    }
    const upsertPerSecond = (pageSize * pages) / ((performance.now() - t1) / 1000);

    const rules = loadDefaultRules();
    const snapshotRuns: number[] = [];
    let snap: Awaited<ReturnType<typeof takeSnapshot>> | undefined;
    for (let i = 0; i < 3; i++) {
      const t2 = performance.now();
      snap = await takeSnapshot(store, account, { rules, asOf: AS_OF, window: '90d' });
      snapshotRuns.push((performance.now() - t2) / 1000);
    }
    const snapshotSeconds = [...snapshotRuns].sort((a, b) => a - b)[1]!;
    const t3 = performance.now();
    await store.dbForTests.query(
      `SELECT count(*), sum(first_response_minutes) FROM tickets
       WHERE account_id = $1 AND created_at <= $2::timestamptz AND created_at > $2::timestamptz - interval '90 days'`,
      [account.id, AS_OF],
    );
    const floorSeconds = (performance.now() - t3) / 1000;
    const levels = snap!.layers
      .filter((l) => l.model === 'ftworks')
      .map((l) => `${l.layer} ${l.level}`)
      .join(', ');
    return {
      backend,
      tickets: n,
      seedSeconds,
      upsertPerSecond,
      snapshotSeconds,
      snapshotRuns,
      floorSeconds,
      peakRssMb: memory.stop().peakRssMb,
      levels,
    };
  } finally {
    memory.stop();
    if (backend === 'postgres')
      await store.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await store.close();
  }
}
