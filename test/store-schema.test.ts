import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { recordKinds, recordSchemas, type RecordKind } from '../src/domain/records.js';
import { DECISION_COLUMNS } from '../src/store/decisions.js';
import { Store } from '../src/store/store.js';
import { snake, tables } from '../src/store/tables.js';

/**
 * Each record kind is described three times: its domain zod schema (src/domain/records.ts), its
 * store column list (src/store/tables.ts) and its migrated table (src/store/migrations). They must
 * agree: every field has its column, of a compatible type, and nothing is extra.
 */

type PgType = (typeof tables)[RecordKind]['fields'][string];

/** The columns every record table has beside its fields. */
const KEY_COLUMNS: Record<string, PgType> = {
  account_id: 'int',
  source_id: 'text',
  synced_at: 'timestamptz',
};

interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
}

/** The column type a zod field needs, and whether a parsed record may lack it. */
function columnFor(field: z.ZodType): { type: PgType; optional: boolean } {
  let t = field;
  let optional = false;
  for (;;) {
    const def = t.def as ZodDef;
    if (def.type === 'optional' || def.type === 'nullable') optional = true;
    if (def.innerType) t = def.innerType;
    else if (def.type === 'pipe' && def.in)
      t = def.in; // a transform: stored as its input type
    else break;
  }
  return { type: scalar(t), optional };
}

function scalar(t: z.ZodType): PgType {
  const def = t.def as ZodDef;
  const format = (t as { format?: string | null }).format;
  switch (def.type) {
    case 'string':
      return format === 'datetime' ? 'timestamptz' : 'text';
    case 'enum':
      return 'text';
    case 'number':
      return format === 'safeint' || format === 'int32' ? 'int' : 'float8';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const element = columnFor(def.element!).type;
      return element === 'text' ? 'text[]' : 'jsonb';
    }
    case 'object':
    case 'record':
      return 'jsonb';
    default:
      throw new Error(`no column type for a zod ${def.type}`);
  }
}

/** information_schema's data_type (and udt_name for arrays) as the store's type names. */
const fromCatalog = (c: { data_type: string; udt_name: string }): string =>
  ({
    text: 'text',
    'timestamp with time zone': 'timestamptz',
    integer: 'int',
    'double precision': 'float8',
    boolean: 'boolean',
    jsonb: 'jsonb',
    ARRAY: c.udt_name === '_text' ? 'text[]' : `${c.udt_name}`,
  })[c.data_type] ?? c.data_type;

describe('record descriptions', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open({});
  });
  afterAll(async () => store?.close());

  it.each(recordKinds)(
    '%s: the zod schema, the column list and the migrated table agree',
    async (kind) => {
      const shape = (recordSchemas[kind] as unknown as z.ZodObject).shape;
      const fromZod = new Map(
        Object.entries(shape)
          .filter(([f]) => f !== 'sourceId')
          .map(([f, s]) => [f, columnFor(s as z.ZodType)] as const),
      );
      const spec = tables[kind];

      // zod ⇔ column list: the same fields, of the same types.
      expect(Object.keys(spec.fields).sort(), 'tables.ts fields').toEqual(
        [...fromZod.keys()].sort(),
      );
      for (const [f, col] of fromZod) expect(spec.fields[f], `tables.ts ${f}`).toBe(col.type);

      // column list ⇔ migrated table: the same columns, of the same types; nothing extra.
      const columns = await store.dbForTests.query<{
        column_name: string;
        data_type: string;
        udt_name: string;
        is_nullable: 'YES' | 'NO';
      }>(
        `SELECT column_name, data_type, udt_name, is_nullable FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = $1`,
        [spec.table],
      );
      const expected = new Map<string, { type: string; optional: boolean }>([
        ...Object.entries(KEY_COLUMNS).map(([c, type]) => [c, { type, optional: false }] as const),
        ...[...fromZod].map(([f, col]) => [snake(f), col] as const),
      ]);
      expect(columns.map((c) => c.column_name).sort(), `${spec.table} columns`).toEqual(
        [...expected.keys()].sort(),
      );
      for (const c of columns) {
        const want = expected.get(c.column_name)!;
        expect(fromCatalog(c), `${spec.table}.${c.column_name}`).toBe(want.type);
        // A field a record may lack needs a column that may be NULL.
        if (want.optional)
          expect(c.is_nullable, `${spec.table}.${c.column_name} nullable`).toBe('YES');
      }
    },
  );
});

describe('the decisions table', () => {
  it('has the columns src/store/decisions.ts reads and writes, and nothing else', async () => {
    const store = await Store.open({});
    try {
      const columns = await store.dbForTests.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'decisions'`,
      );
      expect(columns.map((c) => c.column_name).sort()).toEqual(
        ['account_id', ...DECISION_COLUMNS].sort(),
      );
    } finally {
      await store.close();
    }
  });
});
