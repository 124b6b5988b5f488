import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/metrics/index.js';
import { parseWindow } from '../../src/metrics/window.js';
import { startZendeskSimulator, type ZendeskSimulator } from '../../src/simulator/index.js';
import type { Store } from '../../src/store/store.js';
import { CREDENTIALS, NOW, expectedRecords, ids, sorted, stored, syncZendesk } from './helpers.js';
import { memoryStore } from '../helpers/store-template.js';

/** The records the full-refresh streams must hold (everything but the incremental ones). */
function expected(sim: ZendeskSimulator): Record<string, string[]> {
  const { tickets: _t, sla_outcomes: _o, ...full } = expectedRecords(sim);
  return full;
}

async function metrics(store: Store, accountId: number): Promise<Record<string, number>> {
  const ms = await computeMetrics({
    db: store.queryDb(),
    accountId,
    window: parseWindow('all', NOW),
    covered: await store.coveredKinds(accountId),
  });
  return Object.fromEntries(ms.map((m) => [m.id, m.value]));
}

/** Removes the first item matching `pick` from a simulator list (the source deletes it). */
function removeAt<T>(list: T[], pick: (x: T) => boolean = () => true): T {
  const i = list.findIndex(pick);
  if (i < 0) throw new Error('nothing to remove');
  return list.splice(i, 1)[0]!;
}

const passStart = async (store: Store, accountId: number, stream: string) =>
  (
    await store.dbForTests.query<{ started: string | null }>(
      'SELECT run_started_at::text AS started FROM sync_state WHERE account_id = $1 AND stream = $2',
      [accountId, `zendesk:${stream}`],
    )
  )[0]?.started;

describe('full-refresh streams of the simulated Zendesk', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(async () => store.close());

  it('removes macros, articles, agents, organisations and ratings deleted at the source at the end of the next complete pass, and the counts drop', async () => {
    const sim = await startZendeskSimulator({
      profile: 'structured',
      tickets: 300,
      now: NOW,
      credentials: CREDENTIALS,
      seed: 3,
    });
    try {
      const account = await store.createAccount('deleted-at-source', 'zendesk');
      const first = await syncZendesk(store, account, { baseUrl: sim.url });
      expect(first.filter((o) => !o.ok).map((o) => o.error?.message)).toEqual([]);
      const want = expected(sim);
      expect(await stored(store, account.id, Object.keys(want))).toEqual(want);
      const before = await metrics(store, account.id);
      const ticketsBefore = await ids(store, 'tickets', account.id);

      const d = sim.data;
      // One of the team's macros (the standard ones Zendesk ships are not counted).
      const macro = removeAt(d.macros, (m) => m.active !== false && m.updated_at !== m.created_at);
      const article = removeAt(d.articles, (a) => !a.draft && !a.outdated);
      const agent = removeAt(
        d.users,
        (u) => u.role === 'agent' && u.active !== false && !u.suspended && u.role_type !== 1,
      );
      const organisation = removeAt(d.organizations);
      const rating = removeAt(d.satisfactionRatings);

      const second = await syncZendesk(store, account, { baseUrl: sim.url });
      expect(second.filter((o) => !o.ok).map((o) => o.error?.message)).toEqual([]);
      const removed = Object.fromEntries(second.map((o) => [o.stream, o.removed]));
      expect(removed).toEqual({
        groups: 0,
        agents: 1,
        'sla-policies': 0,
        organisations: 1,
        automations: 1,
        'kb-articles': 1,
        tickets: undefined,
        'sla-outcomes': undefined,
        'satisfaction-ratings': 1,
      });
      expect(await stored(store, account.id, Object.keys(want))).toEqual(expected(sim));
      expect(await ids(store, 'automations', account.id)).not.toContain(`macro-${macro.id}`);
      expect(await ids(store, 'kb_articles', account.id)).not.toContain(String(article.id));
      expect(await ids(store, 'agents', account.id)).not.toContain(String(agent.id));
      expect(await ids(store, 'organisations', account.id)).not.toContain(String(organisation.id));
      expect(await ids(store, 'satisfaction_ratings', account.id)).not.toContain(String(rating.id));
      // Incremental streams are not swept.
      expect(await ids(store, 'tickets', account.id)).toEqual(ticketsBefore);

      const after = await metrics(store, account.id);
      expect(after['automations.count']).toBe(before['automations.count']! - 1);
      expect(after['kb.articles.count']).toBe(before['kb.articles.count']! - 1);
      expect(after['organisations.count']).toBe(before['organisations.count']! - 1);
      expect(after['agents.count']).toBe(before['agents.count']! - 1);
      // Plans are derived again from the organisations that are left.
      const plans = await store.dbForTests.query<{ n: number }>(
        'SELECT sum(customer_count)::int AS n FROM plans WHERE account_id = $1',
        [account.id],
      );
      expect(plans[0]!.n).toBe(d.organizations.length);
      for (const s of ['automations', 'organisations', 'agents', 'kb-articles'])
        expect(await passStart(store, account.id, s)).toBeNull();
    } finally {
      await sim.close();
    }
  });

  it("reads ratings only from the snapshot window's start, and keeps the older ones it holds", async () => {
    const sim = await startZendeskSimulator({
      profile: 'structured',
      tickets: 400,
      now: NOW,
      credentials: CREDENTIALS,
      seed: 8,
    });
    try {
      const account = await store.createAccount('ratings-window', 'zendesk');
      const streams = ['satisfaction-ratings'];
      const start = new Date(NOW.getTime() - 30 * 86_400_000);
      const createdFrom = (from: Date) =>
        sim.data.satisfactionRatings
          .filter((r) => Date.parse(String(r.created_at)) >= from.getTime())
          .map((r) => String(r.id));
      const all = sim.data.satisfactionRatings.map((r) => String(r.id));
      const recent = createdFrom(start);
      expect(recent.length).toBeGreaterThan(0);
      expect(recent.length).toBeLessThan(all.length);

      // A 30-day snapshot's sync asks only for the ratings of those 30 days.
      const config = { since: undefined };
      const windowed = await syncZendesk(store, account, {
        baseUrl: sim.url,
        streams,
        config,
        historyFrom: start,
      });
      expect(windowed[0]!.ok).toBe(true);
      expect(await ids(store, 'satisfaction_ratings', account.id)).toEqual(sorted(recent));
      expect((await store.coverage(account.id)).historyFrom.get('satisfactionRatings')).toEqual(
        start,
      );

      // All history, then the 30-day window again: the older ratings stay, what the source
      // deleted within the window goes.
      await syncZendesk(store, account, { baseUrl: sim.url, streams, config, historyFrom: null });
      expect(await ids(store, 'satisfaction_ratings', account.id)).toEqual(sorted(all));
      const gone = removeAt(
        sim.data.satisfactionRatings,
        (r) => Date.parse(String(r.created_at)) >= start.getTime(),
      );
      const again = await syncZendesk(store, account, {
        baseUrl: sim.url,
        streams,
        config,
        historyFrom: start,
      });
      expect(again[0]!.removed).toBe(1);
      expect(await ids(store, 'satisfaction_ratings', account.id)).toEqual(
        sorted(all.filter((id) => id !== String(gone.id))),
      );
      expect(
        (await store.coverage(account.id)).historyFrom.get('satisfactionRatings'),
      ).toBeUndefined();
    } finally {
      await sim.close();
    }
  });

  it('sweeps nothing when a pass is killed, and a resumed pass keeps its start: what still exists at the source stays', async () => {
    const sim = await startZendeskSimulator({
      profile: 'structured',
      tickets: 50,
      now: NOW,
      credentials: CREDENTIALS,
      seed: 5,
    });
    try {
      const account = await store.createAccount('killed-full-pass', 'zendesk');
      const streams = ['organisations'];
      expect((await syncZendesk(store, account, { baseUrl: sim.url, streams }))[0]!.ok).toBe(true);
      const orgs = sim.data.organizations;
      expect(orgs.length).toBeGreaterThan(200); // three pages of 100
      expect(await ids(store, 'organisations', account.id)).toHaveLength(orgs.length);

      // Deleted before the pass starts, on its first page.
      const early = orgs.splice(10, 1)[0]!;
      const kill = new AbortController();
      const killed = await syncZendesk(store, account, {
        baseUrl: sim.url,
        streams,
        signal: kill.signal,
        onProgress: (p) => {
          if (p.stream === 'organisations' && p.pages === 1) kill.abort();
        },
      });
      expect(killed[0]).toMatchObject({ ok: false, pages: 1 });
      expect(killed[0]!.removed).toBeUndefined();
      // The killed pass deleted nothing, not even what is gone at the source.
      expect(await ids(store, 'organisations', account.id)).toContain(String(early.id));
      expect(await ids(store, 'organisations', account.id)).toHaveLength(orgs.length + 1);
      const started = await passStart(store, account.id, 'organisations');
      expect(started).toEqual(expect.any(String));
      const firstPage = sorted(orgs.slice(0, 100).map((o) => o.id));

      // Deleted while the sync is down, on a page the resumed pass has still to read.
      const late = orgs.splice(250, 1)[0]!;
      const requests = sim.stats.byPath['/api/v2/organizations'] ?? 0;
      const resumed = await syncZendesk(store, account, { baseUrl: sim.url, streams });
      expect(resumed[0]).toMatchObject({ ok: true, removed: 2 });
      // It read pages 2 and 3 only: the first page's organisations were stored by the killed
      // run and must survive the sweep because the pass kept its start.
      expect(sim.stats.byPath['/api/v2/organizations']! - requests).toBe(2);
      const now = await ids(store, 'organisations', account.id);
      expect(now).toEqual(sorted(orgs.map((o) => o.id)));
      expect(now).toEqual(expect.arrayContaining(firstPage));
      expect(now).not.toContain(String(early.id));
      expect(now).not.toContain(String(late.id));
      // Plan counts carried in the checkpoint cover both halves of the pass.
      const plans = await store.dbForTests.query<{ n: number }>(
        'SELECT sum(customer_count)::int AS n FROM plans WHERE account_id = $1',
        [account.id],
      );
      expect(plans[0]!.n).toBe(orgs.length);
      expect(await passStart(store, account.id, 'organisations')).toBeNull();
    } finally {
      await sim.close();
    }
  });

  it('keeps the last valid version of a record quarantined during the pass', async () => {
    const sim = await startZendeskSimulator({
      profile: 'structured',
      tickets: 50,
      now: NOW,
      credentials: CREDENTIALS,
      seed: 9,
    });
    try {
      const account = await store.createAccount('quarantined-full-pass', 'zendesk');
      const streams = ['automations', 'kb-articles'];
      await syncZendesk(store, account, { baseUrl: sim.url, streams });
      const macro = sim.data.macros[0]!;
      const article = sim.data.articles[0]!;
      // Still at the source, but now failing the vendor schemas.
      macro.active = 'maybe';
      article.created_at = 42;
      const gone = removeAt(sim.data.macros, (m) => m !== macro);
      const outcomes = await syncZendesk(store, account, { baseUrl: sim.url, streams });
      expect(outcomes.map((o) => [o.stream, o.quarantined, o.removed])).toEqual([
        ['automations', 1, 1],
        ['kb-articles', 1, 0],
      ]);
      const automations = await ids(store, 'automations', account.id);
      expect(automations).toContain(`macro-${macro.id}`);
      expect(automations).not.toContain(`macro-${gone.id}`);
      expect(await ids(store, 'kb_articles', account.id)).toContain(String(article.id));
    } finally {
      await sim.close();
    }
  });
});
