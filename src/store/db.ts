import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { MaturityError } from '../errors.js';
import { copyOptions, type CopyPage } from './copy-binary.js';
import { lockStore, type StoreLockOptions } from './lock-store.js';
import { startLiteThread, type LiteThread } from './pglite-thread.js';

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
  /**
   * Loads a page of rows (copy-binary.ts) into `table` (its `columns`, in order): COPY FROM
   * STDIN on PostgreSQL, from a blob on PGlite. Call it within a transaction when the
   * table is a temporary one (on PostgreSQL, the pool may lend another connection otherwise).
   */
  copyFrom(table: string, columns: readonly string[], page: CopyPage): Promise<void>;
  /**
   * Holds a named lock across processes sharing the database (PostgreSQL: a session advisory
   * lock on a connection of its own, released if the process dies; PGlite, which one process
   * holds: in memory). Resolves once held with the function that lets go; when another holder
   * has it, calls `onBusy` once and waits (polling; `signal` stops the wait).
   */
  holdLock(key: string, o?: HoldLockOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface HoldLockOptions {
  onBusy?: () => void;
  signal?: AbortSignal;
  /** How often to try again while another holder has it; default 500 ms. */
  pollMs?: number;
}

export interface OpenDbOptions {
  /** postgres:// URL; without it, PGlite in `dir` (or in memory when dir is undefined). */
  url?: string;
  dir?: string;
  /**
   * Tests and benchmarks only: an in-memory store starts from this dump of a migrated one
   * (PGlite's `dumpDataDir`), which skips creating a database cluster (about 2 s) each time.
   */
  memoryFrom?: Blob;
  /** PostgreSQL schema to work in (tests use one each). Created if missing. */
  schema?: string;
  /** PGlite in `dir`: who this process is and how long to wait for another holder (lock-store.ts). */
  lock?: StoreLockOptions;
}

/**
 * Opens the database. PGlite in a directory is held by one process at a time (lockStore: a
 * second command waits, then fails with E_STORE_BUSY) and is the owner's alone: the directory is
 * made 0700 and the files PGlite creates world-writable are made owner-only, at open and close.
 */
export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.url) return openPostgres(options.url, options.schema);
  if (!options.dir) {
    const lite = options.memoryFrom
      ? await PGlite.create({ loadDataDir: options.memoryFrom })
      : await PGlite.create('memory://');
    return pgliteDb(lite, memoryLocks());
  }
  const dir = path.resolve(options.dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = await lockStore(dir, options.lock);
  let opened: Db | undefined;
  try {
    ownerOnly(dir);
    const db = (opened = threadDb(await startLiteThread(dir), memoryLocks()));
    // PGlite creates its files world-writable (a new store's, and some on every start).
    ownerOnly(dir);
    return {
      ...db,
      async close() {
        try {
          await db.close();
          ownerOnly(dir);
        } finally {
          lock.release();
        }
      },
    };
  } catch (err) {
    // The database is let go of before the lock: no other process may open it while it is open.
    await opened?.close().catch(() => undefined);
    lock.release();
    throw err;
  }
}

/** Makes a directory tree readable and writable by its owner only (0700 directories, 0600 files). */
function ownerOnly(dir: string): void {
  const walk = (p: string, isDir: boolean) => {
    const mode = lstatSync(p).mode & 0o777;
    const want = isDir ? mode & 0o700 : mode & 0o600;
    if (mode !== want) chmodSync(p, want);
    if (isDir)
      for (const e of readdirSync(p, { withFileTypes: true }))
        if (!e.isSymbolicLink()) walk(path.join(p, e.name), e.isDirectory());
  };
  walk(dir, true);
}

type Release = () => Promise<void>;
type HoldLock = (key: string, o?: HoldLockOptions) => Promise<Release>;

/** Named locks within one process (what PGlite needs: the store lock keeps other processes out). */
function memoryLocks(): HoldLock {
  const held = new Map<string, Promise<void>>();
  return async (key, o = {}) => {
    let told = false;
    for (let busy = held.get(key); busy; busy = held.get(key)) {
      if (!told) o.onBusy?.();
      told = true;
      await Promise.race([busy, aborted(o.signal)]);
    }
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    held.set(key, mine);
    return async () => {
      if (held.get(key) === mine) held.delete(key);
      release();
    };
  };
}

/** A promise that rejects when the signal aborts (never settles without a signal). */
function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    signal.throwIfAborted();
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

function pgliteDb(
  lite: PGlite | Parameters<Parameters<PGlite['transaction']>[0]>[0],
  holdLock: HoldLock,
): Db {
  const db: Db = {
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      const res = await lite.query<T>(sql, params);
      return res.rows;
    },
    async exec(sql: string) {
      await lite.exec(sql);
    },
    async copyFrom(table, columns, page) {
      await lite.query(blobCopySql(table, columns, page), [], {
        // copyPage's buffers are on a plain ArrayBuffer, never a shared one.
        blob: new Blob([page.data as Uint8Array<ArrayBuffer>]),
      });
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      if (!('transaction' in lite)) return fn(db);
      return lite.transaction((tx) => fn(pgliteDb(tx, holdLock)));
    },
    holdLock,
    async close() {
      if ('close' in lite) await lite.close();
    },
  };
  return db;
}

/** PGlite's COPY of a page, handed over as its `/dev/blob`. */
const blobCopySql = (table: string, columns: readonly string[], page: CopyPage) =>
  `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'${copyOptions(page.format)}`;

/**
 * The Db over PGlite in its own thread. A transaction has the database to itself: statements
 * from outside it wait until it ends (PGlite, one connection, would otherwise run them inside
 * it), as PGlite's own transaction() makes them wait in process.
 */
function threadDb(lite: LiteThread, holdLock: HoldLock): Db {
  const turns = memoryLocks();
  const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
    const release = await turns('database');
    try {
      return await fn();
    } finally {
      await release();
    }
  };
  /**
   * The statements of one transaction under way: straight through, and refused once it has
   * ended (a statement nobody awaited would otherwise run in whatever comes next).
   */
  const insideOf = () => {
    let open = true;
    const guard = <T>(f: () => Promise<T>) =>
      open ? f() : Promise.reject(new Error('a statement came after its transaction had ended'));
    const tx: Db = {
      kind: 'pglite',
      query: (sql, params) => guard(() => lite.query(sql, params)),
      exec: (sql) => guard(() => lite.exec(sql)),
      copyFrom: (table, columns, page) =>
        guard(() => lite.copy(blobCopySql(table, columns, page), page.data)),
      transaction: (fn) => guard(() => fn(tx)),
      holdLock,
      close: () => Promise.resolve(),
    };
    return { tx, end: () => (open = false) };
  };
  return {
    kind: 'pglite',
    query: (sql, params) => exclusive(() => lite.query(sql, params)),
    exec: (sql) => exclusive(() => lite.exec(sql)),
    copyFrom: (table, columns, page) =>
      exclusive(() => lite.copy(blobCopySql(table, columns, page), page.data)),
    transaction: (fn) =>
      exclusive(async () => {
        const inside = insideOf();
        await lite.exec('BEGIN');
        try {
          const out = await fn(inside.tx);
          inside.end();
          await lite.exec('COMMIT');
          return out;
        } catch (err) {
          inside.end();
          await lite.exec('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    holdLock,
    close: () => exclusive(() => lite.close()),
  };
}

async function openPostgres(url: string, schema?: string): Promise<Db> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new MaturityError('E_STORE', `invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A connection PostgreSQL ends (a restart, an administrator's terminate, a failover) is dropped
  // by the pool, and the next statement opens another. Its error event must not end the process
  // (a server or worker outlives many such ends): a statement under way on it fails with the
  // error itself, which its caller sees; an idle one has nothing to tell.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    // No JIT compilation: a metric's query over a window of 250,000 tickets runs in 0.1-0.4 s,
    // and when the planner's estimate crosses jit_above_cost, LLVM spends 0.3 s compiling it
    // (the ticket-shares query took about 0.8 s with it, 0.45 s without; the whole snapshot of the
    // bench's 1,000,000 tickets 2.3-2.9 s against 1.4-1.8 s). A server without JIT refuses
    // nothing here: `jit` exists since PostgreSQL 11; an older one's error is ignored.
    client.query('SET jit = off').catch(() => undefined);
  });
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const holdLock = advisoryLocks(url, schema);
  /** A connection of the pool for `fn`; one the server ended leaves the pool, not back into it. */
  const lend = async <T>(fn: (conn: pg.PoolClient) => Promise<T>): Promise<T> => {
    const conn = await pool.connect().catch(lostBefore);
    let failed: unknown;
    try {
      return await fn(conn);
    } catch (err) {
      throw (failed = err);
    } finally {
      conn.release(isStoreLost(failed));
    }
  };
  const on = (client: pg.Pool | pg.PoolClient): Db => {
    // A statement of a transaction cut off stored nothing (the server rolls the transaction
    // back); one on its own may have committed before its answer was lost.
    const lost = client === pool ? lostUnconfirmed : lostBefore;
    return {
      kind: 'postgres',
      async query<T>(sql: string, params?: unknown[]) {
        const res = await client.query(sql, params).catch(lost);
        return res.rows as T[];
      },
      async exec(sql: string) {
        await client.query(sql).catch(lost);
      },
      async copyFrom(table, columns, page) {
        const sql = `COPY ${table} (${columns.join(', ')}) FROM STDIN${copyOptions(page.format)}`;
        const copy = async (conn: pg.PoolClient) =>
          pipeline(Readable.from([page.data]), conn.query(copyFromStdin(sql)));
        if (client !== pool) return copy(client as pg.PoolClient).catch(lost);
        // On a connection of its own, outside a transaction: a COPY cut off may have committed.
        return lend((conn) => copy(conn).catch(lostUnconfirmed));
      },
      async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
        if (client !== pool) return fn(on(client));
        return lend(async (conn) => {
          await conn.query('BEGIN').catch(lostBefore);
          try {
            const out = await fn(on(conn));
            // Cut off during COMMIT, the server may have committed before the answer was lost.
            await conn.query('COMMIT').catch(lostUnconfirmed);
            return out;
          } catch (err) {
            if (!isStoreLost(err)) await conn.query('ROLLBACK').catch(() => undefined);
            throw err;
          }
        });
      },
      holdLock,
      async close() {
        if (client === pool) await pool.end();
      },
    };
  };
  return on(pool);
}

/**
 * PostgreSQL ended or refused the connection: not the statement's fault. Of SQLSTATE class 08
 * only the codes of a connection that is gone (08P01, a protocol violation such as a wrong
 * number of parameters, leaves it usable), and the server's shutdown codes.
 */
function isLost(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (/^(08000|08003|08006|57P0[1-3])$/.test(code)) return true;
  if (['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|not queryable/.test(message);
}

/** An error of this store's own statements that says their connection is gone (lostBefore…). */
const isStoreLost = (err: unknown) =>
  err instanceof MaturityError && err.code === 'E_STORE_UNAVAILABLE';

/** A lost connection as one line saying what it means for the step; any other error as is. */
function lostAs(err: unknown, stored: string): never {
  if (!isLost(err) || err instanceof MaturityError) throw err;
  throw new MaturityError(
    'E_STORE_UNAVAILABLE',
    `lost the connection to PostgreSQL (${(err as Error).message}); ${stored}`,
    { cause: err },
  );
}
/** Lost before anything of the step could commit. */
const lostBefore = (err: unknown): never =>
  lostAs(err, 'nothing of this step was stored: run it again');
/** Lost while (or before the answer that) the step committed: it may be stored. */
const lostUnconfirmed = (err: unknown): never =>
  lostAs(
    err,
    'the server did not confirm this step, which may or may not be stored: check, then run it again',
  );

/**
 * Session advisory locks, each on a connection of its own (outside the pool, so holders never
 * starve the queries they guard). The key is hashed with the schema, so deployments (and tests)
 * in different schemas of one database do not block each other. A holder that dies loses its
 * connection and with it the lock.
 */
function advisoryLocks(url: string, schema?: string): HoldLock {
  const KEY = `hashtextextended(current_schema() || '|' || $1, 0)`;
  return async (key, o = {}) => {
    const client = new pg.Client({
      connectionString: url,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // A connection lost while held: the lock is gone with it; the run carries on without it.
    client.on('error', () => undefined);
    await client.connect();
    try {
      let told = false;
      for (;;) {
        const res = await client.query<{ held: boolean }>(
          `SELECT pg_try_advisory_lock(${KEY}) AS held`,
          [key],
        );
        if (res.rows[0]?.held) break;
        if (!told) o.onBusy?.();
        told = true;
        await sleep(o.pollMs ?? 500, undefined, o.signal ? { signal: o.signal } : {});
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return async () => {
      await client.query(`SELECT pg_advisory_unlock(${KEY})`, [key]).catch(() => undefined);
      await client.end().catch(() => undefined);
    };
  };
}
