import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultRules } from '../../src/engine/index.js';
import { importServiceNowIncidents } from '../../src/jobs/import-servicenow-incidents.js';
import { takeSnapshot } from '../../src/jobs/take-snapshot.js';
import type { Store } from '../../src/store/store.js';
import { config, incidentRow, sync, tableApi, type Row } from './helpers.js';
import { memoryStore } from '../helpers/store-template.js';

/**
 * The same 40 incidents reach the store twice: through the Table API and through a list export
 * (CSV, instance date format, display labels). Both must give the same tickets and the same
 * evidence.
 */
const priorities = ['1 - Critical', '2 - High', '3 - Moderate', '4 - Low'];
const states = ['New', 'In Progress', 'Resolved', 'Closed'];
const channels = ['Email', 'Phone', 'Self-service', 'Walk-in'];

function incidents(): Row[] {
  return Array.from({ length: 40 }, (_, i) => {
    const opened = new Date(Date.UTC(2026, 4, 1 + (i % 28), 8 + (i % 9), (i * 7) % 60));
    const resolved =
      i % 4 >= 2 ? new Date(opened.getTime() + (2 + (i % 11)) * 3600_000) : undefined;
    const api = (d: Date | undefined) => (d ? d.toISOString().slice(0, 19).replace('T', ' ') : '');
    return incidentRow(i + 1, api(resolved ?? opened), {
      opened_at: api(opened),
      sys_created_on: api(opened),
      resolved_at: api(resolved),
      closed_at: i % 4 === 3 ? api(resolved) : '',
      priority: String((i % 4) + 1),
      incident_state: String([1, 2, 6, 7][i % 4]),
      state: String([1, 2, 6, 7][i % 4]),
      active: i % 4 < 2 ? 'true' : 'false',
      contact_type: ['email', 'phone', 'self-service', 'walk-in'][i % 4],
      reopen_count: String(i % 9 === 0 ? 1 : 0),
      reassignment_count: String(i % 3),
      knowledge: String(i % 5 === 0),
      made_sla: String(i % 6 !== 0),
      // An export shows what the list shows; these sample values read the same either way.
      assignment_group: `Group ${i % 3}`,
      assigned_to: i % 7 === 0 ? '' : `Resolver ${i % 5}`,
      resolved_by: i % 4 >= 2 ? `Resolver ${i % 6}` : '',
      company: `Company ${i % 2}`,
      category: i % 8 === 0 ? '' : `Category ${i % 4}`,
      location: `Location ${i % 3}`,
    });
  });
}

/** The export a user downloads from the incident list: d/m/yyyy HH:MM, labels, `?` for empty. */
function toCsv(rows: Row[]): string {
  const dmy = (s: unknown) => {
    if (!s) return '?';
    const d = new Date(`${String(s).replace(' ', 'T')}Z`);
    return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  };
  const header =
    'number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,opened_at,sys_updated_at,contact_type,priority,assignment_group,assigned_to,resolved_by,company,category,location,knowledge,resolved_at,closed_at,problem_id,rfc,caused_by';
  const lines = rows.map((r, i) =>
    [
      r.number,
      states[i % 4],
      r.active,
      r.reassignment_count,
      r.reopen_count,
      r.sys_mod_count,
      r.made_sla,
      dmy(r.opened_at),
      dmy(r.sys_updated_on),
      channels[i % 4],
      priorities[i % 4],
      r.assignment_group,
      r.assigned_to || '?',
      r.resolved_by || '?',
      r.company,
      r.category || '?',
      r.location,
      r.knowledge,
      dmy(r.resolved_at),
      dmy(r.closed_at),
      '?',
      '?',
      '?',
    ].join(','),
  );
  return [header, ...lines].join('\n');
}

const comparable = (t: Record<string, unknown>) => {
  const { source_id: _id, updated_at: _u, account_id: _a, synced_at: _s, ...rest } = t;
  return rest;
};

describe('ServiceNow: Table API and CSV export land in the same records and metrics', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
  });
  afterAll(async () => {
    nock.cleanAll();
    await store.close();
  });

  it('gives the same tickets and the same evidence either way', async () => {
    const rows = incidents();
    tableApi({ incident: rows, m2m_kb_task: [] });
    const api = await store.createAccount(
      'via-api',
      'servicenow',
      config() as unknown as Record<string, unknown>,
    );
    const outcomes = await sync(store, api, ['incident']);
    expect(outcomes.every((o) => o.ok)).toBe(true);

    const dir = mkdtempSync(path.join(tmpdir(), 'sn-both-'));
    const file = path.join(dir, 'incidents.csv');
    writeFileSync(file, toCsv(rows));
    const csv = await importServiceNowIncidents(store, file, { name: 'via-csv' });
    expect(csv.bad.count).toBe(0);

    const byNumber = async (accountId: number, key: 'sys_id' | 'number') => {
      const ts = await store.dbForTests.query<Record<string, unknown>>(
        'SELECT * FROM tickets WHERE account_id = $1 ORDER BY created_at, source_id',
        [accountId],
      );
      expect(ts).toHaveLength(40);
      return ts.map((t) => ({ key, ...comparable(t) }));
    };
    const a = await byNumber(api.id, 'sys_id');
    const c = await byNumber(csv.account.id, 'number');
    expect(c.map(({ key: _k, ...t }) => t)).toEqual(a.map(({ key: _k, ...t }) => t));
    const segments = await store.dbForTests.query<{ category: number; region: number }>(
      'SELECT count(category)::int AS category, count(region)::int AS region FROM tickets WHERE account_id = $1',
      [csv.account.id],
    );
    expect(segments).toEqual([{ category: 35, region: 40 }]);

    // Both vouch for the same ticket field families, and neither for tags.
    const families = async (accountId: number) =>
      [...((await store.coverage(accountId)).fields.get('tickets') ?? [])].sort();
    expect(await families(csv.account.id)).toEqual(await families(api.id));
    expect(await families(api.id)).not.toContain('tags');
    expect(await families(api.id)).toContain('region');

    const rules = loadDefaultRules();
    const asOf = '2026-06-30';
    const snapA = await takeSnapshot(store, await store.getAccount('via-api'), {
      rules,
      asOf,
      window: 'all',
    });
    const snapC = await takeSnapshot(store, await store.getAccount('via-csv'), {
      rules,
      asOf,
      window: 'all',
    });
    // Evidence from the tickets alone: the export also derives groups and people from its
    // incidents (the Table API reads them from their own tables, not synced here).
    const fromTickets = (m: (typeof snapA.metrics)[number]) =>
      (m.id.startsWith('tickets.') || m.id.startsWith('sla.') || m.id.startsWith('kb.')) &&
      !m.sources.some((s) => /^(agents|groups)\b/.test(s));
    const pick = (s: typeof snapA) =>
      Object.fromEntries(s.metrics.filter(fromTickets).map((m) => [m.id, m.value]));
    expect(pick(snapC)).toEqual(pick(snapA));
    expect(pick(snapA)['tickets.count']).toBe(40);
    expect(pick(snapA)['sla.attainment']).toBeCloseTo(33 / 40, 4);
  });
});
