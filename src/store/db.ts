import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { MaturityError } from '../errors.js';

/** A query-only handle: what the metrics get (no exec, no transaction, no close). */
export interface QueryDb {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** The little SQL surface the store needs, the same over PGlite and PostgreSQL. */
export interface Db extends QueryDb {
  readonly kind: 'pglite' | 'postgres';
  /** Runs several statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** postgres:// URL; without it, PGlite in `dir` (or in memory when dir is undefined). */
  url?: string;
  dir?: string;
  /** PostgreSQL schema to work in (tests use one each). Created if missing. */
  schema?: string;
}

export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.url) return openPostgres(options.url, options.schema);
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const lite = await PGlite.create(options.dir ?? 'memory://');
  return pgliteDb(lite);
}

function pgliteDb(lite: PGlite | Parameters<Parameters<PGlite['transaction']>[0]>[0]): Db {
  const db: Db = {
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      const res = await lite.query<T>(sql, params);
      return res.rows;
    },
    async exec(sql: string) {
      await lite.exec(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      if (!('transaction' in lite)) return fn(db);
      return lite.transaction((tx) => fn(pgliteDb(tx)));
    },
    async close() {
      if ('close' in lite) await lite.close();
    },
  };
  return db;
}

async function openPostgres(url: string, schema?: string): Promise<Db> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new MaturityError('E_STORE', `invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const on = (client: pg.Pool | pg.PoolClient): Db => ({
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      const res = await client.query(sql, params);
      return res.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      if (client !== pool) return fn(on(client));
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const out = await fn(on(conn));
        await conn.query('COMMIT');
        return out;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    },
    async close() {
      if (client === pool) await pool.end();
    },
  });
  return on(pool);
}
