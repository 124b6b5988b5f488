import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultRules } from '../../src/engine/index.js';
import { historyNeeded } from '../../src/jobs/history-needed.js';
import { takeSnapshot } from '../../src/jobs/take-snapshot.js';
import { computeEvidence } from '../../src/metrics/index.js';
import { parseWindow } from '../../src/metrics/window.js';
import type { Store } from '../../src/store/store.js';
import { generateAccount } from './account.js';
import { fakeFreshdesk } from './fake.js';
import { BASE, NOW, ids, sorted, syncFreshdesk } from './helpers.js';
import { memoryStore } from '../helpers/store-template.js';
import { syncScenarios } from '../helpers/helpdesk-fake.js';

/**
 * A sync of a few thousand tickets through a Freshdesk served as its reference documents it, then
 * a snapshot: the metric ids the DESIGN lists, each recomputed here from the Freshdesk data with
 * the DESIGN's definition (not with the connector's mappers).
 */
const account = generateAccount({ tickets: 3000, now: NOW, seed: 11 });
const WINDOW = '90d';
const window = parseWindow(WINDOW, NOW, NOW);
const needed = historyNeeded(WINDOW, NOW, NOW)!;

type Raw = Record<string, unknown> & { stats: Record<string, string | null> };
const ms = (t: unknown) => Date.parse(t as string);
const inWindow = (t: number) => t <= window.to.getTime() && t > window.from!.getTime();
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2;
};
/** The tickets the source lists (not deleted, not spam) from the history the snapshot needs. */
const held = (account.tickets as Raw[]).filter(
  (t) => !t.deleted && !t.spam && ms(t.updated_at) >= needed.getTime(),
);
const created = held.filter((t) => inWindow(ms(t.created_at)));

function expected() {
  const frt = created
    .filter((t) => t.stats.first_responded_at)
    .map((t) => (ms(t.stats.first_responded_at) - ms(t.created_at)) / 60_000);
  const resolution = created
    .filter((t) => (t.status === 4 || t.status === 5) && t.stats.resolved_at)
    .map((t) => (ms(t.stats.resolved_at) - ms(t.created_at)) / 3_600_000);
  // Reopen rate: customer requests (outbound email, source 10, is the team's own work).
  const requests = created.filter((t) => t.source !== 10);
  // SLA attainment: targets met / targets completed (met or breached) in the window.
  let met = 0;
  let done = 0;
  const judge = (due: unknown, at: string | null | undefined) => {
    const d = ms(due);
    const when = at ? (ms(at) <= d ? ms(at) : d) : NOW.getTime() > d ? d : undefined;
    if (when === undefined || !inWindow(when)) return;
    done++;
    if (at && ms(at) <= d) met++;
  };
  for (const t of held) {
    judge(t.fr_due_by, t.stats.first_responded_at);
    const resolved = t.status === 4 || t.status === 5;
    judge(t.due_by, resolved ? (t.stats.resolved_at ?? t.stats.closed_at) : undefined);
  }
  const ratings = account.ratings.filter((r) => inWindow(ms(r.created_at)));
  const good = ratings.filter(
    (r) => (r.ratings as { default_question: number }).default_question > 100,
  );
  const articles = Object.values(account.articles).flat();
  const published = articles.filter((a) => a.status === 2);
  const yearAgo = NOW.getTime() - 365 * 86_400_000;
  // Freshdesk's default policy counts once someone has edited it.
  const policies = account.slaPolicies.filter((p) => p.active !== false);
  const stock = policies.filter((p) => p.is_default && p.updated_at === p.created_at);
  return {
    'tickets.count': [created.length, created.length],
    'tickets.first_response_minutes.median': [median(frt), frt.length],
    'tickets.resolution_hours.median': [median(resolution), resolution.length],
    'tickets.reopen_rate': [
      requests.filter((t) => t.stats.reopened_at).length / requests.length,
      requests.length,
    ],
    'sla.attainment': [met / done, done],
    'sla.policies.count': [policies.length - stock.length, policies.length],
    'groups.count': [4, 4],
    'agents.count': [10, 10],
    'plans.count': [3, 3],
    'automations.count': [4, 4],
    'csat.score': [good.length / ratings.length, ratings.length],
    'csat.answered.count': [ratings.length, ratings.length],
    'kb.articles.count': [published.length, published.length],
    'kb.freshness': [
      published.filter((a) => ms(a.modified_at) > yearAgo).length / published.length,
      published.length,
    ],
  } as Record<string, [number, number]>;
}

/** What the store must hold for the account: exactly the source's records. */
function expectedIds() {
  const ticketIds = sorted(held.map((t) => t.id));
  return {
    tickets: ticketIds,
    groups: sorted(account.groups.map((g) => g.id)),
    agents: sorted(account.agents.map((a) => a.id)),
    organisations: sorted(account.companies.map((c) => c.id)),
    sla_policies: ['1', '2', '3'],
    kb_articles: sorted(
      Object.values(account.articles)
        .flat()
        .map((a) => a.id),
    ),
    satisfaction_ratings: sorted(
      account.ratings.filter((r) => ms(r.created_at) >= needed.getTime()).map((r) => r.id),
    ),
  };
}

async function stored(store: Store, accountId: number) {
  const out: Record<string, string[]> = {};
  for (const table of Object.keys(expectedIds())) out[table] = await ids(store, table, accountId);
  return out;
}

let store: Store;
beforeAll(async () => {
  store = await memoryStore();
  nock.disableNetConnect();
});
afterAll(async () => {
  nock.enableNetConnect();
  await store.close();
});
afterEach(() => nock.cleanAll());

describe('a Freshdesk account of 3000 tickets, synced and snapshotted', () => {
  it('gives the DESIGN metrics with the DESIGN definitions', async () => {
    const fake = fakeFreshdesk(BASE, account);
    const a = await store.createAccount('clean', 'freshdesk');
    const outcomes = await syncFreshdesk(store, a, { historyFrom: needed });
    expect(outcomes.filter((o) => !o.ok).map((o) => o.error?.message)).toEqual([]);
    expect(await stored(store, a.id)).toEqual(expectedIds());
    // The 250 tickets a bulk update left on one second were read by following the link header.
    expect(fake.stats.ticketQueries.some((q) => q.page === '2' && !q.filter)).toBe(true);
    const snap = await takeSnapshot(store, a, {
      rules: loadDefaultRules(),
      window: WINDOW,
      asOf: NOW,
      now: NOW,
    });
    const got = Object.fromEntries(snap.metrics.map((m) => [m.id, m]));
    for (const [id, [value, n]] of Object.entries(expected())) {
      expect(got[id], id).toBeDefined();
      expect(got[id]!.value, id).toBeCloseTo(value, 3);
      expect(got[id]!.sampleSize, id).toBe(n);
    }
    // Not delivered by Freshdesk's list: unknown, never zero.
    for (const id of ['tickets.reassignment_rate', 'tickets.fcr_rate', 'kb.linked_ticket_share'])
      expect(got[id], id).toBeUndefined();
    // Freshdesk lists only answered surveys: a response rate would always read 100%.
    expect(got['csat.response_rate']).toBeUndefined();
    const coverage = await store.coverage(a.id);
    const { absent } = await computeEvidence({
      db: store.queryDb(),
      accountId: a.id,
      window: parseWindow(WINDOW, NOW),
      covered: coverage.kinds,
      fields: coverage.fields,
    });
    expect(absent['csat.response_rate']).toMatch(/lists only answered surveys/);
  });

  syncScenarios(() => store, {
    connector: 'freshdesk',
    fake: (f) => {
      const fake = fakeFreshdesk(BASE, account, f ? { ...f, quota: 1_000_000 } : {});
      return {
        faults: fake.stats.faults,
        positions: () => fake.stats.ticketQueries.map((q) => q.updated_since),
      };
    },
    sync: (s, a, o) => syncFreshdesk(s, a, { historyFrom: needed, ...o }),
    stored,
    expected: expectedIds,
  });
});
