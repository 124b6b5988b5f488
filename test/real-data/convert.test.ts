import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecordsDocument, parseRecordsWithFields } from '../../src/jobs/import-records.js';
import type { RecordBatch } from '../../src/domain/records.js';
import type { FieldCoverage } from '../../src/domain/fields.js';
import { realLogs, type RealLog } from './logs.js';

/**
 * Proof on real data: each event log converts into a records document the importer accepts, with
 * the case count its README states, and figures that match a second, simpler computation done
 * here straight from the raw CSV (split on commas: none of these files quotes a comma).
 */

/** Raw rows as header → value, in file order. */
function rawRows(file: string): Record<string, string>[] {
  const lines = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const cells = (line: string) => line.split(',').map((c) => c.replace(/^"(.*)"$/, '$1'));
  const header = cells(lines[0]!);
  return lines
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const v = cells(line);
      return Object.fromEntries(header.map((h, i) => [h, v[i] ?? '']));
    });
}

function casesOf(
  rows: Record<string, string>[],
  key: string,
): Map<string, Record<string, string>[]> {
  const out = new Map<string, Record<string, string>[]>();
  for (const r of rows) {
    const list = out.get(r[key]!);
    if (list) list.push(r);
    else out.set(r[key]!, [r]);
  }
  return out;
}

const count = <T>(items: Iterable<T>, hit: (t: T) => boolean) => {
  let n = 0;
  for (const t of items) if (hit(t)) n++;
  return n;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
};

const missing = (log: RealLog) => log.files.filter((f) => !existsSync(f));
for (const log of realLogs) {
  const gone = missing(log);
  if (!gone.length) continue;
  if (process.env.CI)
    throw new Error(
      `the ${log.id} event log is required under CI=true: ${gone.join(', ')} missing`,
    );
  console.warn(`\n!!! ${gone.join(', ')} missing: the ${log.id} real-data test is SKIPPED !!!\n`);
}
const logById = (id: RealLog['id']) => realLogs.find((l) => l.id === id)!;
const absent = (id: RealLog['id']) => missing(logById(id)).length > 0;

/**
 * Converts the log once, on first use, and validates the document as `maturity import records`
 * does (after a JSON round trip: the importer reads it from a file).
 */
function converted(id: RealLog['id']) {
  let doc: unknown;
  let parsed: { batch: RecordBatch; fields: FieldCoverage } | undefined;
  const json = () => (doc ??= JSON.parse(JSON.stringify(logById(id).convert())));
  return {
    json,
    get batch() {
      return (parsed ??= parseRecordsWithFields(json(), id)).batch;
    },
    get fields() {
      return (parsed ??= parseRecordsWithFields(json(), id)).fields;
    },
  };
}

/** The first test of each log: the importer's own validation takes the whole document. */
function itPassesTheImporter(out: ReturnType<typeof converted>) {
  it('writes a document that parseRecordsDocument accepts whole', () => {
    const batch = parseRecordsDocument(out.json());
    expect(batch.tickets?.length).toBeGreaterThan(0);
  });
}

describe.skipIf(absent('bpic2013'))('BPIC 2013 (Volvo IT VINST incidents) conversion', () => {
  const out = converted('bpic2013');
  itPassesTheImporter(out);
  const file = logById('bpic2013').files[0]!;
  const rows = absent('bpic2013') ? [] : rawRows(file);
  const cases = casesOf(rows, 'SR Number');
  const tickets = () => out.batch.tickets!;

  it('gives one ticket per incident: 7,554, from 65,533 events', () => {
    expect(rows).toHaveLength(65_533);
    expect(cases.size).toBe(7_554);
    expect(tickets()).toHaveLength(7_554);
  });

  it('delivers only the field families the log holds', () => {
    expect(out.fields.tickets).toEqual([
      'priority',
      'assignee',
      'group',
      'category',
      'region',
      'reopens',
      'reassignments',
      'solved',
    ]);
  });

  it('solves the incidents whose log ends Completed after a resolution', () => {
    // The file lists each incident's events in time order.
    const want = count(cases.values(), (ev) => {
      const last = ev[ev.length - 1]!;
      return (
        last.Status === 'Completed' &&
        ev.some((e) => e.Status === 'Completed' && e['Sub Status'] !== 'Cancelled')
      );
    });
    expect(want).toBe(7_546);
    expect(count(tickets(), (t) => t.solvedAt !== undefined)).toBe(want);
    expect(count(tickets(), (t) => t.closedAt !== undefined)).toBe(
      count(cases.values(), (ev) =>
        ['Closed', 'Cancelled'].includes(ev[ev.length - 1]!['Sub Status']!),
      ),
    );
  });

  it('has one group per Involved ST and counts its changes as reassignments', () => {
    expect(out.batch.groups).toHaveLength(new Set(rows.map((r) => r['Involved ST'])).size);
    expect(out.batch.groups).toHaveLength(649);
    let changes = 0;
    for (const ev of cases.values())
      for (let i = 1; i < ev.length; i++)
        if (ev[i]!['Involved ST'] !== ev[i - 1]!['Involved ST']) changes++;
    expect(tickets().reduce((n, t) => n + (t.reassignmentCount ?? 0), 0)).toBe(changes);
  });

  it('reads impact as priority and counts returns from Completed as reopens', () => {
    const majors = count(cases.values(), (ev) => ev[0]!['SR Latest Impact'] === 'Major');
    expect(count(tickets(), (t) => t.priority === 'urgent')).toBe(majors);
    const reopened = count(cases.values(), (ev) =>
      ev.some((e, i) => i > 0 && ev[i - 1]!.Status === 'Completed' && e.Status !== 'Completed'),
    );
    expect(reopened).toBe(514);
    expect(count(tickets(), (t) => (t.reopenCount ?? 0) > 0)).toBe(reopened);
  });

  it('makes an agent of every person owner, with repaired names, and none of Siebel', () => {
    const agents = out.batch.agents!;
    const owners = new Set(
      rows
        .filter((r) => !['Siebel', 'Partner'].includes(r['Owner First Name']!))
        .map((r) => `${r['Owner Country']}|${r['Owner First Name']}`),
    );
    expect(agents).toHaveLength(owners.size);
    expect(agents.map((a) => a.name)).toContain('Björn');
    expect(agents.some((a) => /[ˆ≈¸]/.test(a.name ?? ''))).toBe(false);
    expect(tickets().some((t) => t.assigneeId?.includes('Siebel'))).toBe(false);
  });
});

describe.skipIf(absent('bpic2014'))('BPIC 2014 (Rabobank ITIL sample) conversion', () => {
  const out = converted('bpic2014');
  itPassesTheImporter(out);
  const [caseFile, activityFile] = logById('bpic2014').files;
  const incidents = absent('bpic2014') ? [] : rawRows(caseFile!);
  const activities = absent('bpic2014') ? [] : rawRows(activityFile!);
  const tickets = () => out.batch.tickets!;

  it('gives one ticket per incident of the sample: 4,000', () => {
    expect(new Set(incidents.map((r) => r.incident_id)).size).toBe(4_000);
    expect(tickets()).toHaveLength(4_000);
    expect(out.batch.agents).toBeUndefined();
  });

  it('delivers only the field families the log holds', () => {
    expect(out.fields.tickets).toEqual([
      'priority',
      'group',
      'category',
      'reopens',
      'reassignments',
      'knowledge',
      'problem',
      'solved',
    ]);
  });

  it('counts the incidents with a reopen time as reopened: 183', () => {
    const want = count(incidents, (r) => r.reopen_time !== '');
    expect(want).toBe(183);
    expect(count(tickets(), (t) => t.reopenCount === 1)).toBe(want);
  });

  it('solves the incidents with a resolved time and links the ones with a change', () => {
    const resolved = count(incidents, (r) => r.resolved_time !== '');
    expect(resolved).toBe(3_845);
    expect(count(tickets(), (t) => t.solvedAt !== undefined)).toBe(resolved);
    const changed = count(incidents, (r) => r.related_change !== '');
    expect(count(tickets(), (t) => t.problemLinked === true)).toBe(changed);
  });

  it('has one group per assignment group of the activity log, the last one on the ticket', () => {
    const groups = new Set(activities.map((a) => a.assignment_group));
    expect(groups.size).toBe(195);
    expect(out.batch.groups?.map((g) => g.sourceId).sort()).toEqual([...groups].sort());
    // The last activity by time stamp (string order works for YYYY-MM-DD HH:MM:SS).
    const lastGroup = new Map<string, { at: string; group: string }>();
    for (const a of activities) {
      const prev = lastGroup.get(a.incident_id!);
      if (!prev || a.data_stamp! >= prev.at)
        lastGroup.set(a.incident_id!, { at: a.data_stamp!, group: a.assignment_group! });
    }
    expect(count(tickets(), (t) => t.groupId === lastGroup.get(t.sourceId)?.group)).toBe(4_000);
    expect(count(tickets(), (t) => t.groupId === 'TEAM0008')).toBeGreaterThan(0);
  });
});

describe.skipIf(absent('helpdesk'))('Helpdesk (Italian software company) conversion', () => {
  const out = converted('helpdesk');
  itPassesTheImporter(out);
  const file = logById('helpdesk').files[0]!;
  const rows = absent('helpdesk') ? [] : rawRows(file);
  const cases = casesOf(rows, 'case:concept:name');
  const tickets = () => out.batch.tickets!;
  const has = (ev: Record<string, string>[], activity: string) =>
    ev.some((e) => e['concept:name'] === activity);

  it('gives one ticket per case: 4,580, and one agent per resource: 22', () => {
    expect(rows).toHaveLength(21_348);
    expect(cases.size).toBe(4_580);
    expect(tickets()).toHaveLength(4_580);
    expect(out.batch.agents).toHaveLength(22);
    expect(out.batch.groups).toBeUndefined();
  });

  it('delivers only the field families the log holds (no priority, groups or SLA)', () => {
    expect(out.fields.tickets).toEqual(['assignee', 'reopens', 'problem', 'solved']);
  });

  it('solves, closes, reopens and links tickets as their activities say', () => {
    const solved = count(cases.values(), (ev) => has(ev, 'Resolve ticket'));
    expect(solved).toBe(4_569);
    expect(count(tickets(), (t) => t.solvedAt !== undefined)).toBe(solved);
    expect(count(tickets(), (t) => t.status === 'closed')).toBe(
      count(cases.values(), (ev) => has(ev, 'Closed')),
    );
    expect(count(tickets(), (t) => t.problemLinked === true)).toBe(
      count(cases.values(), (ev) => has(ev, 'Create SW anomaly')),
    );
    const reopened = count(
      cases.values(),
      (ev) => ev.filter((e) => e['concept:name'] === 'Resolve ticket').length > 1,
    );
    expect(reopened).toBe(386);
    expect(count(tickets(), (t) => (t.reopenCount ?? 0) > 0)).toBe(reopened);
  });

  it('gives the median resolution time computed from the raw events', () => {
    // The file lists each case's events in time order; +00:00 times parse as they are.
    const at = (s: string) => Date.parse(s.replace(' ', 'T'));
    const want = median(
      [...cases.values()]
        .filter((ev) => has(ev, 'Resolve ticket'))
        .map(
          (ev) =>
            (at(ev.find((e) => e['concept:name'] === 'Resolve ticket')!['time:timestamp']!) -
              at(ev[0]!['time:timestamp']!)) /
            3_600_000,
        ),
    );
    const got = median(
      tickets()
        .filter((t) => t.solvedAt)
        .map((t) => (Date.parse(t.solvedAt!) - Date.parse(t.createdAt)) / 3_600_000),
    );
    expect(got).toBeCloseTo(want, 6);
  });
});
