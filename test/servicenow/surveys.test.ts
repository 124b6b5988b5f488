import nock from 'nock';
import { describe, expect, it } from 'vitest';
import {
  answerPosition as position,
  instanceScore,
  surveyState,
  surveyToRating,
} from '../../connectors/servicenow/streams/map-survey.js';
import { flattenRow } from '../../connectors/servicenow/values.js';
import { loadDefaultRules } from '../../src/engine/index.js';
import { takeSnapshot } from '../../src/jobs/take-snapshot.js';
import type { Store } from '../../src/store/store.js';
import { BASE, sync, tableApi, type Row, type Seen, useNockedStore } from './helpers.js';

/** A survey instance row as the Table API sends it (stored values, plain sys_ids). */
function instance(n: number, state: string, extra: Row = {}): Row {
  return {
    sys_id: `asmt${n}`,
    number: `AINST00${n}`,
    state,
    trigger_table: 'incident',
    trigger_id: `inc${n}`,
    task_id: `inc${n}`,
    metric_type: 'csat1',
    'metric_type.evaluation_method': 'survey',
    due_date: '2026-02-15 00:00:00',
    taken_on: state === 'complete' ? '2026-02-03 10:00:00' : '',
    sys_created_on: '2026-02-01 09:00:00',
    sys_updated_on: `2026-02-0${Math.min(9, n)} 12:00:00`,
    ...extra,
  };
}

/** One answer: a 1–5 question (min 1, max 5, higher is better) unless told otherwise. */
function answer(id: string, inst: string, value: string, extra: Row = {}): Row {
  return {
    sys_id: id,
    instance: inst,
    metric: 'q1',
    actual_value: value,
    normalized_value: '0.2', // weighted by ServiceNow: not a 0–1 position, never read
    string_value: value,
    'metric.datatype': 'scale',
    'metric.min': '1',
    'metric.max': '5',
    'metric.scale': 'high',
    ...extra,
  };
}

describe('survey mappers (plain objects)', () => {
  it('places an answer on its question scale, turned round for low-is-better questions', () => {
    const answerPosition = (row: Row) => position(flattenRow(row));
    expect(answerPosition(answer('r', 'i', '5'))).toBe(1);
    expect(answerPosition(answer('r', 'i', '4'))).toBe(0.75);
    expect(answerPosition(answer('r', 'i', '1'))).toBe(0);
    expect(answerPosition(answer('r', 'i', '2', { 'metric.scale': 'low' }))).toBe(0.75);
    expect(answerPosition(answer('r', 'i', '1', { 'metric.min': '0', 'metric.max': '1' }))).toBe(1); // yes/no
    // Not scale answers: text (-1 marker), N/A, a value off the scale, no scale, a string type.
    expect(answerPosition(answer('r', 'i', '-1'))).toBeUndefined();
    expect(answerPosition(answer('r', 'i', '3', { string_value: 'N/A' }))).toBeUndefined();
    expect(answerPosition(answer('r', 'i', '9'))).toBeUndefined();
    expect(answerPosition(answer('r', 'i', '3', { 'metric.max': undefined }))).toBeUndefined();
    expect(answerPosition(answer('r', 'i', '3', { 'metric.max': '1' }))).toBeUndefined();
    expect(answerPosition(answer('r', 'i', '3', { 'metric.datatype': 'string' }))).toBeUndefined();
  });

  it('rates the mean position: 0.6 and above is good', () => {
    expect(instanceScore([1, 0.5])).toBe('good'); // 0.75
    expect(instanceScore([0.75, 0.5, 0.55])).toBe('good'); // 0.6
    expect(instanceScore([0.5])).toBe('bad'); // a neutral 3 of 5
    expect(instanceScore([1, 0])).toBe('bad');
    expect(instanceScore([])).toBeUndefined();
  });

  it('reads states, taking a cancel at or after the due date as an expired, unanswered survey', () => {
    const f = (state: string, extra: Record<string, string | undefined> = {}) =>
      surveyState({ state, due_date: '2026-02-15 00:00:00', ...extra });
    expect(f('complete')).toBe('answered');
    expect(f('ready')).toBe('open');
    expect(f('wip')).toBe('open');
    expect(f('Work in progress')).toBe('open');
    expect(f('expired')).toBe('expired');
    expect(f('canceled', { sys_updated_on: '2026-03-10 01:00:00' })).toBe('expired');
    expect(f('canceled', { sys_updated_on: '2026-02-02 08:00:00' })).toBe('withdrawn');
    expect(f('canceled', { due_date: undefined, sys_updated_on: '2026-03-10 01:00:00' })).toBe(
      'withdrawn',
    );
    expect(f('draft')).toBe('unknown');
  });

  it('maps an instance to one rating, dated when the survey was sent', () => {
    const row = {
      sys_id: 'a1',
      state: 'complete',
      trigger_id: 'inc1',
      sys_created_on: '2026-02-01 09:00:00',
      sys_updated_on: '2026-02-03 10:00:00',
    };
    expect(surveyToRating(row, [1, 0.75])).toEqual({
      ok: true,
      record: {
        sourceId: 'a1',
        ticketId: 'inc1',
        score: 'good',
        createdAt: '2026-02-01T09:00:00.000Z',
      },
    });
    expect(surveyToRating(row, [0.25])).toMatchObject({ ok: true, record: { score: 'bad' } });
    expect(surveyToRating(row, [])).toEqual({ ok: 'skip' }); // answered, nothing to score
    expect(
      surveyToRating({ ...row, state: 'ready', trigger_id: undefined, task_id: 'inc9' }),
    ).toEqual({
      ok: true,
      record: {
        sourceId: 'a1',
        ticketId: 'inc9',
        score: 'offered',
        createdAt: '2026-02-01T09:00:00.000Z',
      },
    });
    expect(surveyToRating({ ...row, state: 'canceled' })).toEqual({ ok: 'skip' });
    expect(surveyToRating({ ...row, state: 'draft' })).toMatchObject({ ok: false });
    expect(surveyToRating({ ...row, state: 'ready', sys_created_on: 'soon' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/sys_created_on/),
    });
  });
});

let store: Store;
let n = 0;
const account = () => store.createAccount(`sn-csat${n++}`, 'servicenow');
const ratings = async (accountId: number) =>
  Object.fromEntries(
    (
      await store.dbForTests.query<{ source_id: string; score: string; ticket_id: string | null }>(
        'SELECT source_id, score, ticket_id FROM satisfaction_ratings WHERE account_id = $1 ORDER BY source_id',
        [accountId],
      )
    ).map((r) => [r.source_id, r.score]),
  );
const csat = async (a: Awaited<ReturnType<typeof account>>) => {
  const snap = await takeSnapshot(store, a, { rules: loadDefaultRules(), window: 'all' });
  return {
    rate: snap.metrics.find((m) => m.id === 'csat.response_rate'),
    score: snap.metrics.find((m) => m.id === 'csat.score'),
  };
};

useNockedStore((s) => (store = s));

describe('CSAT from ServiceNow surveys', () => {
  it('rates a page of instances from their answers, pages both tables, and feeds csat.*', async () => {
    const a = await account();
    // Five incident surveys (pages of three) plus an assessment and a change survey to leave out.
    const instances = [
      instance(1, 'complete'), // 5 and 4 → 0.875 → good
      instance(2, 'complete'), // 3 and 3 → 0.5 → bad
      instance(3, 'ready'), // offered
      instance(4, 'complete'), // 2 on a low-is-better question and a text answer → 0.75 → good
      instance(5, 'canceled', {
        due_date: '2026-02-15 00:00:00',
        sys_updated_on: '2026-03-01 00:00:00',
      }), // expired → offered
      instance(6, 'complete', { 'metric_type.evaluation_method': 'assessment' }),
      instance(7, 'complete', { trigger_table: 'change_request' }),
    ];
    const results = [
      answer('r1', 'asmt1', '5'),
      answer('r2', 'asmt1', '4', { metric: 'q2' }),
      answer('r3', 'asmt2', '3'),
      answer('r4', 'asmt2', '3', { metric: 'q2' }),
      answer('r5', 'asmt4', '2', { metric: 'q3', 'metric.scale': 'low' }),
      answer('r6', 'asmt4', '-1', {
        metric: 'q4',
        'metric.datatype': 'string',
        string_value: 'quick, thanks',
      }),
      answer('r7', 'asmt6', '1'),
      answer('r8', 'asmt7', '1'),
    ];
    const seen: Seen[] = [];
    tableApi({ asmt_assessment_instance: instances, asmt_metric_result: results }, seen);
    const [out] = await sync(store, a, ['asmt_assessment_instance']);
    expect(out).toMatchObject({ ok: true, records: 5, quarantined: 0 });
    expect(out!.unavailable).toBeUndefined();
    expect(await ratings(a.id)).toEqual({
      asmt1: 'good',
      asmt2: 'bad',
      asmt3: 'offered',
      asmt4: 'good',
      asmt5: 'offered',
    });

    const inst = seen.filter((s) => s.table === 'asmt_assessment_instance');
    expect(inst).toHaveLength(2); // two pages of instances
    expect(inst[0]!.query.sysparm_query).toBe(
      'trigger_tableINincident^metric_type.evaluation_method=survey^ORDERBYsys_updated_on^ORDERBYsys_id',
    );
    // Answers are read per page of instances, only for the complete ones, and paged themselves.
    const res = seen.filter((s) => s.table === 'asmt_metric_result');
    expect(res.map((s) => [s.query.sysparm_query, s.query.sysparm_offset])).toEqual([
      ['instanceINasmt1,asmt2^ORDERBYsys_id', '0'],
      ['instanceINasmt1,asmt2^ORDERBYsys_id', '3'],
      ['instanceINasmt4^ORDERBYsys_id', '0'],
    ]);
    expect(res[0]!.query.sysparm_fields).toBe(
      'sys_id,instance,actual_value,string_value,metric.datatype,metric.min,metric.max,metric.scale',
    );

    const m = await csat(a);
    expect(m.rate).toMatchObject({ value: 0.6, sampleSize: 5, sources: ['satisfaction_ratings'] });
    expect(m.score).toMatchObject({ value: 0.6667, sampleSize: 3 });
  });

  it('updates a survey when it is answered and drops one withdrawn before its due date', async () => {
    const a = await account();
    const instances = [instance(1, 'ready'), instance(2, 'ready'), instance(3, 'complete')];
    const results = [answer('r1', 'asmt3', '1')];
    tableApi({ asmt_assessment_instance: instances, asmt_metric_result: results });
    await sync(store, a, ['asmt_assessment_instance']);
    expect(await ratings(a.id)).toEqual({ asmt1: 'offered', asmt2: 'offered', asmt3: 'bad' });

    instances[0] = instance(1, 'complete', { sys_updated_on: '2026-02-10 08:00:00' });
    instances[1] = instance(2, 'canceled', { sys_updated_on: '2026-02-10 09:00:00' }); // due 02-15
    results.push(answer('r2', 'asmt1', '5'));
    const [again] = await sync(store, a, ['asmt_assessment_instance']);
    expect(again!.ok).toBe(true);
    expect(await ratings(a.id)).toEqual({ asmt1: 'good', asmt3: 'bad' });
  });

  it('leaves out a completed survey without a scale answer, and says so', async () => {
    const a = await account();
    tableApi({
      asmt_assessment_instance: [instance(1, 'complete'), instance(2, 'complete')],
      asmt_metric_result: [
        answer('r1', 'asmt1', '4'),
        answer('r2', 'asmt2', '-1', { 'metric.datatype': 'string', string_value: 'fine' }),
      ],
    });
    const [out] = await sync(store, a, ['asmt_assessment_instance']);
    expect(out!.ok).toBe(true);
    expect(await ratings(a.id)).toEqual({ asmt1: 'good' });
    expect(out!.warnings?.join()).toMatch(/1 completed survey\(s\) had no scale answer/);
  });

  it.each([
    [
      'asmt_assessment_instance is forbidden',
      { asmt_assessment_instance: 403 },
      /may not read table asmt_assessment_instance \(HTTP 403/,
    ],
    [
      'the survey plugin is absent',
      {},
      /table asmt_assessment_instance is not on this instance \(HTTP 400, Invalid table/,
    ],
    [
      'asmt_metric_result is forbidden',
      {
        asmt_assessment_instance: [instance(1, 'complete'), instance(2, 'ready')],
        asmt_metric_result: 403,
      },
      /may not read table asmt_metric_result \(HTTP 403.*survey answers cannot be scored/,
    ],
    [
      "the questions' scale is hidden (no read on asmt_metric)",
      {
        asmt_assessment_instance: [instance(1, 'complete')],
        asmt_metric_result: [
          Object.fromEntries(
            Object.entries(answer('r1', 'asmt1', '4')).filter(([k]) => !k.startsWith('metric.')),
          ),
        ],
      },
      /did not return field\(s\) metric.min, metric.max .*read on it/,
    ],
  ])('keeps csat unknown (never zero) when %s; the sync still succeeds', async (_, tables, why) => {
    const a = await account();
    tableApi({ incident: [], m2m_kb_task: [], ...(tables as Record<string, Row[] | number>) });
    const outcomes = await sync(store, a, ['incident', 'asmt_assessment_instance']);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const out = outcomes.find((o) => o.stream === 'asmt_assessment_instance')!;
    expect(out.unavailable).toMatch(why);
    expect((await store.coveredKinds(a.id)).has('satisfactionRatings')).toBe(false);
    const m = await csat(a);
    expect(m.rate).toBeUndefined();
    expect(m.score).toBeUndefined();
  });

  it('treats answers that ACLs all hide as unreadable, not as unanswered surveys', async () => {
    const a = await account();
    // Every page comes back empty: the limit applies before ACLs filter the rows.
    nock(BASE)
      .persist()
      .get('/api/now/table/asmt_metric_result')
      .query(true)
      .reply(200, { result: [] }, { 'X-Total-Count': '2' });
    tableApi({ asmt_assessment_instance: [instance(1, 'complete'), instance(2, 'ready')] });
    const [out] = await sync(store, a, ['asmt_assessment_instance']);
    expect(out!.unavailable).toMatch(/may read none of the 2 answers .* of 1 completed survey/);
    expect((await store.coveredKinds(a.id)).has('satisfactionRatings')).toBe(false);
    expect((await csat(a)).rate).toBeUndefined();
  });
});
