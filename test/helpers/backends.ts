import pg from 'pg';
import { Store } from '../../src/store/store.js';
import { memoryStore } from './store-template.js';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const reachable = await postgresReachable();
if (!reachable) {
  if (process.env.CI) {
    throw new Error(`PostgreSQL is required under CI=true but ${PG_URL} is not reachable`);
  }
  console.warn(
    `\n!!! PostgreSQL at ${PG_URL} is not reachable: PostgreSQL variants of the store tests are SKIPPED !!!\n`,
  );
}

export interface Backend {
  name: 'pglite' | 'postgres';
  open(): Promise<Store>;
}

let n = 0;
/** A fresh, empty store per call: in-memory PGlite, or a private schema on the test PostgreSQL. */
export const backends: Backend[] = [
  { name: 'pglite', open: memoryStore },
  ...(reachable
    ? [
        {
          name: 'postgres' as const,
          async open() {
            const schema = `t_${process.pid}_${Date.now().toString(36)}_${n++}`;
            const store = await Store.open({ url: PG_URL, schema });
            const close = store.close.bind(store);
            store.close = async () => {
              await store.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
              await close();
            };
            return store;
          },
        },
      ]
    : []),
];
