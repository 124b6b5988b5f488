import { describe, expect, it } from 'vitest';
import { servicenow } from '../../connectors/servicenow/index.js';
import { runSync } from '../../connectors/shared/run-sync.js';
import { computeMetrics } from '../../src/metrics/index.js';
import { parseWindow } from '../../src/metrics/window.js';
import type { Store } from '../../src/store/store.js';
import {
  config,
  fastClient,
  incidentRow,
  sync,
  tableApi,
  type Row,
  type Seen,
  useNockedStore,
} from './helpers.js';

let store: Store;
let n = 0;
const account = () => store.createAccount(`sn-full${n++}`, 'servicenow');
const ids = async (accountId: number, table: string) =>
  (
    await store.db.query<{ source_id: string }>(
      `SELECT source_id FROM ${table} WHERE account_id = $1 ORDER BY source_id`,
      [accountId],
    )
  ).map((r) => r.source_id);

const role = (user: string, name = 'itil'): Row => ({
  sys_id: `r-${user}-${name}`,
  user,
  'user.sys_id': user,
  'user.name': user.toUpperCase(),
  'user.active': 'true',
  'role.name': name,
});
const offering = (id: string): Row => ({
  sys_id: id,
  name: `Offering ${id}`,
  sys_created_on: '2025-01-01 00:00:00',
  sys_updated_on: '2025-01-01 00:00:00',
});
const contract = (id: string): Row => ({
  sys_id: id,
  name: `SLA ${id}`,
  type: 'SLA',
  target: 'resolution',
  duration: '1970-01-01 08:00:00',
  start_condition: 'priority=1',
  active: 'true',
  sys_created_on: '2025-01-01 00:00:00',
  sys_updated_on: '2025-01-01 00:00:00',
});

useNockedStore((s) => (store = s));

describe('full-refresh ServiceNow streams', () => {
  it('removes agents who lost their role, offerings and SLA definitions deleted at the source; incremental tables are not swept', async () => {
    const a = await account();
    const tables: Record<string, Row[] | number> = {
      incident: [incidentRow(1, '2026-02-01 10:00:00'), incidentRow(2, '2026-02-01 11:00:00')],
      m2m_kb_task: [],
      task_sla: [],
      contract_sla: ['c1', 'c2', 'c3', 'c4'].map(contract),
      kb_knowledge: [],
      sys_user_group: [],
      sys_user_has_role: [role('u1'), role('u2'), role('u3'), role('u3', 'admin')],
      sys_user_grmember: [],
      service_offering: ['o1', 'o2'].map(offering),
      service_subscribe_company: [],
      asmt_assessment_instance: [],
    };
    tableApi(tables);
    const first = await sync(store, a);
    expect(first.filter((o) => !o.ok || o.unavailable)).toEqual([]);
    expect(await ids(a.id, 'agents')).toEqual(['u1', 'u2', 'u3']);
    const agentsCount = async () =>
      (
        await computeMetrics({
          db: store.db,
          accountId: a.id,
          window: parseWindow('all', '2026-03-01'),
          covered: await store.coveredKinds(a.id),
        })
      ).find((m) => m.id === 'agents.count')?.value;
    expect(await agentsCount()).toBe(3);

    // At the source: u2 loses itil, offering o2 and SLA definition c3 are deleted, so is an
    // incident (incremental: deletions leave no trace there, the ticket stays).
    tables.sys_user_has_role = [role('u1'), role('u3'), role('u3', 'admin')];
    tables.service_offering = [offering('o1')];
    tables.contract_sla = ['c1', 'c2', 'c4'].map(contract);
    tables.incident = [incidentRow(1, '2026-02-01 10:00:00')];
    const second = await sync(store, a);
    expect(Object.fromEntries(second.map((o) => [o.stream, o.removed]))).toEqual({
      incident: undefined,
      task_sla: undefined,
      contract_sla: 1,
      service_offering: 1,
      kb_knowledge: undefined,
      sys_user_group: undefined,
      agents: 1,
      asmt_assessment_instance: undefined,
    });
    expect(await ids(a.id, 'agents')).toEqual(['u1', 'u3']);
    expect(await ids(a.id, 'plans')).toEqual(['o1']);
    expect(await ids(a.id, 'sla_policies')).toEqual(['c1', 'c2', 'c4']);
    expect(await ids(a.id, 'tickets')).toEqual(['inc0001', 'inc0002']);
    expect(await agentsCount()).toBe(2);
  });

  it('deletes nothing when a full table becomes unavailable; the next complete pass removes what went', async () => {
    const a = await account();
    const tables: Record<string, Row[] | number> = {
      service_offering: ['o1', 'o2', 'o3'].map(offering),
      service_subscribe_company: [],
      sys_user_has_role: [role('u1'), role('u2')],
      sys_user_grmember: [],
    };
    tableApi(tables);
    await sync(store, a, ['service_offering', 'agents']);
    expect(await ids(a.id, 'plans')).toEqual(['o1', 'o2', 'o3']);

    tables.service_offering = 403;
    tables.sys_user_has_role = 404;
    const down = await sync(store, a, ['service_offering', 'agents']);
    expect(down.map((o) => [o.stream, o.ok, Boolean(o.unavailable), o.removed])).toEqual([
      ['service_offering', true, true, undefined],
      ['agents', true, true, undefined],
    ]);
    // Evidence unknown (coverage dropped), records untouched.
    expect([...(await store.coveredKinds(a.id))]).toEqual([]);
    expect(await ids(a.id, 'plans')).toEqual(['o1', 'o2', 'o3']);
    expect(await ids(a.id, 'agents')).toEqual(['u1', 'u2']);

    tables.service_offering = [offering('o1'), offering('o3')];
    tables.sys_user_has_role = [role('u2')];
    const back = await sync(store, a, ['service_offering', 'agents']);
    expect(back.map((o) => [o.stream, o.removed])).toEqual([
      ['service_offering', 1],
      ['agents', 1],
    ]);
    expect(await ids(a.id, 'plans')).toEqual(['o1', 'o3']);
    expect(await ids(a.id, 'agents')).toEqual(['u2']);
    expect([...(await store.coveredKinds(a.id))].sort()).toEqual(['agents', 'plans']);
  });

  it('resumes a contract_sla pass killed half-way with its start: rows read before the kill stay', async () => {
    const a = await account();
    const all = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
    const tables: Record<string, Row[] | number> = { contract_sla: all.map(contract) };
    const seen: Seen[] = [];
    tableApi(tables, seen);
    await sync(store, a, ['contract_sla']);
    expect(await ids(a.id, 'sla_policies')).toEqual(all);

    // Deleted before the next pass starts.
    tables.contract_sla = all.filter((id) => id !== 'c1').map(contract);
    const kill = new AbortController();
    const killed = await runSync({
      store,
      account: a,
      connector: servicenow as never,
      config: config(),
      client: fastClient(),
      streams: ['contract_sla'],
      signal: kill.signal,
      onProgress: (p) => {
        if (p.pages === 1) kill.abort();
      },
    });
    expect(killed[0]).toMatchObject({ ok: false, pages: 1 });
    expect(await ids(a.id, 'sla_policies')).toEqual(all);

    // Deleted while the sync is down, beyond the page the killed pass stored (offset paging:
    // deleting before it would shift the pages, see the README).
    tables.contract_sla = all.filter((id) => id !== 'c1' && id !== 'c7').map(contract);
    seen.length = 0;
    const resumed = await sync(store, a, ['contract_sla']);
    expect(resumed[0]).toMatchObject({ ok: true, removed: 2 });
    // Pages of 3: the resumed pass reads from offset 3 on (c5, c6, c8), not c2..c4 again.
    expect(seen.map((s) => s.query.sysparm_offset)).toEqual(['3']);
    expect(await ids(a.id, 'sla_policies')).toEqual(['c2', 'c3', 'c4', 'c5', 'c6', 'c8']);
  });
});
