import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultRules } from '../../src/engine/index.js';
import { historyNeeded } from '../../src/jobs/history-needed.js';
import { takeSnapshot } from '../../src/jobs/take-snapshot.js';
import { parseWindow } from '../../src/metrics/window.js';
import type { Store } from '../../src/store/store.js';
import { generateSite } from './account.js';
import { fakeJsm, type FakeIssue, type Raw } from './fake.js';
import { BASE, NOW, ids, sorted, syncJsm } from './helpers.js';
import { memoryStore } from '../helpers/store-template.js';
import { syncScenarios } from '../helpers/helpdesk-fake.js';

/**
 * A sync of a few thousand issues through a Jira Service Management site served as its references
 * document it, then a snapshot: the metric ids the DESIGN lists, each recomputed here from the
 * site's data with the DESIGN's definition (not with the connector's mappers).
 */
const site = generateSite({ issues: 3000, now: NOW, seed: 7 });
const WINDOW = '90d';
const window = parseWindow(WINDOW, NOW, NOW);
const needed = historyNeeded(WINDOW, NOW, NOW)!;

const inWindow = (t: number) => t <= window.to.getTime() && t > window.from!.getTime();
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2;
};
const ms = (d: unknown) => (d as { epochMillis: number }).epochMillis;
/** The issues the site holds from the history the snapshot needs. */
const held = site.issues.filter((i) => i.updated >= needed.getTime());
const created = held.filter((i) => inWindow(i.created));
const cycles = (v: Raw | undefined) => [
  ...((v?.completedCycles as Raw[] | undefined) ?? []).map((c) => ({ c, ongoing: false })),
  ...(v?.ongoingCycle ? [{ c: v.ongoingCycle as Raw, ongoing: true }] : []),
];
const reopened = (i: FakeIssue) =>
  i.histories.some((h) =>
    (h.items as Raw[]).some(
      (x) => x.field === 'status' && x.from === '5' && x.to !== '5' && x.to !== '6',
    ),
  );

function expected() {
  const frtMinutes = created.flatMap((i) => {
    const c = (i.firstResponse?.completedCycles as Raw[])[0];
    return c ? [(ms(c.stopTime) - i.created) / 60_000] : [];
  });
  const resolution = created
    .filter((i) => i.status.category === 'done' && i.resolved !== undefined)
    .map((i) => (i.resolved! - i.created) / 3_600_000);
  // SLA attainment: targets met / targets completed (met or breached) in the window.
  let met = 0;
  let done = 0;
  for (const i of held)
    for (const v of [i.firstResponse, i.resolution])
      for (const { c, ongoing } of cycles(v)) {
        const breached = c.breached === true || (ongoing && ms(c.breachTime) < NOW.getTime());
        if (ongoing && !breached) continue;
        const at = breached ? ms(c.breachTime) : ms(c.stopTime);
        if (!inWindow(at)) continue;
        done++;
        if (!breached) met++;
      }
  // Policies: one per service project whose issues carry goals; the urgent first-reply target is
  // the goal most of each project's 500 latest urgent issues carry, the tightest across projects.
  const urgent = site.desks.map((d) => {
    const latest = site.issues
      .filter((i) => i.project === d.projectKey)
      .sort((a, b) => b.updated - a.updated || Number(b.id) - Number(a.id))
      .slice(0, 500)
      .filter((i) => i.priority === 'Highest');
    const counts = new Map<number, number>();
    for (const i of latest)
      for (const { c } of cycles(i.firstResponse)) {
        const g = (c.goalDuration as { millis: number }).millis / 60_000;
        counts.set(g, (counts.get(g) ?? 0) + 1);
      }
    return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  });
  const rated = held.filter((i) => i.satisfaction && inWindow(i.satisfaction.at));
  const good = rated.filter((i) => i.satisfaction!.rating >= 4);
  const activeAgents = new Set(
    Object.values(site.members)
      .flat()
      .filter((m) => m.accountType === 'atlassian' && m.active !== false)
      .map((m) => m.accountId),
  );
  const teams = new Set(held.filter((i) => i.team).map((i) => i.team!.id));
  const forms = site.desks.reduce((n, d) => n + d.requestTypes.length, 0);
  return {
    'tickets.count': [created.length, created.length],
    'tickets.first_response_minutes.median': [median(frtMinutes), frtMinutes.length],
    'tickets.resolution_hours.median': [median(resolution), resolution.length],
    'tickets.reopen_rate': [created.filter(reopened).length / created.length, created.length],
    'sla.attainment': [met / done, done],
    'sla.policies.count': [site.desks.length, site.desks.length],
    'sla.first_response_target_minutes.urgent': [Math.min(...urgent), undefined],
    'groups.count': [teams.size, teams.size],
    'agents.count': [activeAgents.size, activeAgents.size],
    'organisations.count': [site.organisations.length, site.organisations.length],
    'automations.count': [forms, forms],
    'csat.score': [good.length / rated.length, rated.length],
    'csat.answered.count': [rated.length, rated.length],
  } as Record<string, [number, number | undefined]>;
}

/** What the store must hold for the account: exactly the source's records. */
function expectedIds() {
  return {
    tickets: sorted(held.map((i) => i.id)),
    groups: sorted([...new Set(held.filter((i) => i.team).map((i) => i.team!.id))]),
    agents: sorted([
      ...new Set(
        Object.values(site.members)
          .flat()
          .filter((m) => m.accountType === 'atlassian')
          .map((m) => m.accountId),
      ),
    ]),
    organisations: sorted(site.organisations.map((o) => o.id)),
    sla_policies: ['sla:HR', 'sla:IT'],
    satisfaction_ratings: sorted(held.filter((i) => i.satisfaction).map((i) => i.id)),
    sla_outcomes: sorted(
      held.flatMap((i) =>
        (
          [
            ['first_reply_time', i.firstResponse],
            ['resolution_time', i.resolution],
          ] as const
        ).flatMap(([metric, v]) => cycles(v).map((_, k) => `${i.id}:${metric}:${k + 1}`)),
      ),
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

describe('a Jira Service Management site of 3000 issues, synced and snapshotted', () => {
  it('gives the DESIGN metrics with the DESIGN definitions', async () => {
    const fake = fakeJsm(BASE, site);
    const a = await store.createAccount('clean', 'jsm');
    const outcomes = await syncJsm(store, a, { historyFrom: needed });
    expect(
      outcomes.filter((o) => !o.ok || o.unavailable).map((o) => o.error?.message ?? o.unavailable),
    ).toEqual([]);
    expect(await stored(store, a.id)).toEqual(expectedIds());
    // The 250 issues a bulk update left on one minute were read by following nextPageToken.
    expect(
      fake.stats.searches.some((q) => q.nextPageToken && /ORDER BY updated ASC/.test(q.jql!)),
    ).toBe(true);
    // Changelogs longer than the search inlines were read per issue.
    expect(fake.stats.byPath['/rest/api/3/issue/{id}/changelog']).toBeGreaterThan(0);
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
      if (n !== undefined) expect(got[id]!.sampleSize, id).toBe(n);
    }
    // Not delivered by Jira Service Management: unknown, never zero.
    for (const id of [
      'tickets.reassignment_rate',
      'tickets.fcr_rate',
      'kb.articles.count',
      'plans.count',
      // Only answers are listed, and licence groups say nothing of teams.
      'csat.response_rate',
      'agents.multi_group_share',
    ])
      expect(got[id], id).toBeUndefined();
  });

  syncScenarios(() => store, {
    connector: 'jsm',
    fake: (f) => {
      const fake = fakeJsm(BASE, site, f ?? {});
      return { faults: fake.stats.faults, positions: () => fake.stats.searches.map((q) => q.jql) };
    },
    sync: (s, a, o) => syncJsm(s, a, { historyFrom: needed, ...o }),
    stored,
    expected: expectedIds,
  });
});
