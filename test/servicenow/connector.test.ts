import { readdirSync } from 'node:fs';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  checkConnection,
  createServiceNowClient,
  fetchTablePage,
} from '../../connectors/servicenow/client.js';
import { keyConditions, startCursor } from '../../connectors/servicenow/streams/read-table.js';
import { incidentToTicket } from '../../connectors/servicenow/map-incident.js';
import { flattenRow } from '../../connectors/servicenow/values.js';
import { servicenow } from '../../connectors/servicenow/index.js';
import { runSync } from '../../connectors/shared/run-sync.js';
import { storeSyncSink } from '../../src/store/sync-sink.js';
import { connectAccount } from '../../src/jobs/connect-account.js';
import { takeSnapshot } from '../../src/jobs/take-snapshot.js';
import { loadDefaultRules } from '../../src/engine/index.js';
import { secretBoxFor } from '../../src/store/secrets.js';
import type { Store } from '../../src/store/store.js';
import { cliHome } from '../helpers/cli.js';
import {
  BASE,
  FIXTURES,
  config,
  fastClient,
  fixture,
  incidentRow,
  sync,
  tableApi,
  type Row,
  type Seen,
  useNockedStore,
  hasFixtures,
} from './helpers.js';

let store: Store;
let n = 0;
const account = () => store.createAccount(`sn${n++}`, 'servicenow');
const ids = async (accountId: number, table = 'tickets') =>
  (
    await store.dbForTests.query<{ source_id: string }>(
      `SELECT source_id FROM ${table} WHERE account_id = $1 ORDER BY source_id`,
      [accountId],
    )
  ).map((r) => r.source_id);

useNockedStore((s) => (store = s));

describe('the real ServiceNow samples', () => {
  it.skipIf(!hasFixtures)('knows every sample in the fixtures folder', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual([
      'error_401_user_not_authenticated.json',
      'error_429_rate_limit_exceeded.json',
      'stats_incident_avg_by_assignment_group.json',
      'table_incident_get_by_sys_id.json',
      'table_problem_list_limit1.json',
      'table_sys_user_has_role_dotwalk_display_value.json',
    ]);
  });

  it.skipIf(!hasFixtures)(
    'maps the documented incident (reference fields as {link, value})',
    () => {
      const { result } = fixture<{ result: Row }>('table_incident_get_by_sys_id.json');
      const r = incidentToTicket(flattenRow(result));
      expect(r).toEqual({
        ok: true,
        record: {
          sourceId: 'a9e30c7dc61122760116894de7bcc7bd',
          createdAt: '2015-11-02T22:04:15.000Z',
          updatedAt: '2015-11-01T22:37:27.000Z',
          priority: 'normal',
          status: 'new',
          channel: 'phone',
          groupId: '8a4dde73c6112278017a6a4baf547aa7',
          category: 'software',
          region: '105cf7f3c611227501e75e08b14a38ba',
          reassignmentCount: 1,
          knowledgeLinked: false,
          problemLinked: true,
          madeSla: false,
          tags: [],
        },
      });
    },
  );

  it.skipIf(!hasFixtures)(
    'reads the documented list page and the display-value dot-walk sample',
    async () => {
      nock(BASE)
        .get('/api/now/table/problem')
        .query(true)
        .reply(200, fixture('table_problem_list_limit1.json'), { 'X-Total-Count': '1' });
      const page = await fetchTablePage(fastClient(), {
        table: 'problem',
        fields: ['sys_id', 'number', 'opened_by', 'assignment_group', 'made_sla'],
        limit: 1,
        offset: 0,
      });
      expect(page).toMatchObject({ kind: 'page', total: 1, hasMore: false, missingFields: [] });
      if (page.kind !== 'page') throw new Error('page');
      expect(page.rows[0]).toMatchObject({
        number: 'PRB0000050',
        opened_by: 'glide.maint',
        made_sla: 'true',
      });
      expect(page.rows[0]!.assignment_group).toBeUndefined();

      const roles = fixture<{ result: Row[] }>(
        'table_sys_user_has_role_dotwalk_display_value.json',
      );
      const flat = roles.result.map(flattenRow);
      expect(flat[0]).toMatchObject({
        'user.sys_id': 'f5a3716d0f6002003a2d47bce1050ed4',
        user: 'Fred Johnson',
        role: 'support',
        'role.name': 'support',
      });
    },
  );
});

describe('connect servicenow', () => {
  const box = secretBoxFor('0'.repeat(64), '/tmp');
  const connect = (name: string, raw: Record<string, unknown> = {}) =>
    connectAccount(store, servicenow, {
      name,
      config: { instance: BASE, user: 'maturity.reader', ...raw },
      secret: { password: 'hunter2' },
      box,
      clientOptions: { sleep: async () => {}, backoffMs: 1 },
    });

  it('signs in with an OAuth refresh token: a new access token when the last one expires', async () => {
    const tokens: Record<string, string>[] = [];
    nock(BASE)
      .post('/oauth_token.do')
      .times(2)
      .reply(function (_uri, body) {
        tokens.push(Object.fromEntries(new URLSearchParams(body as string)));
        return [200, { access_token: `A${tokens.length}`, token_type: 'Bearer', expires_in: 1800 }];
      });
    const auth: string[] = [];
    nock(BASE)
      .get('/api/now/table/incident')
      .query(true)
      .times(3)
      .reply(function () {
        const a = String(this.req.headers.authorization);
        auth.push(a);
        // The first access token expires after one request.
        return a === 'Bearer A1' && auth.length > 1
          ? [401, { error: { message: 'User Not Authenticated', detail: null }, status: 'failure' }]
          : [200, { result: [{ sys_id: 'inc1' }] }];
      });
    const client = createServiceNowClient(
      config({ user: undefined, oauthClientId: 'cid' }),
      { oauthRefreshToken: 'r1', oauthClientSecret: 's1' },
      { sleep: async () => {}, backoffMs: 1 },
    );
    const read = () =>
      fetchTablePage(client, { table: 'incident', fields: ['sys_id'], limit: 1, offset: 0 });
    expect(await read()).toMatchObject({ kind: 'page', rows: [{ sys_id: 'inc1' }] });
    expect(await read()).toMatchObject({ kind: 'page', rows: [{ sys_id: 'inc1' }] });
    expect(auth).toEqual(['Bearer A1', 'Bearer A1', 'Bearer A2']);
    expect(tokens).toEqual([
      { grant_type: 'refresh_token', client_id: 'cid', client_secret: 's1', refresh_token: 'r1' },
      { grant_type: 'refresh_token', client_id: 'cid', client_secret: 's1', refresh_token: 'r1' },
    ]);

    // A refresh token the instance no longer takes: one sentence, the credentials to give again.
    nock.cleanAll();
    nock(BASE).post('/oauth_token.do').reply(401, { error: 'access_denied' });
    const revoked = createServiceNowClient(
      config({ user: undefined, oauthClientId: 'cid' }),
      { oauthRefreshToken: 'old', oauthClientSecret: 's1' },
      { sleep: async () => {}, backoffMs: 1 },
    );
    await expect(
      fetchTablePage(revoked, { table: 'incident', fields: ['sys_id'], limit: 1, offset: 0 }),
    ).rejects.toMatchObject({
      code: 'E_CONNECTOR_AUTH',
      message: expect.stringMatching(/refused the OAuth refresh token \(HTTP 401/),
    });
  });

  it('checks with one incident and stores the account', async () => {
    const seen: Seen[] = [];
    tableApi({ incident: [incidentRow(1, '2026-01-05 09:00:00')] }, seen);
    const { identity } = await connect('ok');
    expect(identity).toBe('maturity.reader on acme.service-now.com');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.query).toMatchObject({ sysparm_limit: '1', sysparm_fields: 'sys_id' });
    expect(await store.findAccount('ok')).toBeDefined();
  });

  it.each([
    ['http://acme.service-now.com', /--instance: must use https/],
    ['https://acme.service-now.com/now/nav', /--instance: must be the instance address only/],
    ['https://acme', /--instance: must name a host/],
    ['acme', /--instance: must be an https URL/],
  ])('refuses the instance URL %s', async (instance, message) => {
    await expect(connect('bad-url', { instance })).rejects.toThrow(message);
  });

  it.skipIf(!hasFixtures)(
    'says the credentials were rejected on 401, and stores nothing',
    async () => {
      nock(BASE)
        .get('/api/now/table/incident')
        .query(true)
        .reply(401, fixture('error_401_user_not_authenticated.json'));
      const err = (await connect('denied').catch((e: Error) => e)) as Error;
      expect(err.message).toBe(
        'ServiceNow at https://acme.service-now.com rejected the credentials (HTTP 401): check --user and --password',
      );
      expect(err.message).not.toMatch(/hunter2/);
      expect(await store.findAccount('denied')).toBeUndefined();
    },
  );

  it('says the instance may be asleep when it answers with HTML', async () => {
    nock(BASE)
      .get('/api/now/table/incident')
      .query(true)
      .reply(200, '<html><body>Your instance is hibernating</body></html>', {
        'Content-Type': 'text/html',
      });
    await expect(connect('asleep')).rejects.toThrow(
      /web page instead of the Table API's JSON: the instance may be hibernating/,
    );
    expect(await store.findAccount('asleep')).toBeUndefined();
  });

  it('says which role is missing when incidents are not readable', async () => {
    tableApi({ incident: 403 });
    await expect(connect('norole')).rejects.toThrow(/give it the itil role/);
  });
});

describe('sync through the Table API', () => {
  it('pages by key and loses nothing at an inclusive boundary shared by many records', async () => {
    const a = await account();
    // Seven incidents, five of them updated in the same second; pages of three.
    const rows = [
      incidentRow(1, '2026-02-01 10:00:00'),
      incidentRow(2, '2026-02-01 10:00:05'),
      incidentRow(3, '2026-02-01 10:00:05'),
      incidentRow(4, '2026-02-01 10:00:05'),
      incidentRow(5, '2026-02-01 10:00:05'),
      incidentRow(6, '2026-02-01 10:00:05'),
      incidentRow(7, '2026-02-01 10:00:09'),
    ];
    const seen: Seen[] = [];
    tableApi({ incident: rows, m2m_kb_task: [] }, seen);
    const [out] = await sync(store, a, ['incident']);
    expect(out).toMatchObject({ ok: true, records: 7 });
    expect(await ids(a.id)).toHaveLength(7);
    const incidentCalls = seen.filter((s) => s.table === 'incident');
    expect(incidentCalls[0]!.query.sysparm_query).toBe('ORDERBYsys_updated_on^ORDERBYsys_id');
    // The next page starts after the last (sys_updated_on, sys_id) read, not at an offset.
    expect(incidentCalls[1]!.query.sysparm_query).toBe(
      'sys_updated_on>=2026-02-01 10:00:05^sys_updated_on>2026-02-01 10:00:05^ORsys_id>inc0003^ORDERBYsys_updated_on^ORDERBYsys_id',
    );
    expect(incidentCalls.map((c) => c.query.sysparm_offset)).toEqual(['0', '0', '0']);
    expect(incidentCalls.every((c) => c.query.sysparm_display_value === 'false')).toBe(true);

    // Later: one record lands in the boundary second after we read it, one is updated.
    rows.push(incidentRow(8, '2026-02-01 10:00:09'));
    rows[0] = incidentRow(1, '2026-02-02 08:00:00', {
      incident_state: '6',
      resolved_at: '2026-02-02 08:00:00',
    });
    seen.length = 0;
    const [again] = await sync(store, a, ['incident']);
    expect(again!.ok).toBe(true);
    expect(seen.find((s) => s.table === 'incident')!.query.sysparm_query).toBe(
      'sys_updated_on>=2026-02-01 10:00:09^ORDERBYsys_updated_on^ORDERBYsys_id',
    );
    expect(await ids(a.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `inc000${i}`));
    const [solved] = await store.dbForTests.query<{ status: string }>(
      `SELECT status FROM tickets WHERE account_id = $1 AND source_id = 'inc0001'`,
      [a.id],
    );
    expect(solved!.status).toBe('solved');
    expect((await store.coveredKinds(a.id)).has('tickets')).toBe(true);
  });

  it('skips no record of the boundary second when another one of it is updated or deleted between two pages', async () => {
    const a = await account();
    const rows = [
      incidentRow(1, '2026-02-01 10:00:00'),
      incidentRow(2, '2026-02-01 10:00:05'),
      incidentRow(3, '2026-02-01 10:00:05'),
      incidentRow(4, '2026-02-01 10:00:05'),
      incidentRow(5, '2026-02-01 10:00:05'),
      incidentRow(6, '2026-02-01 10:00:05'),
      incidentRow(7, '2026-02-01 10:00:09'),
    ];
    const tables: Record<string, Row[]> = { incident: rows, m2m_kb_task: [] };
    const seen: Seen[] = [];
    let pages = 0;
    tableApi(tables, seen, (req) => {
      // After the first page (inc1..inc3): inc2 is updated (leaves the boundary second), inc3 is
      // deleted. An offset of 2 into the boundary second would now start at inc6: inc4 and inc5
      // would be skipped by this run and, the next run starting at 10:00:10, never read.
      if (req.table !== 'incident' || ++pages !== 2) return;
      tables.incident = rows
        .filter((r) => r.sys_id !== 'inc0003')
        .map((r) =>
          r.sys_id === 'inc0002'
            ? incidentRow(2, '2026-02-01 10:00:10', { incident_state: '6' })
            : r,
        );
    });
    const [out] = await sync(store, a, ['incident']);
    expect(out).toMatchObject({ ok: true, records: 8 }); // inc2 twice
    expect(await ids(a.id)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `inc000${i}`));
    const [updated] = await store.dbForTests.query<{ status: string }>(
      `SELECT status FROM tickets WHERE account_id = $1 AND source_id = 'inc0002'`,
      [a.id],
    );
    expect(updated!.status).toBe('solved');
    expect(seen.filter((s) => s.table === 'incident').map((s) => s.query.sysparm_query)).toEqual([
      'ORDERBYsys_updated_on^ORDERBYsys_id',
      'sys_updated_on>=2026-02-01 10:00:05^sys_updated_on>2026-02-01 10:00:05^ORsys_id>inc0003^ORDERBYsys_updated_on^ORDERBYsys_id',
      'sys_updated_on>=2026-02-01 10:00:05^sys_updated_on>2026-02-01 10:00:05^ORsys_id>inc0006^ORDERBYsys_updated_on^ORDERBYsys_id',
    ]);
  });

  it('marks incidents linked to knowledge through m2m_kb_task, including ones linked later', async () => {
    const a = await account();
    const links: Row[] = [{ sys_id: 'l1', task: 'inc0002', sys_created_on: '2026-02-01 00:00:00' }];
    tableApi({
      incident: [incidentRow(1, '2026-02-01 10:00:00'), incidentRow(2, '2026-02-01 10:00:01')],
      m2m_kb_task: links,
    });
    await sync(store, a, ['incident']);
    const linked = async () =>
      (
        await store.dbForTests.query<{ source_id: string }>(
          'SELECT source_id FROM tickets WHERE account_id = $1 AND knowledge_linked ORDER BY 1',
          [a.id],
        )
      ).map((r) => r.source_id);
    expect(await linked()).toEqual(['inc0002']);
    links.push({ sys_id: 'l2', task: 'inc0001', sys_created_on: '2026-02-03 00:00:00' });
    await sync(store, a, ['incident']);
    expect(await linked()).toEqual(['inc0001', 'inc0002']);
  });

  it.skipIf(!hasFixtures)('waits out 429 with Retry-After and retries 5xx', async () => {
    const a = await account();
    nock(BASE)
      .get('/api/now/table/m2m_kb_task')
      .query(true)
      .reply(429, fixture('error_429_rate_limit_exceeded.json'), {
        'Retry-After': '7',
        'X-RateLimit-Limit': '100',
        'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + 7),
      })
      .get('/api/now/table/m2m_kb_task')
      .query(true)
      .reply(503, 'busy')
      .get('/api/now/table/m2m_kb_task')
      .query(true)
      .reply(200, { result: [] }, { 'X-Total-Count': '0' })
      .get('/api/now/table/incident')
      .query(true)
      .reply(502)
      .get('/api/now/table/incident')
      .query(true)
      .reply(200, { result: [incidentRow(1, '2026-02-01 10:00:00')] }, { 'X-Total-Count': '1' });
    const sleeps: number[] = [];
    const [out] = await sync(store, a, ['incident'], sleeps);
    expect(out).toMatchObject({ ok: true, records: 1 });
    expect(sleeps[0]).toBe(7000);
    expect(sleeps).toHaveLength(3);
  });

  it('reports missing or unreadable tables as unknown evidence, never zero, and falls back to made_sla', async () => {
    const a = await account();
    tableApi({
      incident: [
        incidentRow(1, '2026-02-01 10:00:00', { made_sla: 'true' }),
        incidentRow(2, '2026-02-01 10:00:01', { made_sla: 'false' }),
      ],
      m2m_kb_task: 403,
      task_sla: 403,
      contract_sla: [],
      kb_knowledge: 403,
      sys_user_group: [
        {
          sys_id: 'grp1',
          name: 'Service Desk L1',
          active: 'true',
          sys_updated_on: '2026-01-01 00:00:00',
        },
      ],
      sys_user_has_role: [
        {
          sys_id: 'r1',
          user: 'u1',
          'user.sys_id': 'u1',
          'user.name': 'Ann',
          'user.active': 'true',
          'role.name': 'itil',
        },
        {
          sys_id: 'r2',
          user: 'u2',
          'user.sys_id': 'u2',
          'user.name': 'Bob',
          'user.active': 'true',
          'role.name': 'support',
        },
      ],
      sys_user_grmember: [{ sys_id: 'm1', user: 'u1', group: 'grp1' }],
      // service_offering and service_subscribe_company: not on this instance (400 Invalid table)
    });
    const outcomes = await sync(store, a);
    const by = Object.fromEntries(outcomes.map((o) => [o.stream, o]));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(by.task_sla!.unavailable).toMatch(/may not read table task_sla \(HTTP 403/);
    expect(by.kb_knowledge!.unavailable).toMatch(/HTTP 403/);
    expect(by.service_offering!.unavailable).toMatch(
      /table service_offering is not on this instance \(HTTP 400, Invalid table service_offering\)/,
    );
    expect(by.incident!.warnings?.join()).toMatch(/m2m_kb_task .*knowledge flag only/);
    const covered = await store.coveredKinds(a.id);
    expect([...covered].sort()).toEqual(['agents', 'groups', 'slaPolicies', 'tickets']);

    const snap = await takeSnapshot(store, a, { rules: loadDefaultRules(), window: 'all' });
    const metric = (id: string) => snap.metrics.find((m) => m.id === id);
    expect(metric('sla.attainment')).toMatchObject({ value: 0.5, sampleSize: 2 });
    expect(metric('sla.attainment')!.sources.join()).toMatch(/made_sla/);
    expect(metric('kb.articles.count')).toBeUndefined();
    expect(metric('plans.count')).toBeUndefined();
    expect(metric('agents.count')).toMatchObject({ value: 1 });
    expect(metric('groups.count')).toMatchObject({ value: 1 });
  });

  it('uses task_sla outcomes when the instance has them', async () => {
    const a = await account();
    const sla = (id: string, stage: string, breached: string): Row => ({
      sys_id: id,
      task: 'inc0001',
      'task.sys_class_name': 'incident',
      sla: 'def1',
      'sla.target': 'resolution',
      'sla.duration': '1970-01-01 08:00:00',
      stage,
      has_breached: breached,
      end_time: '2026-02-01 12:00:00',
      planned_end_time: '2026-02-01 18:00:00',
      business_duration: '1970-01-01 03:00:00',
      duration: '1970-01-01 03:00:00',
      sys_updated_on: '2026-02-01 12:00:00',
    });
    tableApi({
      incident: [incidentRow(1, '2026-02-01 10:00:00', { made_sla: 'false' })],
      m2m_kb_task: [],
      task_sla: [
        sla('s1', 'completed', 'false'),
        sla('s2', 'completed', 'true'),
        sla('s3', 'completed', 'false'),
        sla('s4', 'cancelled', 'false'),
        // A resolver group's OLA and a supplier's contract on the same incident: not customer SLAs.
        { ...sla('s5', 'completed', 'true'), 'sla.type': 'OLA' },
        { ...sla('s6', 'completed', 'true'), 'sla.type': 'Underpinning contract' },
        { ...sla('s7', 'completed', 'false'), 'sla.type': 'SLA' },
      ],
    });
    await sync(store, a, ['incident', 'task_sla']);
    const snap = await takeSnapshot(store, a, { rules: loadDefaultRules(), window: 'all' });
    const att = snap.metrics.find((m) => m.id === 'sla.attainment')!;
    expect(att).toMatchObject({ value: 0.75, sampleSize: 4, sources: ['sla_outcomes'] });
    const [row] = await store.dbForTests.query<{
      target_minutes: number;
      measured_minutes: number;
    }>(
      `SELECT target_minutes, measured_minutes FROM sla_outcomes WHERE account_id = $1 AND source_id = 's1'`,
      [a.id],
    );
    expect(row).toMatchObject({ target_minutes: 480, measured_minutes: 180 });
  });

  it('keeps the SLA definitions of incidents, not of changes or catalog tasks, and tells OLAs apart', async () => {
    const a = await account();
    const def = (id: string, collection: string, type: string, minutes: string): Row => ({
      sys_id: id,
      name: `${collection} ${type}`,
      type,
      target: 'response',
      duration: `1970-01-01 ${minutes}`,
      collection,
      start_condition: 'priority=1',
      active: 'true',
      sys_created_on: '2026-01-01 00:00:00',
      sys_updated_on: '2026-01-01 00:00:00',
    });
    tableApi({
      contract_sla: [
        def('d1', 'incident', 'SLA', '01:00:00'),
        def('d2', 'sc_task', 'SLA', '00:02:00'),
        def('d3', 'change_request', 'SLA', '00:15:00'),
        def('d4', 'incident', 'OLA', '00:30:00'),
      ],
    });
    expect((await sync(store, a, ['contract_sla']))[0]).toMatchObject({ ok: true });
    const rows = await store.dbForTests.query<{ source_id: string; kind: string }>(
      'SELECT source_id, kind FROM sla_policies WHERE account_id = $1 ORDER BY source_id',
      [a.id],
    );
    expect(rows).toEqual([
      { source_id: 'd1', kind: 'sla' },
      { source_id: 'd4', kind: 'ola' },
    ]);
    const snap = await takeSnapshot(store, a, { rules: loadDefaultRules(), window: 'all' });
    expect(
      snap.metrics.find((m) => m.id === 'sla.first_response_target_minutes.urgent'),
    ).toMatchObject({
      value: 60,
    });
  });

  it('reads a page the instance cut short (transaction quota) again in halves, and never sweeps on it', async () => {
    const a = await account();
    const def = (n: number): Row => ({
      sys_id: `def${n}`,
      name: `P${n} resolution`,
      type: 'SLA',
      target: 'resolution',
      duration: '1970-01-01 08:00:00',
      collection: 'incident',
      start_condition: `priority=${n}`,
      active: 'true',
      sys_created_on: '2026-01-01 00:00:00',
      sys_updated_on: '2026-01-01 00:00:00',
    });
    const rows = [1, 2, 3, 4].map(def);
    const run = () =>
      runSync({
        sink: storeSyncSink(store, a.id),
        connector: servicenow as never,
        config: config({ pageSize: 200 }),
        client: fastClient([]),
        streams: ['contract_sla'],
      });
    tableApi({ contract_sla: rows });
    expect((await run())[0]).toMatchObject({ ok: true, records: 4 });
    expect(await ids(a.id, 'sla_policies')).toHaveLength(4);

    // Pages of 200 are cut short; 100 finish: read again at 100, all four kept.
    nock.cleanAll();
    const seen: Seen[] = [];
    tableApi({ contract_sla: rows }, seen, undefined, { cutAbove: { contract_sla: 100 } });
    const [halved] = await run();
    expect(halved).toMatchObject({ ok: true, records: 4 });
    expect(seen.map((s) => s.query.sysparm_limit)).toEqual(['200', '100']);
    expect(halved!.warnings?.join()).toMatch(
      /ServiceNow cut a page of 200 rows short \(.*maximum execution time exceeded.*\); reading 100 at a time/,
    );
    expect(await ids(a.id, 'sla_policies')).toHaveLength(4);

    // Cut short down to the smallest page: the stream fails, and nothing stored is swept.
    nock.cleanAll();
    tableApi({ contract_sla: rows }, [], undefined, { cutAbove: { contract_sla: 10 } });
    const [failed] = await run();
    expect(failed!.ok).toBe(false);
    expect(failed!.error?.message).toMatch(/ServiceNow cut the page of table contract_sla short/);
    expect(await ids(a.id, 'sla_policies')).toHaveLength(4);
  });

  it('names a requested field the instance dropped, and fails the stream when it is required', async () => {
    const a = await account();
    const { reopen_count: _r, ...noReopen } = incidentRow(1, '2026-02-01 10:00:00');
    tableApi({ incident: [noReopen], m2m_kb_task: [] });
    const [out] = await sync(store, a, ['incident']);
    expect(out!.ok).toBe(true);
    expect(out!.warnings?.join()).toMatch(
      /table incident did not return field\(s\) reopen_count: misspelt/,
    );

    nock.cleanAll();
    const b = await account();
    const { opened_at: _o, ...noOpened } = incidentRow(1, '2026-02-01 10:00:00');
    tableApi({ incident: [noOpened], m2m_kb_task: [] });
    const [bad] = await sync(store, b, ['incident']);
    expect(bad!.ok).toBe(false);
    expect(bad!.error?.message).toMatch(/did not return field\(s\) opened_at that were asked for/);
    expect((await store.coveredKinds(b.id)).has('tickets')).toBe(false);
  });

  it('treats a table whose rows ACLs all hide as unreadable', async () => {
    const a = await account();
    // Every page comes back empty: the limit applies before ACLs filter the rows.
    nock(BASE)
      .persist()
      .get('/api/now/table/kb_knowledge')
      .query(true)
      .reply(200, { result: [] }, { 'X-Total-Count': '5' });
    const [out] = await sync(store, a, ['kb_knowledge']);
    expect(out!.unavailable).toMatch(/may read none of the 5 rows of table kb_knowledge/);
    expect((await store.coveredKinds(a.id)).has('kbArticles')).toBe(false);
  });

  it('checks the connection through the connector definition', async () => {
    tableApi({ incident: [] });
    await expect(checkConnection(fastClient(), config())).resolves.toEqual({
      identity: 'maturity.reader on acme.service-now.com',
    });
  });
});

describe('paging keys', () => {
  it('starts a new pass after a complete one and resumes a killed one after its key', () => {
    expect(startCursor(undefined, 'full')).toEqual({ skip: 0, complete: false });
    expect(startCursor({ after: 'c4', skip: 0, complete: true }, 'full')).toEqual({
      skip: 0,
      complete: false,
    });
    expect(startCursor({ after: 'c4', skip: 3, complete: false }, 'full')).toEqual({
      after: 'c4',
      skip: 3,
      complete: false,
    });
    // Saved before keyset paging: resumes at its offset, as it was written.
    expect(startCursor({ skip: 6, complete: false }, 'full')).toEqual({ skip: 6, complete: false });
    const since = '2026-02-01 10:00:05';
    // A new incremental run re-reads the whole boundary second; a resumed one goes on after its key.
    expect(startCursor({ since, after: 'inc3', skip: 0, complete: true }, 'incremental')).toEqual({
      since,
      skip: 0,
      complete: false,
    });
    expect(startCursor({ since, after: 'inc3', skip: 0, complete: false }, 'incremental')).toEqual({
      since,
      after: 'inc3',
      skip: 0,
      complete: false,
    });
    expect(startCursor({ since, skip: 2, complete: false }, 'incremental')).toEqual({
      since,
      skip: 2,
      complete: false,
    });
    expect(keyConditions('full', { skip: 0, complete: false })).toEqual([]);
    expect(keyConditions('full', { after: 'c4', skip: 0, complete: false })).toEqual(['sys_id>c4']);
    expect(keyConditions('incremental', { since, skip: 0, complete: false })).toEqual([
      `sys_updated_on>=${since}`,
    ]);
    expect(
      keyConditions('incremental', { since, after: 'inc3', skip: 0, complete: false }),
    ).toEqual([`sys_updated_on>=${since}`, `sys_updated_on>${since}^ORsys_id>inc3`]);
  });

  it('without Link or X-Total-Count, ends on an empty page, not on a short one', async () => {
    const q = { table: 'contract_sla', fields: ['sys_id'], limit: 3, offset: 0 };
    nock(BASE)
      .get('/api/now/table/contract_sla')
      .query(true)
      .reply(200, { result: [{ sys_id: 'c1' }] })
      .get('/api/now/table/contract_sla')
      .query(true)
      .reply(200, { result: [] });
    expect(await fetchTablePage(fastClient(), q)).toMatchObject({ kind: 'page', hasMore: true });
    expect(await fetchTablePage(fastClient(), q)).toMatchObject({ kind: 'page', hasMore: false });
  });
});

describe('the CLI', () => {
  it('connects, syncs and reports missing evidence without printing the password', async () => {
    tableApi({
      incident: [incidentRow(1, '2026-02-01 10:00:00')],
      m2m_kb_task: [],
      task_sla: [],
      contract_sla: [],
      kb_knowledge: 403,
      sys_user_group: [],
      sys_user_has_role: [],
      sys_user_grmember: [],
    });
    const cli = cliHome();
    const secret = 'S3cret-pw!';
    const c = await cli.run(
      'connect',
      'servicenow',
      '--name',
      'acme',
      '--instance',
      BASE,
      '--user',
      'maturity.reader',
      '--password',
      secret,
    );
    expect(c.code, c.err).toBe(0);
    expect(c.out).toMatch(/connected "acme" as maturity.reader on acme.service-now.com/);
    const s = await cli.run('sync', 'acme');
    expect(s.code, s.err).toBe(0);
    expect(s.err).toMatch(
      /missing evidence: kb_knowledge: the user may not read table kb_knowledge/,
    );
    expect(s.err).toMatch(
      /missing evidence: service_offering: table service_offering is not on this instance/,
    );
    for (const r of [c, s]) expect(r.out + r.err).not.toContain(secret);
    const bad = await cli.run(
      'connect',
      'servicenow',
      '--name',
      'other',
      '--instance',
      'http://acme.service-now.com',
      '--user',
      'u',
      '--password',
      secret,
    );
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--instance: must use https/);
    expect(bad.err).not.toContain(secret);
  });
});
