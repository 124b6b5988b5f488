import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  incidentToTicket,
  toPriority,
  toStatus,
} from '../../connectors/servicenow/map-incident.js';
import { parseDate } from '../../connectors/servicenow/values.js';
import { importServiceNowIncidents } from '../../src/jobs/import-servicenow-incidents.js';
import { Store } from '../../src/store/store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sn-csv-'));
const write = (name: string, text: string | Buffer) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

let store: Store;

const tickets = (accountId: number) =>
  store.db.query<Record<string, unknown>>(
    `SELECT source_id, status, priority, reopen_count, reassignment_count, made_sla, knowledge_linked,
            channel, created_at, solved_at FROM tickets WHERE account_id = $1 ORDER BY source_id`,
    [accountId],
  );

describe('incident mapper', () => {
  it.each([
    ['1', 'urgent'],
    ['1 - Critical', 'urgent'],
    ['2 - High', 'high'],
    ['3 - Moderate', 'normal'],
    ['4 - Low', 'low'],
    ['5 - Planning', 'low'],
    ['?', undefined],
  ])('maps priority %s to %s', (v, want) => {
    expect(toPriority(v === '?' ? undefined : v)).toBe(want);
  });

  it.each([
    ['1', 'new'],
    ['2', 'open'],
    ['3', 'hold'],
    ['6', 'solved'],
    ['7', 'closed'],
    ['8', 'closed'],
    ['New', 'new'],
    ['Active', 'open'],
    ['In Progress', 'open'],
    ['Awaiting User Info', 'pending'],
    ['Awaiting Vendor', 'hold'],
    ['On Hold', 'hold'],
    ['Resolved', 'solved'],
    ['Closed', 'closed'],
    ['Canceled', 'closed'],
  ])('maps state %s to %s', (v, want) => {
    expect(toStatus(v)).toBe(want);
  });

  it('reads values and labels alike', () => {
    const api = incidentToTicket({
      sys_id: 'a9e3',
      opened_at: '2015-11-02 22:04:15',
      priority: '3',
      incident_state: '7',
      contact_type: 'phone',
      reassignment_count: '1',
      made_sla: 'false',
      knowledge: 'false',
    });
    const csv = incidentToTicket(
      {
        number: 'a9e3',
        opened_at: '2/11/2015 22:04:15',
        priority: '3 - Moderate',
        incident_state: 'Closed',
        contact_type: 'Phone',
        reassignment_count: '1',
        made_sla: 'false',
        knowledge: 'false',
      },
      { dateOrder: 'dmy' },
    );
    expect(api).toEqual(csv);
  });

  it('reports a bad date rather than guessing', () => {
    const r = incidentToTicket({ number: 'X', opened_at: '31/2/2016 10:00' }, { dateOrder: 'dmy' });
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/opened_at/) });
    expect(parseDate('13/1/2016 10:00', 'mdy')).toBeNull();
    expect(parseDate('1/13/2016 10:00 PM', 'mdy')).toBe('2016-01-13T22:00:00.000Z');
  });
});

describe('import servicenow-incidents', () => {
  beforeAll(async () => {
    store = await Store.open({});
  });
  afterAll(async () => {
    await store.close();
  });
  const header =
    'number,incident_state,reassignment_count,reopen_count,sys_mod_count,made_sla,opened_at,sys_updated_at,priority,knowledge,contact_type,resolved_at';

  it('keeps the latest row per number by sys_mod_count, whatever the file order', async () => {
    const file = write(
      'events.csv',
      [
        header,
        'INC1,Closed,1,0,3,true,29/2/2016 01:16,1/3/2016 10:00,3 - Moderate,true,Phone,29/2/2016 11:16',
        'INC1,New,0,0,0,true,29/2/2016 01:16,29/2/2016 01:20,3 - Moderate,false,Phone,?',
        'INC2,Active,0,0,1,false,1/3/2016 09:00,1/3/2016 09:30,1 - Critical,false,Self service,?',
        'INC1,Resolved,1,0,2,true,29/2/2016 01:16,29/2/2016 11:16,3 - Moderate,true,Phone,29/2/2016 11:16',
      ].join('\n'),
    );
    const r = await importServiceNowIncidents(store, file, { name: 'latest', batchSize: 1 });
    expect(r).toMatchObject({ rows: 4, incidents: 2, dateOrder: 'dmy', bad: { count: 0 } });
    const rows = await tickets(r.account.id);
    expect(rows[0]).toMatchObject({
      source_id: 'INC1',
      status: 'closed',
      priority: 'normal',
      reassignment_count: 1,
      knowledge_linked: true,
      channel: 'phone',
    });
    expect(rows[1]).toMatchObject({ source_id: 'INC2', status: 'open', priority: 'urgent' });
    expect(rows[1]!.channel).toBe('web');
    expect((await store.coveredKinds(r.account.id)).has('tickets')).toBe(true);
  });

  it('counts bad rows with their line numbers and goes on', async () => {
    const file = write(
      'bad.csv',
      [
        header,
        'INC1,New,0,0,0,true,29/2/2016 01:16,29/2/2016 01:20,3 - Moderate,false,Phone,?',
        'INC2,New,0,0,0,true,not a date,29/2/2016 01:20,3 - Moderate,false,Phone,?',
        'INC3,New,0,0',
        'INC4,New,0,0,0,true,13/3/2016 01:16,13/3/2016 01:20,4 - Low,false,Email,?',
      ].join('\n'),
    );
    const r = await importServiceNowIncidents(store, file, { name: 'bad' });
    expect(r.incidents).toBe(2);
    expect(r.bad.count).toBe(2);
    expect(r.bad.samples.map((s) => s.line)).toEqual([3, 4]);
    expect(r.bad.samples[0]!.error).toMatch(/opened_at/);
  });

  it('detects month-first dates, reads gzip and column labels', async () => {
    const csv = [
      'Number,State,Priority,Opened,Updated,Resolved,Made SLA,Reassignment count,Reopen count',
      'INC9,Resolved,2 - High,2/13/2016 08:00,2/13/2016 10:00,2/13/2016 10:00,true,0,1',
    ].join('\r\n');
    const r = await importServiceNowIncidents(store, write('x.csv.gz', gzipSync(csv)), {
      name: 'gz',
    });
    expect(r.dateOrder).toBe('mdy');
    const [t] = await tickets(r.account.id);
    expect(t).toMatchObject({
      source_id: 'INC9',
      status: 'solved',
      priority: 'high',
      reopen_count: 1,
    });
    expect(new Date(t!.solved_at as string).toISOString()).toBe('2016-02-13T10:00:00.000Z');
  });

  it('asks for --date-format when every date is ambiguous', async () => {
    const file = write(
      'ambiguous.csv',
      `${header}\nINC1,New,0,0,0,true,2/3/2016 01:16,2/3/2016 01:20,3 - Moderate,false,Phone,?`,
    );
    await expect(importServiceNowIncidents(store, file, { name: 'amb' })).rejects.toThrow(
      /--date-format/,
    );
    const r = await importServiceNowIncidents(store, file, { name: 'amb', dateOrder: 'mdy' });
    const [t] = await tickets(r.account.id);
    expect(new Date(t!.created_at as string).toISOString()).toBe('2016-02-03T01:16:00.000Z');
  });

  it('refuses a file that is not an incident export', async () => {
    const file = write('other.csv', 'a,b\n1,2');
    await expect(importServiceNowIncidents(store, file, { name: 'other' })).rejects.toThrow(
      /no number or opened_at column/,
    );
  });
});
