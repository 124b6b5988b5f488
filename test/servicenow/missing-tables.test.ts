import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { fetchTablePage } from '../../connectors/servicenow/client.js';
import type { Store } from '../../src/store/store.js';
import { cliHome } from '../helpers/cli.js';
import {
  BASE,
  fastClient,
  incidentRow,
  sync,
  tableApi,
  type Row,
  useNockedStore,
} from './helpers.js';

/**
 * An instance without the plugin behind an optional table (Service Portfolio Management for
 * service_offering, Survey for the asmt_* tables, Knowledge for m2m_kb_task) answers 400 Bad
 * Request with this body. It is data this instance does not have: unknown evidence, said once,
 * never a failed stream (which would make every sync exit 1 and every snapshot partial).
 */
const invalidTable = (table: string) => ({
  error: { message: `Invalid table ${table}`, detail: null },
  status: 'failure',
});

/** Every table the connector reads, present and empty, but for the ones left out. */
const instanceWithout = (...absent: string[]): Record<string, Row[]> => {
  const all: Record<string, Row[]> = {
    incident: [incidentRow(1, '2026-02-01 10:00:00')],
    m2m_kb_task: [],
    task_sla: [],
    contract_sla: [],
    service_offering: [
      {
        sys_id: 'o1',
        name: 'Gold',
        sys_created_on: '2026-01-01 00:00:00',
        sys_updated_on: '2026-01-01 00:00:00',
      },
    ],
    service_subscribe_company: [],
    kb_knowledge: [],
    sys_user_group: [],
    sys_user_has_role: [],
    sys_user_grmember: [],
    asmt_assessment_instance: [],
    asmt_metric_result: [],
  };
  for (const t of absent) delete all[t];
  return all;
};

let store: Store;
let n = 0;
const account = () => store.createAccount(`sn-missing${n++}`, 'servicenow');

useNockedStore((s) => (store = s));

describe('a table the instance does not have', () => {
  it('reads a 400 "Invalid table" answer as unavailable, naming the table', async () => {
    nock(BASE)
      .get('/api/now/table/service_offering')
      .query(true)
      .reply(400, invalidTable('service_offering'));
    expect(
      await fetchTablePage(fastClient(), {
        table: 'service_offering',
        fields: ['sys_id'],
        limit: 1,
        offset: 0,
      }),
    ).toEqual({
      kind: 'unavailable',
      status: 400,
      reason:
        'table service_offering is not on this instance (HTTP 400, Invalid table service_offering)',
    });
  });

  it('still fails on any other 400 (a query the instance rejects is a bug to see)', async () => {
    nock(BASE)
      .get('/api/now/table/incident')
      .query(true)
      .reply(400, {
        error: { message: 'Invalid query', detail: 'sysparm_query' },
        status: 'failure',
      });
    await expect(
      fetchTablePage(fastClient(), { table: 'incident', fields: ['sys_id'], limit: 1, offset: 0 }),
    ).rejects.toMatchObject({
      code: 'E_CONNECTOR_RESPONSE',
      message: 'ServiceNow answered HTTP 400 for table incident: Invalid query: sysparm_query',
    });
  });

  it.each([
    ['service_offering', ['service_offering', 'service_subscribe_company']],
    ['asmt_assessment_instance', ['asmt_assessment_instance', 'asmt_metric_result']],
  ])('leaves %s unknown with one note, and every stream succeeds', async (stream, absent) => {
    const a = await account();
    tableApi(instanceWithout(...absent));
    const outcomes = await sync(store, a);
    expect(outcomes.filter((o) => !o.ok).map((o) => [o.stream, o.error?.message])).toEqual([]);
    const notes = outcomes.flatMap((o) => [
      ...(o.unavailable ? [`${o.stream}: ${o.unavailable}`] : []),
      ...(o.warnings ?? []).map((w) => `${o.stream}: ${w}`),
    ]);
    expect(notes).toEqual([
      `${stream}: table ${stream} is not on this instance (HTTP 400, Invalid table ${stream})`,
    ]);
    const kind = stream === 'service_offering' ? 'plans' : 'satisfactionRatings';
    expect((await store.coveredKinds(a.id)).has(kind)).toBe(false);
    expect((await store.coveredKinds(a.id)).has('tickets')).toBe(true);
  });

  it.each([
    [
      'service_subscribe_company',
      'service_offering',
      /service_subscribe_company is not on this instance \(HTTP 400.*stored without customer counts/,
    ],
    [
      'asmt_metric_result',
      'asmt_assessment_instance',
      /asmt_metric_result is not on this instance \(HTTP 400.*survey answers cannot be scored/,
    ],
    [
      'm2m_kb_task',
      'incident',
      /m2m_kb_task is not on this instance \(HTTP 400.*knowledge flag only/,
    ],
  ])('without %s, %s says so once and succeeds', async (table, stream, note) => {
    const a = await account();
    const tables: Record<string, Row[]> = instanceWithout(table);
    if (table === 'asmt_metric_result') {
      tables.asmt_assessment_instance = [
        {
          sys_id: 'asmt1',
          state: 'complete',
          trigger_table: 'incident',
          trigger_id: 'inc1',
          task_id: 'inc1',
          'metric_type.evaluation_method': 'survey',
          sys_created_on: '2026-02-01 09:00:00',
          sys_updated_on: '2026-02-03 12:00:00',
        },
      ];
    }
    tableApi(tables);
    const outcomes = await sync(store, a, [stream]);
    expect(outcomes.map((o) => o.ok)).toEqual([true]);
    const [o] = outcomes;
    const notes = [...(o!.unavailable ? [o!.unavailable] : []), ...(o!.warnings ?? [])];
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(note);
  });

  it('maturity sync exits 0 and prints one line per missing stream; the snapshot is whole', async () => {
    tableApi(
      instanceWithout(
        'service_offering',
        'service_subscribe_company',
        'asmt_assessment_instance',
        'asmt_metric_result',
      ),
    );
    const cli = cliHome({}, { keepOpen: true });
    const c = await cli.run(
      'connect',
      'servicenow',
      '--name',
      'acme',
      '--instance',
      BASE,
      '--user',
      'reader',
      '--password',
      'pw',
    );
    expect(c.code, c.err).toBe(0);
    for (let night = 0; night < 2; night++) {
      const s = await cli.run('sync', 'acme');
      expect(s.code, s.err).toBe(0);
      expect(s.out).toMatch(/records from 8\/8 streams/);
      // Progress lines aside ("sync incident: 1 records…"), the notes: one per missing stream.
      const notes = s.err.split('\n').filter((l) => l && !l.startsWith('sync '));
      expect(notes).toEqual([
        'missing evidence: service_offering: table service_offering is not on this instance (HTTP 400, Invalid table service_offering)',
        'missing evidence: asmt_assessment_instance: table asmt_assessment_instance is not on this instance (HTTP 400, Invalid table asmt_assessment_instance)',
      ]);
    }
    const snap = await cli.run('snapshot', 'acme', '--json', '--window', 'all');
    expect(snap.code, snap.err).toBe(0);
    const json = JSON.parse(snap.out) as { partial: boolean; metrics: { id: string }[] };
    expect(json.partial).toBe(false);
    expect(json.metrics.map((m) => m.id)).not.toContain('plans.count');
    expect(json.metrics.map((m) => m.id)).not.toContain('csat.response_rate');
  });
});
