import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableRows } from '../../connectors/servicenow/client.js';
import { incidentColumns } from '../../connectors/servicenow/incident-columns.js';
import { incidentFields, incidentToTicket } from '../../connectors/servicenow/map-incident.js';
import { scanTablePage } from '../../connectors/servicenow/scan-page.js';
import { flattenValue } from '../../connectors/servicenow/values.js';
import type { Ticket } from '../../src/domain/records.js';
import { ticketsOfColumns } from '../../src/domain/ticket-columns.js';
import { copyBinary, copyColumnsPage, copyTicketColumns } from '../../src/store/copy-binary.js';
import { tables } from '../../src/store/tables.js';

/**
 * A plain incident page is read from its bytes (scan-page.ts), mapped as columns
 * (incident-columns.ts) and written to COPY from them (copyTicketColumns). The judge is the way
 * every other page takes: JSON.parse, the row schema, incidentToTicket with the Ticket schema,
 * and copyBinary. Whatever the quick way accepts must give the same rows, the same tickets and
 * the same bytes; and it must accept the pages real instances send.
 */

/** What readTable asks the incident table for (its key fields are among them). */
const fields: readonly string[] = incidentFields;
const ID = fields.indexOf('sys_id');

const hex = fc.string({
  unit: fc.constantFrom(...'0123456789abcdef'),
  minLength: 32,
  maxLength: 32,
});
const plainDate = fc
  .date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('2100-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 19).replace('T', ' '));
/** Values a real instance sends for each field (stored values, plain sys_ids). */
const plainValue: Record<string, fc.Arbitrary<string>> = {
  sys_id: hex,
  number: fc.nat(9_999_999).map((n) => `INC${String(n).padStart(7, '0')}`),
  opened_at: plainDate,
  sys_created_on: plainDate,
  sys_updated_on: plainDate,
  resolved_at: fc.oneof(plainDate, fc.constant('')),
  closed_at: fc.oneof(plainDate, fc.constant('')),
  priority: fc.constantFrom('1', '2', '3', '4', '5', ''),
  incident_state: fc.constantFrom('1', '2', '3', '6', '7', '8', ''),
  state: fc.constantFrom('1', '2', '3', '6', '7', '8', ''),
  active: fc.constantFrom('true', 'false'),
  contact_type: fc.constantFrom(
    'phone',
    'email',
    'self-service',
    'chat',
    'walk-in',
    'virtual_agent',
    '',
  ),
  assignment_group: fc.oneof(hex, fc.constant('')),
  assigned_to: fc.oneof(hex, fc.constant('')),
  company: fc.oneof(hex, fc.constant('')),
  reopen_count: fc.constantFrom('0', '1', '2', '13'),
  reassignment_count: fc.constantFrom('0', '1', '4', ''),
  knowledge: fc.constantFrom('true', 'false'),
  problem_id: fc.oneof(hex, fc.constant('')),
  rfc: fc.oneof(hex, fc.constant('')),
  caused_by: fc.oneof(hex, fc.constant('')),
  made_sla: fc.constantFrom('true', 'false', ''),
  sys_mod_count: fc.nat(40).map(String),
  category: fc.constantFrom('software', 'hardware', 'network', 'inquiry', 'Category 55', ''),
  location: fc.oneof(hex, fc.constant('')),
  resolved_by: fc.oneof(hex, fc.constant('')),
};

/** Values a proxy, an export-minded admin or a broken instance may send instead. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    '?',
    'null',
    'NULL',
    '(empty)',
    'undefined',
    ' ',
    ' 3 ',
    '3 - Moderate',
    'Closed',
    'Awaiting Caller',
    'Self service',
    'TRUE',
    'yes',
    '1,234',
    '3.0',
    '-1',
    '-0',
    '99999999999',
    '2147483648',
    '2026-02-30 10:00:00',
    '1969-12-31 23:59:59',
    '2101-01-01 00:00:00',
    '2026-01-01T00:00:00Z',
    ' 2026-01-01 00:00:0',
    '2026-1-1 00:00:00',
    'x'.repeat(201),
    'y'.repeat(200),
    'Zürich',
    'a"b',
    'back\\slash',
    'line\nbreak',
    'tab\there',
    '\u0000',
    '😀',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.record({ value: hex, link: fc.constant('https://x/api') }),
  fc.record({ display_value: fc.string({ maxLength: 5 }) }),
);

/** Dates of the Table API's shape that are not a real day or time, or outside 1970–2100. */
const oddDate = fc.constantFrom(
  '2026-02-29 00:00:00',
  '2100-02-29 12:00:00',
  '2026-04-31 08:00:00',
  '2026-13-01 00:00:00',
  '2026-00-10 00:00:00',
  '2026-01-00 00:00:00',
  '2026-01-01 24:00:00',
  '2026-01-01 23:60:00',
  '2026-01-01 23:59:60',
  '1969-12-31 23:59:59',
  '2101-01-01 00:00:00',
  '0099-01-01 00:00:00',
  // Real ones at the edges.
  '2024-02-29 00:00:00',
  '2000-02-29 23:59:59',
  '1970-01-01 00:00:00',
  '2100-12-31 23:59:59',
);
const dateFields = fields.flatMap((f, i) => (/_at$|_on$/.test(f) ? [i] : []));

/** A row as key-value pairs in the order sent (so a key may come twice). */
type Pairs = [string, unknown][];

const plainRow: fc.Arbitrary<Pairs> = fc
  .record(plainValue)
  .map((r) => fields.map((f) => [f, r[f]]));

/** A plain row with a few changes: a value replaced, a key dropped, added, repeated or moved. */
const oddRow: fc.Arbitrary<Pairs> = fc
  .tuple(
    plainRow,
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('value'), at: fc.nat(), value: oddValue }),
        fc.record({ op: fc.constant('date'), at: fc.nat(), value: oddDate }),
        fc.record({ op: fc.constant('date'), at: fc.nat(), value: oddDate }),
        fc.record({ op: fc.constant('drop'), at: fc.nat() }),
        fc.record({ op: fc.constant('repeat'), at: fc.nat() }),
        fc.record({ op: fc.constant('swap'), at: fc.nat() }),
        fc.record({ op: fc.constant('unknown'), value: oddValue }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([row, changes]) => {
    const out: Pairs = row.map(([k, v]) => [k, v]);
    for (const c of changes) {
      const i = 'at' in c ? c.at % out.length : 0;
      if (!out.length) break;
      if (c.op === 'value') out[i]![1] = c.value;
      else if (c.op === 'date') {
        const at = out.findIndex(([k]) => k === fields[dateFields[c.at % dateFields.length]!]);
        if (at >= 0) out[at]![1] = c.value;
      } else if (c.op === 'drop') out.splice(i, 1);
      else if (c.op === 'repeat') out.push([out[i]![0], out[i]![1]]);
      else if (c.op === 'swap') out.unshift(...out.splice(i, 1));
      else out.push(['u_custom', c.value]);
    }
    return out;
  });

/** A page's JSON text: compact as instances send it, or spaced and broken into lines. */
function body(rows: Pairs[], spaced: boolean): string {
  const [sp, nl] = spaced ? [' ', '\n  '] : ['', ''];
  const row = (pairs: Pairs) =>
    `{${pairs.map(([k, v]) => `${nl}${JSON.stringify(k)}${sp}:${sp}${JSON.stringify(v)}`).join(',')}${nl}}`;
  return `{${sp}"result"${sp}:${sp}[${rows.map(row).join(`,${nl}`)}]${sp}}`;
}

/** The way every other page takes: parsed rows, mapped and checked one by one. */
function theRecordsWay(text: string, linked: Set<string>) {
  const { rows, invalid } = tableRows(JSON.parse(text), 'incident');
  const mapped = rows.map((r) =>
    incidentToTicket(r, { kbLinked: r.sys_id ? linked.has(r.sys_id) : false }),
  );
  return { rows, invalid, mapped };
}

/** Checks one page both ways; says whether the quick way took it (scanned, mapped). */
function bothWays(text: string, linked: Set<string>): { scanned: boolean; mapped: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  const page = scanTablePage(bytes, fields);
  if (!page) return { scanned: false, mapped: false };
  // Scanned: JSON.parse and the row schema take it as it is, and the values are the same.
  const slow = theRecordsWay(text, linked);
  const sent = (JSON.parse(text) as { result: Record<string, unknown>[] }).result;
  expect(slow.invalid).toEqual([]);
  expect(page.length).toBe(sent.length);
  for (let r = 0; r < sent.length; r++) {
    for (let f = 0; f < fields.length; f++) {
      expect(page.has(r, f)).toBe(Object.hasOwn(sent[r]!, fields[f]!));
      expect(page.value(r, f)).toBe(flattenValue(sent[r]![fields[f]!]));
    }
    expect(Object.keys(sent[r]!).every((k) => fields.includes(k))).toBe(true);
  }
  // As fetchTablePage finds them in parsed rows: none on an empty page.
  expect(page.missingFields()).toEqual(
    sent.length ? fields.filter((f) => !sent.some((row) => Object.hasOwn(row, f))) : [],
  );
  const quick = incidentColumns(page, (id) => linked.has(id));
  if (!quick) return { scanned: true, mapped: false };
  // Mapped as columns: every row was a valid ticket, no id twice, the same tickets and bytes.
  const records = slow.mapped.map((m) => {
    expect(m.ok).toBe(true);
    return (m as { record: Ticket }).record;
  });
  expect(new Set(records.map((t) => t.sourceId)).size).toBe(records.length);
  expect(quick.ids).toEqual(records.map((t) => t.sourceId));
  // The same records, -0 for 0 and the order of their keys included.
  const made = ticketsOfColumns(quick.tickets);
  expect(made).toEqual(records);
  expect(JSON.stringify(made)).toBe(JSON.stringify(records));
  made.forEach((t, i) => {
    expect(Object.is(t.reopenCount, records[i]!.reopenCount)).toBe(true);
    expect(Object.is(t.reassignmentCount, records[i]!.reassignmentCount)).toBe(true);
  });
  const expected = copyBinary(tables.tickets, 42, records);
  expect(expected).toBeDefined();
  expect(copyTicketColumns(tables.tickets, 42, quick.tickets)?.equals(expected!)).toBe(true);
  return { scanned: true, mapped: true };
}

describe('ServiceNow pages read from their bytes', () => {
  it('takes every plain page the quick way, with the same tickets and COPY bytes', () => {
    fc.assert(
      fc.property(
        fc.array(plainRow, { maxLength: 30 }),
        fc.boolean(),
        fc.nat(),
        (rows, spaced, pick) => {
          // Unique ids, as an instance's are; some of them linked to an article.
          const unique = rows.filter(
            (r, i) => rows.findIndex((o) => o[ID]![1] === r[ID]![1]) === i,
          );
          const linked = new Set(
            unique.filter((_, i) => (i + pick) % 3 === 0).map((r) => String(r[ID]![1])),
          );
          expect(bothWays(body(unique, spaced), linked)).toEqual({ scanned: true, mapped: true });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same answer as the parsed way for odd rows, or leaves the page to it', () => {
    const seen = { scanned: 0, mapped: 0, runs: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ arbitrary: plainRow, weight: 3 }, { arbitrary: oddRow, weight: 1 }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.boolean(),
        fc.option(fc.nat()),
        (rows, spaced, again) => {
          // Now and then a row sent twice (the same sys_id on one page).
          if (again !== null) rows.push(rows[again % rows.length]!);
          const r = bothWays(body(rows, spaced), new Set());
          seen.runs++;
          if (r.scanned) seen.scanned++;
          if (r.mapped) seen.mapped++;
        },
      ),
      { numRuns: 2500 },
    );
    // Both ways were really compared: many odd pages scan, and some of them map as columns.
    expect(seen.scanned).toBeGreaterThan(seen.runs / 10);
    expect(seen.mapped).toBeGreaterThan(seen.runs / 50);
  });

  it('reads dates at the edges of a real day and of 1970–2100 as the schema does', () => {
    fc.assert(
      fc.property(
        fc.array(plainRow, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        oddDate,
        (rows, row, field, date) => {
          const unique = rows.filter(
            (r, i) => rows.findIndex((o) => o[ID]![1] === r[ID]![1]) === i,
          );
          unique[row % unique.length]![dateFields[field % dateFields.length]!]![1] = date;
          bothWays(body(unique, false), new Set());
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reads counts at the edges of the int column as the schema does', () => {
    const counts = fields.flatMap((f, i) => (/_count$/.test(f) ? [i] : []));
    fc.assert(
      fc.property(
        fc.array(plainRow, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom(
          '-0',
          '-00',
          '-0.0',
          '0.00',
          '2147483647',
          '2147483648',
          '1,234',
          '3.0',
          '+1',
          '007',
          ' 1',
          '-3',
        ),
        (rows, row, field, value) => {
          const unique = rows.filter(
            (r, i) => rows.findIndex((o) => o[ID]![1] === r[ID]![1]) === i,
          );
          unique[row % unique.length]![counts[field % counts.length]!]![1] = value;
          bothWays(body(unique, false), new Set());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves to JSON.parse what is not plain JSON text', () => {
    const row = '{"sys_id":"a1","opened_at":"2026-01-01 00:00:00"}';
    for (const text of [
      `{"result":[${row}]`, // cut short
      `{"result":[${row}]}x`,
      `{"result":[${row},]}`,
      `{"result":[${row}],"extra":1}`,
      `{"results":[${row}]}`,
      `\ufeff{"result":[${row}]}`,
      `{"result":[{"sys_id":"a1","opened_at":"2026-01-01 00:00:00",}]}`,
      `{"result":[{"sys_id":"a1" "opened_at":"x"}]}`,
      `{"result":[{}]}`,
      `{"result":[{"opened_at":"2026-01-01 00:00:00"}]}`,
      `{"result":{"sys_id":"a1"}}`,
      `[${row}]`,
      '<html><body>Instance hibernating</body></html>',
      '',
    ])
      expect(scanTablePage(Buffer.from(text), fields), text).toBeUndefined();
    expect(scanTablePage(Buffer.from(`{"result":[${row}]}`), fields)?.length).toBe(1);
    expect(scanTablePage(Buffer.from(' {"result" : [ ] } \n'), fields)?.length).toBe(0);
  });

  it('writes a page of columns the store cannot write as binary from its tickets', () => {
    const bytes = Buffer.from('{"result":[{"sys_id":"a1","opened_at":"2026-01-01 00:00:00"}]}');
    const page = scanTablePage(bytes, fields)!;
    const quick = incidentColumns(page)!;
    // A column of the wrong kind for its table column: the records' way writes the page.
    const odd = {
      ...quick.tickets,
      columns: {
        ...quick.tickets.columns,
        reopenCount: { kind: 'flag' as const, values: Int8Array.of(1) },
      },
    };
    expect(copyTicketColumns(tables.tickets, 1, odd)).toBeUndefined();
    expect(copyColumnsPage(tables.tickets, 1, odd).format).toBe('text');
    expect(copyColumnsPage(tables.tickets, 1, quick.tickets).format).toBe('binary');
  });
});
