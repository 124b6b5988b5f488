import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { servicenow } from '../../connectors/servicenow/index.js';
import { agentRoleNames } from '../../connectors/servicenow/streams/agents.js';
import { runSync } from '../../connectors/shared/run-sync.js';
import { computeMetrics } from '../../src/metrics/index.js';
import { parseWindow } from '../../src/metrics/window.js';
import type { Store } from '../../src/store/store.js';
import { storeSyncSink } from '../../src/store/sync-sink.js';
import {
  BASE,
  HIDDEN,
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
    await store.dbForTests.query<{ source_id: string }>(
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
          db: store.queryDb(),
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

  it('resumes a contract_sla pass killed half-way after the last sys_id it stored, with its start', async () => {
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
      sink: storeSyncSink(store, a.id),
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

    // Deleted while the sync is down: c3, which the killed pass had stored (page c2..c4), and c7
    // beyond it. Resuming at an offset (3) would now start at c6 and skip c5, then sweep it.
    tables.contract_sla = all.filter((id) => !['c1', 'c3', 'c7'].includes(id)).map(contract);
    seen.length = 0;
    const resumed = await sync(store, a, ['contract_sla']);
    expect(resumed[0]).toMatchObject({ ok: true, removed: 2 });
    // Pages of 3: the resumed pass reads after c4 (c5, c6, c8), not c2..c4 again.
    expect(seen.map((s) => [s.query.sysparm_query, s.query.sysparm_offset])).toEqual([
      ['sys_id>c4^ORDERBYsys_id', '0'],
    ]);
    // c3 was stored by this pass before the kill: it goes at the end of the next pass.
    expect(await ids(a.id, 'sla_policies')).toEqual(['c2', 'c3', 'c4', 'c5', 'c6', 'c8']);
    const next = await sync(store, a, ['contract_sla']);
    expect(next[0]).toMatchObject({ ok: true, removed: 1 });
    expect(await ids(a.id, 'sla_policies')).toEqual(['c2', 'c4', 'c5', 'c6', 'c8']);
  });

  it('skips and sweeps no row when another is deleted at the source between two pages of a pass', async () => {
    const a = await account();
    const slas = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
    const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];
    const tables: Record<string, Row[] | number> = {
      contract_sla: slas.map(contract),
      sys_user_has_role: users.map((u) => role(u)),
      sys_user_grmember: [],
    };
    const roles = `role.nameIN${agentRoleNames.join(',')}`; // the stream's own condition
    const seen: Seen[] = [];
    const requests: Record<string, number> = {};
    let deleteBetweenPages = false;
    tableApi(tables, seen, (req) => {
      const n = (requests[req.table] = (requests[req.table] ?? 0) + 1);
      if (!deleteBetweenPages || n !== 2) return;
      // Between the first page (c1..c3, u1..u3) and the second, c2 and u1 are deleted. With
      // offsets the second page would start one row late: c4 and u4 skipped, then swept.
      if (req.table === 'contract_sla')
        tables.contract_sla = slas.filter((id) => id !== 'c2').map(contract);
      if (req.table === 'sys_user_has_role')
        tables.sys_user_has_role = users.filter((u) => u !== 'u1').map((u) => role(u));
    });
    await sync(store, a, ['contract_sla', 'agents']);
    expect(await ids(a.id, 'sla_policies')).toEqual(slas);
    expect(await ids(a.id, 'agents')).toEqual(users);

    deleteBetweenPages = true;
    for (const k of Object.keys(requests)) delete requests[k];
    seen.length = 0;
    const during = await sync(store, a, ['contract_sla', 'agents']);
    // Nothing removed: c2 and u1 were read by this pass before they went; nothing was skipped.
    expect(during.map((o) => [o.stream, o.ok, o.removed])).toEqual([
      ['contract_sla', true, 0],
      ['agents', true, 0],
    ]);
    expect(await ids(a.id, 'sla_policies')).toEqual(slas);
    expect(await ids(a.id, 'agents')).toEqual(users);
    expect(
      seen.filter((s) => s.table === 'contract_sla').map((s) => s.query.sysparm_query),
    ).toEqual(['ORDERBYsys_id', 'sys_id>c3^ORDERBYsys_id', 'sys_id>c6^ORDERBYsys_id']);
    expect(
      seen.filter((s) => s.table === 'sys_user_has_role').map((s) => s.query.sysparm_query),
    ).toEqual([
      `${roles}^ORDERBYsys_id`,
      `${roles}^sys_id>r-u3-itil^ORDERBYsys_id`,
      `${roles}^sys_id>r-u6-itil^ORDERBYsys_id`,
    ]);

    deleteBetweenPages = false;
    const after = await sync(store, a, ['contract_sla', 'agents']);
    expect(after.map((o) => [o.stream, o.removed])).toEqual([
      ['contract_sla', 1],
      ['agents', 1],
    ]);
    expect(await ids(a.id, 'sla_policies')).toEqual(slas.filter((id) => id !== 'c2'));
    expect(await ids(a.id, 'agents')).toEqual(users.filter((u) => u !== 'u1'));
  });

  it('goes on past short and empty pages (ACLs filter after the limit) until no rel="next"', async () => {
    const a = await account();
    // Pages of 3. c2, c3 and c4..c6 are hidden by ACLs: the first window returns c1 alone, the
    // next one nothing, yet both have a rel="next".
    const hidden = new Set(['c2', 'c3', 'c4', 'c5', 'c6']);
    const tables: Record<string, Row[] | number> = {
      contract_sla: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9'].map((id) => ({
        ...contract(id),
        ...(hidden.has(id) ? { [HIDDEN]: true } : {}),
      })),
    };
    const seen: Seen[] = [];
    tableApi(tables, seen);
    const [out] = await sync(store, a, ['contract_sla']);
    expect(out).toMatchObject({ ok: true, records: 4, removed: 0 });
    expect(await ids(a.id, 'sla_policies')).toEqual(['c1', 'c7', 'c8', 'c9']);
    // An empty window carries no sys_id to go on from: the same key, one window further.
    expect(seen.map((s) => [s.query.sysparm_query, s.query.sysparm_offset])).toEqual([
      ['ORDERBYsys_id', '0'],
      ['sys_id>c1^ORDERBYsys_id', '0'],
      ['sys_id>c1^ORDERBYsys_id', '3'],
      ['sys_id>c7^ORDERBYsys_id', '0'],
    ]);
    // The next pass sees the same rows: nothing swept.
    const [again] = await sync(store, a, ['contract_sla']);
    expect(again).toMatchObject({ ok: true, records: 4, removed: 0 });
    expect(await ids(a.id, 'sla_policies')).toEqual(['c1', 'c7', 'c8', 'c9']);
  });

  it('fails the pass, deleting nothing, when the instance ignores the sys_id key', async () => {
    const a = await account();
    tableApi({ contract_sla: ['c1', 'c2', 'c3', 'c4'].map(contract) });
    await sync(store, a, ['contract_sla']);
    nock.cleanAll();
    // An instance that ignores sys_id>…: every page starts again at c1.
    nock(BASE)
      .persist()
      .get('/api/now/table/contract_sla')
      .query(true)
      .reply(200, { result: ['c1', 'c2', 'c3'].map(contract) }, { 'X-Total-Count': '4' });
    const [out] = await sync(store, a, ['contract_sla']);
    expect(out!.ok).toBe(false);
    expect(out!.error?.message).toMatch(
      /contract_sla out of sys_id order \(ORDERBYsys_id or sys_id>c3 ignored\?\); refusing/,
    );
    expect(out!.removed).toBeUndefined();
    expect(await ids(a.id, 'sla_policies')).toEqual(['c1', 'c2', 'c3', 'c4']);
  });

  it('fails the pass, deleting nothing, when the instance answers nothing past the sys_id key', async () => {
    const a = await account();
    const all = ['c1', 'c2', 'c3', 'c4', 'c5'];
    tableApi({ contract_sla: all.map(contract) });
    await sync(store, a, ['contract_sla']);
    nock.cleanAll();
    // An instance that takes sys_id>… for an invalid condition and returns no rows (while
    // "greater than or is" works): the pass must not end after its first page and sweep c4, c5.
    const queries: string[] = [];
    nock(BASE)
      .persist()
      .get('/api/now/table/contract_sla')
      .query(true)
      .reply(function (uri) {
        const query = new URL(uri, BASE).searchParams.get('sysparm_query') ?? '';
        queries.push(query);
        const from = /sys_id(>=?)(\w+)/.exec(query);
        const rows = !from ? all : from[1] === '>=' ? all.filter((id) => id >= from[2]!) : [];
        return [
          200,
          { result: rows.slice(0, 3).map(contract) },
          { 'X-Total-Count': String(rows.length) },
        ];
      });
    const [out] = await sync(store, a, ['contract_sla']);
    expect(out!.ok).toBe(false);
    expect(out!.error?.message).toMatch(
      /no row of table contract_sla for sys_id>c3 while 3 rows are at or past sys_id c3: the key condition was not applied/,
    );
    expect(queries).toEqual([
      'ORDERBYsys_id',
      'sys_id>c3^ORDERBYsys_id',
      'sys_id>=c3^ORDERBYsys_id',
    ]);
    expect(out!.removed).toBeUndefined();
    expect(await ids(a.id, 'sla_policies')).toEqual(all);
  });
});
