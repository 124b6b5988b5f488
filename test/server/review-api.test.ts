import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrganisation } from '../../src/demo/generate-org.js';
import { profiles } from '../../src/demo/profiles.js';
import { importRecords } from '../../src/jobs/import-records.js';
import { Problem } from '../../src/server/problem.js';
import { backends } from '../helpers/backends.js';
import { apiHarness, importedAccount, rules, type Harness } from './harness.js';

const DAY = 86_400_000;

interface Layer {
  model: string;
  layer: string;
  level: number;
  fingerprint?: string;
  override?: { level: number; stale: boolean; by: string; token?: string };
  criteria: { id: string; status: string; attested?: boolean; attestation?: { by: string } }[];
}
interface Body {
  id: number;
  asOf: string;
  layers: Layer[];
  reviewed: { snapshotId: number };
}

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;

describe.each(backends)('review through the API on $name', (backend) => {
  let h: Harness;
  // The clock the server judges decisions by: moved forward to let attestations lapse.
  let clock = Date.now();

  /** Takes a snapshot through the API (in the server, no sync) and waits for it. */
  async function snapshot(account: string, asOf: string): Promise<number> {
    const res = await h.call('POST', `/api/v1/accounts/${account}/snapshots`, {
      body: { asOf, sync: false },
    });
    expect(res.statusCode, res.body).toBe(202);
    let job = json<{ state: string; location: string; result?: { snapshotId: number } }>(res);
    while (job.state === 'queued' || job.state === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      job = json(await h.call('GET', job.location));
    }
    expect(job.state, JSON.stringify(job)).toBe('done');
    return job.result!.snapshotId;
  }
  const latest = async (account: string, as: 'viewer' | 'admin' = 'viewer') => {
    const res = await h.call('GET', `/api/v1/accounts/${account}/snapshots/latest`, { as });
    expect(res.statusCode, res.body).toBe(200);
    return json<Body>(res);
  };
  const auditRows = async (account: string) =>
    parse((await h.call('GET', `/api/v1/accounts/${account}/audit.csv`, { as: 'viewer' })).body, {
      columns: true,
    }) as Record<string, string>[];

  beforeAll(async () => {
    h = await apiHarness(backend, { now: () => new Date(clock) });
    await importedAccount(h.store, 'acme', { profile: 'structured' });
  });
  afterAll(async () => h?.close());

  it('reads snapshots judged with the decisions: latest, by id, the diff in words', async () => {
    const before = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
    const first = await snapshot('acme', before);
    const none = await h.call('GET', `/api/v1/accounts/acme/snapshots/${first}/diff`);
    expect(none.statusCode).toBe(404);
    expect(Problem.parse(json(none)).code).toBe('E_NO_SNAPSHOT');
    const second = await snapshot('acme', new Date().toISOString().slice(0, 10));
    const body = await latest('acme');
    expect(body).toMatchObject({ id: second, reviewed: { snapshotId: second } });
    const byId = json<Body>(await h.call('GET', `/api/v1/accounts/acme/snapshots/${first}`));
    expect(byId.id).toBe(first);
    const diff = json<{ from: { id: number }; to: { id: number }; lines: string[] }>(
      await h.call('GET', `/api/v1/accounts/acme/snapshots/${second}/diff`, { as: 'viewer' }),
    );
    expect(diff).toMatchObject({ from: { id: first }, to: { id: second } });
    expect(diff.lines.length).toBeGreaterThan(0);
    const against = json<{ from: { id: number }; to: { id: number } }>(
      await h.call('GET', `/api/v1/accounts/acme/snapshots/${first}/diff`, {
        query: { against: String(second) },
      }),
    );
    expect(against).toMatchObject({ from: { id: first }, to: { id: second } });
    const missing = await h.call('GET', '/api/v1/accounts/acme/snapshots/999999');
    expect(missing.statusCode).toBe(404);
    expect(Problem.parse(json(missing)).detail).toMatch(/no snapshot #999999/);
    const actions = json<{ text: string; unlocks: number }[]>(
      await h.call('GET', '/api/v1/accounts/acme/actions', { as: 'viewer' }),
    );
    expect(actions.length).toBeGreaterThan(0);
    // B's ranking, as the module gives it for the reviewed latest snapshot.
    const { rankActions } = await import('../../src/review/actions.js');
    const { RuleIndex } = await import('../../src/review/conditions.js');
    const { reviewedSnapshot } = await import('../../src/review/reviewed.js');
    const expected = rankActions(
      await reviewedSnapshot(h.store, 'acme', { rules, now: new Date(clock) }),
      new RuleIndex(rules),
    );
    expect(actions.map((a) => a.text)).toEqual(expected.map((a) => a.text));
  });

  it('records an attestation by the token it came through; it counts until it expires', async () => {
    const pending = json<{ model: string; criterionId: string; byReviewer: boolean }[]>(
      await h.call('GET', '/api/v1/accounts/acme/decisions/pending', { as: 'viewer' }),
    );
    const target = pending.find((p) => p.byReviewer)!;
    expect(target).toBeDefined();
    const viewerTry = await h.call('POST', '/api/v1/accounts/acme/decisions/attest', {
      as: 'viewer',
      body: { criterion: target.criterionId, model: target.model, reason: 'seen it' },
    });
    expect(viewerTry.statusCode).toBe(403);

    const expires = new Date(clock + 2 * DAY).toISOString().slice(0, 10);
    const made = await h.call('POST', '/api/v1/accounts/acme/decisions/attest', {
      as: 'reviewer',
      body: {
        criterion: target.criterionId,
        model: target.model,
        reason: 'the strategy document was shown in the review',
        expires,
        evidence: 'https://intranet.example/strategy.pdf',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const decision = json<{ id: number; actor: string; token: string; kind: string }>(made);
    expect(decision).toMatchObject({ kind: 'attest', actor: 'reviewer-1', token: 'reviewer-1' });

    const counted = (b: Body) =>
      b.layers.flatMap((l) => l.criteria).find((c) => c.id === target.criterionId)!;
    expect(counted(await latest('acme'))).toMatchObject({ status: 'met', attested: true });
    const row = (await auditRows('acme')).find((r) => r.id === String(decision.id));
    expect(row).toMatchObject({ kind: 'attest', by: 'reviewer-1', token: 'reviewer-1' });

    // Three days on, it has lapsed: the criterion is unknown again, the decision expired.
    clock += 3 * DAY;
    try {
      expect(counted(await latest('acme')).attested).toBeFalsy();
      expect(counted(await latest('acme')).status).toBe('unknown');
      const listed = json<{ id: number; state: string }[]>(
        await h.call('GET', '/api/v1/accounts/acme/decisions'),
      );
      expect(listed.find((d) => d.id === decision.id)?.state).toBe('expired');
    } finally {
      clock -= 3 * DAY;
    }
  });

  it('refuses a decision with a bad field, naming it, and stores nothing', async () => {
    const rows = (await auditRows('acme')).length;
    const cases: [unknown, RegExp][] = [
      [{ criterion: 'yearly-support-goals', reason: '' }, /reason/],
      [
        { criterion: 'yearly-support-goals', reason: 'x', expires: '2001-01-01' },
        /expires must be in the future/,
      ],
      [
        { criterion: 'yearly-support-goals', reason: 'x', expires: '2090-01-01' },
        /expires must be no later than/,
      ],
      [{ criterion: 'no-such-criterion', reason: 'x' }, /no-such-criterion/],
      [{ criterion: 'yearly-support-goals', reason: 'x', surprise: true }, /surprise/],
    ];
    for (const [body, message] of cases) {
      const res = await h.call('POST', '/api/v1/accounts/acme/decisions/attest', {
        as: 'reviewer',
        body,
      });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const p = Problem.parse(json(res));
      expect(p.code).toBe('E_INPUT');
      expect(p.detail, JSON.stringify(body)).toMatch(message);
    }
    expect(await auditRows('acme')).toHaveLength(rows);
  });

  it('keeps an override across snapshots, stale exactly where the evidence changed; a revoke adds an audit row', async () => {
    await importedAccount(h.store, 'beta', { profile: 'bootstrap', tickets: 200, seed: 11 });
    const day = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
    await snapshot('beta', day(3));
    const then = await latest('beta');
    const ftworks = then.layers.filter((l) => l.model === 'ftworks');
    const ids: number[] = [];
    for (const l of ftworks) {
      const res = await h.call('POST', '/api/v1/accounts/beta/decisions/override', {
        as: 'reviewer',
        body: {
          model: l.model,
          layer: l.layer,
          level: Math.min(l.level + 1, 5),
          reason: 'we know better',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(json<{ id: number }>(res).id);
    }
    const check = (b: Body) => {
      for (const l of b.layers.filter((x) => x.model === 'ftworks')) {
        const was = ftworks.find((x) => x.layer === l.layer)!;
        expect(l.override, l.layer).toMatchObject({
          level: Math.min(was.level + 1, 5),
          by: 'reviewer-1',
        });
        expect(l.override!.stale, l.layer).toBe(l.fingerprint !== was.fingerprint);
      }
    };
    // The next snapshot (same records) keeps every override.
    await snapshot('beta', day(2));
    check(await latest('beta'));
    // Much more evidence: some layers' criteria change, and their overrides go stale.
    const more = generateOrganisation(profiles.managed, {
      tickets: 600,
      now: new Date(),
      seed: 12,
    });
    await importRecords(h.store, 'beta', more);
    await snapshot('beta', day(1));
    const now = await latest('beta');
    check(now);
    expect(now.layers.some((l) => l.override?.stale)).toBe(true);

    const rows = await auditRows('beta');
    const revoked = await h.call('POST', `/api/v1/accounts/beta/decisions/${ids[0]}/revoke`, {
      as: 'reviewer',
      body: { reason: 'decided in error' },
    });
    expect(revoked.statusCode, revoked.body).toBe(201);
    const after = await auditRows('beta');
    expect(after).toHaveLength(rows.length + 1);
    expect(after.at(-1)).toMatchObject({
      kind: 'revoke',
      revokes: String(ids[0]),
      by: 'reviewer-1',
      reason: 'decided in error',
    });
    expect(after.find((r) => r.id === String(ids[0]))?.state).toBe('revoked');
    const again = await h.call('POST', `/api/v1/accounts/beta/decisions/${ids[0]}/revoke`, {
      as: 'reviewer',
      body: { reason: 'twice' },
    });
    expect(again.statusCode).toBe(400);
    expect(
      (await latest('beta')).layers.find(
        (l) => l.layer === ftworks[0]!.layer && l.model === 'ftworks',
      )?.override,
    ).toBeUndefined();
    const all = await h.call('GET', '/api/v1/audit.csv', { as: 'viewer' });
    expect(all.headers['content-type']).toMatch(/^text\/csv/);
    expect(all.body).toContain('decided in error');
  });

  it('serves the report as one HTML page, at the API and at the page address', async () => {
    for (const url of ['/api/v1/accounts/acme/report.html', '/accounts/acme/report.html']) {
      const res = await h.call('GET', url, { as: 'viewer' });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toMatch(/^<!doctype html>/i);
      expect(res.body).not.toMatch(/<script/i);
      expect((await h.call('GET', url, { as: 'none' })).statusCode).toBe(401);
    }
    expect((await h.call('GET', '/accounts/nobody/report.html')).statusCode).toBe(404);
    // The report `maturity report --format html` prints, for the snapshot asked for.
    const { loadReview } = await import('../../src/review/load.js');
    const { renderReportHtml } = await import('../../src/report/render-html.js');
    const first = json<{ id: number }[]>(
      await h.call('GET', '/api/v1/accounts/acme/snapshots'),
    )[0]!;
    const res = await h.call('GET', '/api/v1/accounts/acme/report.html', {
      query: { id: String(first.id) },
    });
    const expected = renderReportHtml(
      (await loadReview(h.store, 'acme', { rules, now: new Date(clock), id: first.id })).view,
    );
    expect(res.body).toBe(expected);
    const both = await h.call('GET', '/api/v1/accounts/acme/report.html', {
      query: { id: String(first.id), asOf: '2026-01-01' },
    });
    expect(both.statusCode).toBe(400);
  });

  it('says on the page and in the API when the window holds none of the tickets, all older', async () => {
    const tickets = [1, 3, 5].map((d) => ({
      sourceId: `t${d}`,
      createdAt: `2025-03-0${d}T10:00:00Z`,
      status: 'solved' as const,
      tags: [],
    }));
    await importRecords(h.store, 'oldco', { tickets });
    await snapshot('oldco', new Date(clock).toISOString().slice(0, 10));
    type Period = { period?: { earlier?: unknown } };
    const body = (await latest('oldco')) as Body & Period;
    expect(body.period?.earlier).toEqual({
      tickets: 3,
      first: '2025-03-01T10:00:00.000Z',
      last: '2025-03-05T10:00:00.000Z',
    });
    const page = await h.call('GET', '/accounts/oldco', { as: 'viewer' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/role="note">⚠ None of the 3 tickets stored falls in this window/);
    // A one-day window between its tickets holds none, but later ones exist: no such note.
    const res = await h.call('POST', '/api/v1/accounts/oldco/snapshots', {
      body: { asOf: '2025-03-02', window: '1d', sync: false },
    });
    expect(res.statusCode, res.body).toBe(202);
    let job = json<{ state: string; location: string; result?: { snapshotId: number } }>(res);
    while (job.state === 'queued' || job.state === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      job = json(await h.call('GET', job.location));
    }
    const mid = json<Body & Period>(
      await h.call('GET', `/api/v1/accounts/oldco/snapshots/${job.result!.snapshotId}`),
    );
    expect(mid.asOf.slice(0, 10)).toBe('2025-03-02');
    expect(mid.period?.earlier).toBeUndefined();
  });
});
