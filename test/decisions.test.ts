import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { LayerSuggestion } from '../src/domain/evidence.js';
import { evidenceFingerprint, loadDefaultRules } from '../src/engine/index.js';
import { importRecords, parseRecordsDocument } from '../src/jobs/import-records.js';
import { takeSnapshot } from '../src/jobs/take-snapshot.js';
import {
  AUDIT_COLUMNS,
  auditCsv,
  listDecisions,
  pendingCriteria,
  recordDecision,
} from '../src/review/decisions.js';
import { reviewedSnapshot } from '../src/review/reviewed.js';
import { migrate } from '../src/store/migrate.js';
import type { Store } from '../src/store/store.js';
import { structuredTeam } from './fixtures/organisations.js';
import { backends } from './helpers/backends.js';

const rules = loadDefaultRules();
const AS_OF = '2026-06-30';
/** The clock of these tests: decisions are recorded "now", a little after the snapshot. */
const NOW = new Date('2026-07-02T09:00:00Z');
const dana = { name: 'Dana' };

/** The structured team of the fixtures, imported and snapshotted as of AS_OF. */
async function org(store: Store, records: object = structuredTeam()) {
  const { account } = await importRecords(store, 'org', parseRecordsDocument(records));
  await takeSnapshot(store, account, { asOf: AS_OF, window: '90d', rules });
  return account;
}

const layer = (ls: LayerSuggestion[], name: string) => ls.find((l) => l.layer === name)!;

describe('the evidence fingerprint of a layer', () => {
  it('fingerprints the statuses from data: values that cross no threshold and decisions leave it', () => {
    const base = [
      { id: 'a', status: 'met' as const },
      { id: 'b', status: 'unknown' as const },
    ];
    const fp = evidenceFingerprint('ftworks', 'offerings', base);
    expect(evidenceFingerprint('ftworks', 'offerings', [...base].reverse())).toBe(fp);
    // An attestation decides b: the evidence is the same.
    expect(
      evidenceFingerprint('ftworks', 'offerings', [
        base[0]!,
        { id: 'b', status: 'met', attested: true },
      ]),
    ).toBe(fp);
    // The data decides b, or a flips: another fingerprint.
    expect(
      evidenceFingerprint('ftworks', 'offerings', [base[0]!, { id: 'b', status: 'met' }]),
    ).not.toBe(fp);
    expect(
      evidenceFingerprint('ftworks', 'offerings', [{ id: 'a', status: 'unmet' }, base[1]!]),
    ).not.toBe(fp);
    expect(evidenceFingerprint('ftworks', 'processes', base)).not.toBe(fp);
  });
});

describe.each(backends)('review decisions on $name', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('moves every attestation recorded before decisions existed into the trail, losing nothing', async () => {
    store = await backend.open();
    const db = store.dbForTests;
    // The store as it was before 015: no decisions table, attestations in their own.
    await db.exec(`DROP TABLE decisions; DROP FUNCTION decisions_append_only();
      DELETE FROM schema_migrations WHERE version = '015_decisions.sql';`);
    const id = await store.ensureAccount('old', 'records');
    await db.query(
      `INSERT INTO attestations (account_id, model, criterion_id, value, by_whom, reason, at, expires_at)
       VALUES ($1, 'ftworks', 'yearly-support-goals', true, 'Ann', 'FY26 plan', '2026-01-05T10:00:00Z', NULL),
              ($1, 'ftworks', 'strategic-plan-in-place', false, 'Bob', NULL, '2026-02-01T08:00:00Z', '2026-12-31T23:59:59Z')`,
      [id],
    );
    expect(await migrate(db)).toEqual(['015_decisions.sql']);
    const trail = await store.decisions(id);
    expect(trail).toEqual([
      expect.objectContaining({
        kind: 'attest',
        actor: 'Ann',
        at: '2026-01-05T10:00:00.000Z',
        model: 'ftworks',
        criterionId: 'yearly-support-goals',
        inPlace: true,
        reason: 'FY26 plan',
        attestationId: expect.any(Number),
      }),
      expect.objectContaining({
        actor: 'Bob',
        criterionId: 'strategic-plan-in-place',
        inPlace: false,
        reason: expect.stringMatching(/no reason was recorded/),
        expiresAt: '2026-12-31T23:59:59.000Z',
      }),
    ]);
    expect(trail[0]!.expiresAt).toBeUndefined();
    // The old table is still there to read.
    expect(await db.query('SELECT count(*)::int AS n FROM attestations')).toEqual([{ n: 2 }]);
    // A migrated attestation counts as it did: from when it was made, for the rule's validity.
    const { account } = await importRecords(store, 'old', parseRecordsDocument(structuredTeam()));
    await takeSnapshot(store, account, { asOf: AS_OF, window: '90d', rules });
    const strategy = layer(
      (await reviewedSnapshot(store, 'old', { rules, now: NOW })).layers,
      'strategy',
    );
    expect(strategy.criteria.find((c) => c.id === 'yearly-support-goals')).toMatchObject({
      status: 'met',
      attestation: { by: 'Ann', reason: 'FY26 plan' },
    });
    expect(strategy.criteria.find((c) => c.id === 'strategic-plan-in-place')?.status).toBe('unmet');
  });

  it('keeps the trail append-only: no update, no delete, except with the account', async () => {
    store = await backend.open();
    await org(store);
    const d = await recordDecision(
      store,
      'org',
      { kind: 'attest', criterion: 'yearly-support-goals', reason: 'FY26 plan' },
      dana,
      { rules, now: NOW },
    );
    const db = store.dbForTests;
    await expect(
      db.query(`UPDATE decisions SET reason = 'other' WHERE id = $1`, [d.id]),
    ).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM decisions WHERE id = $1', [d.id])).rejects.toThrow(
      /append-only/,
    );
    expect(await store.removeAccount('org')).toBe(true);
    expect(await store.decisions()).toEqual([]);
  });

  it('counts an attestation from its since date, until it expires', async () => {
    store = await backend.open();
    const account = await org(store);
    // Recorded after the as-of date without `since`: not in that snapshot's view once a later
    // snapshot is the latest; with `since` before it, it counts there.
    await recordDecision(
      store,
      'org',
      {
        kind: 'attest',
        criterion: 'yearly-support-goals',
        reason: 'FY26 plan',
        since: '2026-01-01',
      },
      dana,
      { rules, now: NOW },
    );
    await recordDecision(
      store,
      'org',
      { kind: 'attest', criterion: 'job-ladder-and-onboarding', reason: 'HR handbook' },
      dana,
      { rules, now: NOW },
    );
    await takeSnapshot(store, account, { asOf: '2026-07-03', window: '90d', rules });
    const first = (await store.listSnapshots(account.id))[0]!;
    const earlier = await reviewedSnapshot(store, 'org', { id: first.id, rules, now: NOW });
    const status = (l: string, id: string) =>
      layer(earlier.layers, l).criteria.find((c) => c.id === id)?.status;
    expect(status('strategy', 'yearly-support-goals')).toBe('met');
    expect(status('people', 'job-ladder-and-onboarding')).toBe('unknown');
    // The latest snapshot counts both.
    const latest = await reviewedSnapshot(store, 'org', { rules, now: NOW });
    expect(latest.reviewed.snapshotId).not.toBe(first.id);
    expect(
      layer(latest.layers, 'people').criteria.find((c) => c.id === 'job-ladder-and-onboarding'),
    ).toMatchObject({
      status: 'met',
      attested: true,
      attestation: { by: 'Dana', reason: 'HR handbook' },
    });
    // Past its expiry (the rule's validity from when it was recorded), it no longer counts.
    const expired = await takeSnapshot(store, account, {
      asOf: '2027-07-10',
      window: 'all',
      rules,
    });
    const goals = layer(expired.layers, 'strategy').criteria.find(
      (c) => c.id === 'yearly-support-goals',
    )!;
    expect(goals.status).toBe('unknown');
    expect(goals.reason).toMatch(/an earlier attestation has expired/);
  });

  it('turns an override stale when the evidence behind the suggestion changes, not before', async () => {
    store = await backend.open();
    const account = await org(store);
    const d = await recordDecision(
      store,
      'org',
      { kind: 'override', layer: 'ftworks/offerings', level: 3, reason: 'board view' },
      dana,
      { rules, now: NOW },
    );
    expect(d).toMatchObject({ suggestedLevel: 2, fingerprint: expect.stringMatching(/^v1:/) });
    const seen = layer(
      (await reviewedSnapshot(store, 'org', { rules, now: NOW })).layers,
      'offerings',
    );
    expect(seen).toMatchObject({
      level: 2,
      override: { level: 3, levelName: 'Managed', stale: false },
    });
    // The next snapshot with the same evidence: the override holds, not stale.
    const next = await takeSnapshot(store, account, { asOf: '2026-07-05', window: '90d', rules });
    expect(layer(next.layers, 'offerings').override).toMatchObject({ level: 3, stale: false });
    // A second plan: plan-portfolio turns met, so the evidence behind the suggestion changed.
    const plans = structuredTeam().plans;
    const p2 = { ...plans[0]!, sourceId: 'p2', name: 'Premium', tier: 2 };
    await importRecords(store, 'org', parseRecordsDocument({ plans: [...plans, p2] }));
    const changed = await takeSnapshot(store, account, {
      asOf: '2026-07-06',
      window: '90d',
      rules,
    });
    const offerings = layer(changed.layers, 'offerings');
    expect(offerings.criteria.find((c) => c.id === 'plan-portfolio')?.status).toBe('met');
    expect(offerings.override).toMatchObject({ level: 3, stale: true, suggestedThen: 2 });
  });

  it('keeps the absent-metric reasons when judging a snapshot again; older snapshots without them still work', async () => {
    store = await backend.open();
    const account = await org(store);
    const stored = (await store.findSnapshot(account.id))!.body;
    expect(stored.absent?.['tickets.problem_linked_share']).toMatch(/never delivers/);
    const reason = (b: { layers: LayerSuggestion[] }) =>
      layer(b.layers, 'processes').criteria.find((c) => c.id === 'tickets-linked-to-problems')
        ?.reason;
    const again = await reviewedSnapshot(store, 'org', { rules, now: NOW });
    expect(reason(again)).toBe(reason(stored));
    expect(reason(again)).toMatch(/never delivers the tickets' problem field/);
    // A snapshot stored before bodies kept them: judged again all the same, with less to say.
    const { absent: _absent, ...older } = stored;
    await store.saveSnapshot(account.id, { ...older, asOf: '2026-07-01T00:00:00.000Z' });
    const old = await reviewedSnapshot(store, 'org', { rules, now: NOW });
    expect(old.asOf).toBe('2026-07-01T00:00:00.000Z');
    expect(reason(old)).toBe('no data for tickets.problem_linked_share');
  });

  it('revokes a decision once, with an audit row, and the decision no longer counts', async () => {
    store = await backend.open();
    await org(store);
    const ex = await recordDecision(
      store,
      'org',
      { kind: 'exempt', criterion: 'plan-portfolio', reason: 'one product', expires: '2027-01-31' },
      dana,
      { rules, now: NOW },
    );
    let offerings = layer(
      (await reviewedSnapshot(store, 'org', { rules, now: NOW })).layers,
      'offerings',
    );
    expect(offerings.blockers.map((c) => c.id)).not.toContain('plan-portfolio');
    const rv = await recordDecision(
      store,
      'org',
      { kind: 'revoke', decision: ex.id, reason: 'we sell two products now' },
      { name: 'Eve', token: 'ci-bot' },
      { rules, now: NOW },
    );
    expect(rv).toMatchObject({
      kind: 'revoke',
      revokes: ex.id,
      criterionId: 'plan-portfolio',
      token: 'ci-bot',
    });
    offerings = layer(
      (await reviewedSnapshot(store, 'org', { rules, now: NOW })).layers,
      'offerings',
    );
    expect(offerings.blockers.map((c) => c.id)).toContain('plan-portfolio');
    await expect(
      recordDecision(store, 'org', { kind: 'revoke', decision: ex.id, reason: 'again' }, dana, {
        rules,
        now: NOW,
      }),
    ).rejects.toThrow(`decision #${ex.id} is already revoked (by #${rv.id})`);
    expect(await listDecisions(store, 'org', { rules, now: NOW })).toEqual([]);
    const all = await listDecisions(store, 'org', { includeRevoked: true, rules, now: NOW });
    expect(all.map((d) => [d.id, d.state])).toEqual([
      [ex.id, 'revoked'],
      [rv.id, 'revoke'],
    ]);
  });

  it('exports the whole trail as CSV that parses back, row for row', async () => {
    store = await backend.open();
    await org(store);
    const o = { rules, now: NOW };
    await recordDecision(
      store,
      'org',
      {
        kind: 'attest',
        criterion: 'yearly-support-goals',
        reason: 'plan, "FY26"\nsigned',
        evidence: 'https://wiki.example/goals',
        since: '2026-01-01',
      },
      dana,
      o,
    );
    await recordDecision(
      store,
      'org',
      { kind: 'dispute', criterion: 'sla-policy-defined', reason: '=HYPERLINK("x")' },
      { name: 'Eve', token: 'reviewer-1' },
      o,
    );
    await recordDecision(
      store,
      'org',
      { kind: 'exempt', model: 'engagement', reason: 'no partner', expires: '2027-06-30' },
      dana,
      o,
    );
    await recordDecision(
      store,
      'org',
      { kind: 'override', layer: 'offerings', level: 1, reason: 'the SLA is not honoured' },
      dana,
      o,
    );
    await recordDecision(
      store,
      'org',
      { kind: 'revoke', decision: 1, reason: 'wrong team' },
      dana,
      o,
    );
    const csv = await auditCsv(store, 'org', o);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    const trail = await store.decisions();
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_COLUMNS]);
    expect(rows.map((r) => [Number(r.id), r.kind, r.by, r.token])).toEqual(
      trail.map((d) => [d.id, d.kind, d.actor, d.token ?? '']),
    );
    expect(rows[0]).toMatchObject({
      account: 'org',
      criterion: 'yearly-support-goals',
      decided: 'in place',
      reason: 'plan, "FY26"\nsigned',
      evidence: 'https://wiki.example/goals',
      since: '2026-01-01T00:00:00.000Z',
      state: 'revoked',
      revoked_by: String(trail[4]!.id),
    });
    // A reason a spreadsheet would run as a formula is kept as text.
    expect(rows[1]!.reason).toBe(`'=HYPERLINK("x")`);
    expect(rows[2]).toMatchObject({
      model: 'engagement',
      criterion: '(whole model)',
      decided: 'not applicable',
    });
    expect(rows[3]!.decided).toBe('level 1 (suggested 2)');
    expect(rows[4]).toMatchObject({ kind: 'revoke', revokes: String(trail[0]!.id) });
  });

  it('lists the criteria awaiting a decision, those that alone raise a level first, exempt ones left out', async () => {
    store = await backend.open();
    await org(store);
    const o = { rules, now: NOW };
    const before = await pendingCriteria(store, 'org', o);
    expect(before[0]).toMatchObject({ unlocks: true });
    expect(before.map((p) => p.criterionId)).toContain('yearly-support-goals');
    // Without a support partner, the partner ladder's rungs await nobody's decision.
    expect(before.some((p) => p.model === 'engagement')).toBe(false);
    expect(before.some((p) => p.model === 'support-model')).toBe(true);
    await recordDecision(
      store,
      'org',
      { kind: 'attest', criterion: 'yearly-support-goals', reason: 'FY26 plan' },
      dana,
      o,
    );
    await recordDecision(
      store,
      'org',
      {
        kind: 'exempt',
        model: 'support-model',
        reason: 'not our frame',
        expires: '2027-06-30',
      },
      dana,
      o,
    );
    const after = await pendingCriteria(store, 'org', o);
    expect(after.map((p) => p.criterionId)).not.toContain('yearly-support-goals');
    expect(after.some((p) => p.model === 'support-model')).toBe(false);
    expect(after.length).toBeLessThan(before.length);
  });
});
