import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EARLIEST, INT_MAX, INT_MIN, LATEST, recordKinds } from '../src/domain/records.js';
import { textProblem } from '../src/domain/text.js';
import { copyBinary, copyPage, pgMicros, type CopyPage } from '../src/store/copy-binary.js';
import { copyColumns, copyText } from '../src/store/copy-text.js';
import type { Db } from '../src/store/db.js';
import { snake, tables, type TableSpec } from '../src/store/tables.js';
import type { Store } from '../src/store/store.js';
import { backends } from './helpers/backends.js';

/**
 * Pages reach the database in COPY's binary format (src/store/copy-binary.ts), where the encoder,
 * not the database, turns each value into what is stored. The database is the judge here: the
 * same records sent as text, which it parses itself, must be stored exactly alike.
 */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Text PostgreSQL takes: any string but one with a NUL or a lone surrogate (the schemas refuse those). */
const text = fc
  .oneof(
    fc.string(),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom('tab\there', 'line\nbreak', 'cr\rlf', '\\N', '\\', 'a"b', '{a,b}', 'NULL', ' '),
    fc.constantFrom(
      'Zürich – 東京 😀',
      'ÉCOLE',
      'x'.repeat(300),
      '日'.repeat(200),
      '😀'.repeat(100),
    ),
    fc.string({ unit: 'grapheme', minLength: 60, maxLength: 200 }),
  )
  .filter((s) => !textProblem(s));

/**
 * Date-times of the form the schemas take, from 1970 to 2100: whole seconds or up to 6 decimals,
 * Z or an offset (the clock fields read as local time there, which is another instant: fine).
 */
const dateTime = fc
  .record({
    ms: fc.integer({ min: EARLIEST, max: LATEST - 1 }),
    decimals: fc.integer({ min: 0, max: 6 }),
    fraction: fc.integer({ min: 0, max: 999_999 }),
    zone: fc.oneof(
      fc.constant('Z'),
      fc
        .record({
          sign: fc.constantFrom('+', '-'),
          h: fc.integer({ min: 0, max: 15 }),
          m: fc.integer({ min: 0, max: 59 }),
        })
        .map(({ sign, h, m }) => `${sign}${pad(h)}:${pad(m)}`),
    ),
  })
  .map(({ ms, decimals, fraction, zone }) => {
    const whole = new Date(ms).toISOString().slice(0, 19);
    return `${whole}${decimals ? `.${pad(fraction, 6).slice(0, decimals)}` : ''}${zone}`;
  });

const valueOf: Record<TableSpec['fields'][string], fc.Arbitrary<unknown>> = {
  text,
  timestamptz: dateTime,
  int: fc.oneof(
    fc.integer({ min: INT_MIN, max: INT_MAX }),
    fc.constantFrom(0, -0, INT_MAX, INT_MIN),
  ),
  float8: fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -0, 0.1, 1e-7, 123456.789, Number.MIN_VALUE, Number.MAX_VALUE),
  ),
  boolean: fc.boolean(),
  'text[]': fc.array(text, { maxLength: 5 }),
  // jsonb refuses the escape \u0000 in a string; JSON's null would be the column's.
  jsonb: fc.jsonValue().filter((v) => v !== null && !JSON.stringify(v).includes('\\u0000')),
};

/**
 * A page of records of a kind: every field of its table drawn, absent now and then where its
 * column may be null, and distinct source ids.
 */
const pageOf = (spec: TableSpec, required: Set<string>) =>
  fc
    .array(
      fc.tuple(
        text,
        fc.record(
          Object.fromEntries(
            Object.entries(spec.fields).map(([f, type]) => [
              f,
              required.has(`${spec.table}.${snake(f)}`)
                ? valueOf[type]
                : fc.option(valueOf[type], { nil: undefined, freq: 4 }),
            ]),
          ),
        ),
      ),
      { minLength: 1, maxLength: 40 },
    )
    .map((rows) => rows.map(([id, fields], i) => ({ ...fields, sourceId: `${i}:${id}` })));

/** An account's stored records of a table as text, in source id order, synced_at aside. */
async function storedAsText(db: Db, spec: TableSpec, accountId: number): Promise<string[]> {
  const cols = Object.keys(spec.fields).map(snake);
  const rows = await db.query<{ v: string }>(
    `SELECT ROW(source_id, ${cols.join(', ')})::text AS v FROM ${spec.table}
      WHERE account_id = $1 ORDER BY source_id COLLATE "C"`,
    [accountId],
  );
  return rows.map((r) => r.v);
}

const copyInto = (db: Db, spec: TableSpec, page: CopyPage) =>
  db.transaction((tx) => tx.copyFrom(spec.table, copyColumns(spec), page));

describe('PostgreSQL binary COPY of timestamps', () => {
  it('reads the instant of every date-time the schemas take', () => {
    fc.assert(
      fc.property(dateTime, (s) => {
        // Date.parse keeps milliseconds: the rest of the fraction is added to its reading.
        const decimals = /\.(\d+)/.exec(s)?.[1] ?? '';
        const extra = Number(decimals.slice(3).padEnd(3, '0'));
        const expected = (Date.parse(s) - Date.UTC(2000, 0, 1)) * 1000 + extra;
        expect(pgMicros(s)).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it('leaves to the text format what it cannot read exactly', () => {
    for (const s of [
      '2026-03-01T10:00:00.1234567Z', // PostgreSQL rounds a 7th decimal
      '2026-03-01T10:00:00', // no zone
      '2026-03-01 10:00:00Z',
      '2026-03-01T10:00:00.Z',
      '2026-03-01T10:00:00+0100',
      '2026-03-01T10:00:00+01',
      '2026-03-01T24:00:00Z',
      '2026-13-01T10:00:00Z',
      '2026-03-01T10:00:60Z',
      '2026-03-01T10:00:00+24:00',
      '2026-03-01T10:00:00+16:00', // PostgreSQL refuses it
      '2026-03-01T10:00:00Zjunk',
      '２026-03-01T10:00:00Z',
      '',
    ])
      expect(pgMicros(s), s).toBeNaN();
    const binary = (v: Record<string, unknown>) =>
      copyBinary(tables.tickets, 1, [
        { sourceId: 'a', createdAt: '2026-03-01T10:00:00Z', status: 'open', tags: [], ...v },
      ]) !== undefined;
    expect(binary({})).toBe(true);
    expect(binary({ updatedAt: '2026-03-01T10:00:00.1234567Z' })).toBe(false);
    expect(binary({ reopenCount: INT_MAX + 1 })).toBe(false);
    expect(binary({ reopenCount: 1.5 })).toBe(false);
    expect(binary({ firstResponseMinutes: '5' })).toBe(false);
    expect(binary({ knowledgeLinked: 'yes' })).toBe(false);
    expect(binary({ status: 7 })).toBe(false);
    expect(binary({ tags: ['a', 1] })).toBe(false);
    expect(binary({ tags: 'a' })).toBe(false);
  });
});

describe.each(backends)('pages in the binary format on $name', (backend) => {
  let store: Store;
  let db: Db;
  let binaryAccount: number;
  let textAccount: number;
  /** The columns that may not be null, as table.column. */
  let required: Set<string>;
  beforeAll(async () => {
    store = await backend.open();
    db = store.dbForTests;
    const columns = await db.query<{ c: string }>(
      `SELECT table_name || '.' || column_name AS c FROM information_schema.columns
        WHERE table_schema = current_schema() AND is_nullable = 'NO'`,
    );
    required = new Set(columns.map((r) => r.c));
    binaryAccount = (await store.createAccount('binary', 'records')).id;
    textAccount = (await store.createAccount('text', 'records')).id;
  }, 60_000);
  afterAll(() => store?.close());

  it.each(recordKinds)('store %s exactly as the database reads them from text', async (kind) => {
    const spec = tables[kind];
    await fc.assert(
      fc.asyncProperty(pageOf(spec, required), async (records) => {
        await db.query(`DELETE FROM ${spec.table} WHERE account_id = ANY($1)`, [
          [binaryAccount, textAccount],
        ]);
        const binary = copyPage(spec, binaryAccount, records);
        expect(binary.format).toBe('binary');
        await copyInto(db, spec, binary);
        const data = copyText(spec, textAccount, records);
        await copyInto(db, spec, { format: 'text', data, rows: records.length });
        const stored = await storedAsText(db, spec, binaryAccount);
        expect(stored).toHaveLength(records.length);
        expect(stored).toEqual(await storedAsText(db, spec, textAccount));
      }),
      { numRuns: kind === 'tickets' ? 40 : 15 },
    );
  });

  it('stores a ticket whose id takes three bytes a character, its times and all', async () => {
    // The id's bytes fill the buffer's room: the times after it must still be written whole.
    const times = {
      createdAt: '2026-03-01T10:00:00Z',
      updatedAt: '2026-03-01T10:00:00Z',
      solvedAt: '2026-03-01T10:00:00Z',
      closedAt: '2026-03-01T10:00:00Z',
    };
    for (const n of [70, 81, 94, 95, 200]) {
      const records = [{ sourceId: '日'.repeat(n), status: 'open', tags: [], ...times }];
      const page = copyPage(tables.tickets, binaryAccount, records);
      expect(page.format).toBe('binary');
      await db.query('DELETE FROM tickets WHERE account_id = $1', [binaryAccount]);
      await copyInto(db, tables.tickets, page);
      const [row] = await db.query<{ t: string }>(
        `SELECT concat_ws(' ', created_at, updated_at, solved_at, closed_at, priority) AS t
           FROM tickets WHERE account_id = $1`,
        [binaryAccount],
      );
      const at = (
        await db.query<{ t: string }>(`SELECT '2026-03-01T10:00:00Z'::timestamptz::text AS t`)
      )[0]!.t;
      expect(row?.t, `id of ${n} characters`).toBe(Array(4).fill(at).join(' '));
    }
  });

  it('stores a page it leaves to the text format as the database reads it', async () => {
    const records = [
      {
        sourceId: 'seven-decimals',
        createdAt: '2026-03-01T10:00:00.1234567Z',
        status: 'open',
        tags: [],
      },
    ];
    expect(copyBinary(tables.tickets, binaryAccount, records)).toBeUndefined();
    await store.upsert(binaryAccount, 'tickets', records as never);
    const [row] = await db.query<{ t: string }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'HH24:MI:SS.US') AS t FROM tickets
        WHERE account_id = $1 AND source_id = 'seven-decimals'`,
      [binaryAccount],
    );
    expect(row?.t).toBe('10:00:00.123457');
  });
});
