import { Worker } from 'node:worker_threads';
import { MaturityError } from '../errors.js';

/**
 * PGlite in a store directory, run in a worker thread (pglite-worker.js): the WebAssembly
 * database works on another core while the main thread reads, maps and serialises the next
 * page, and the event loop stays free for a server's requests and a progress bar.
 *
 * Requests go one at a time in order. The thread keeps the process alive only while a request
 * is waiting for its answer, as an in-process PGlite would.
 */
export interface LiteThread {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** A COPY … FROM '/dev/blob' statement with its data. */
  copy(sql: string, data: Uint8Array): Promise<void>;
  /** Closes the database and waits for the thread to end. */
  close(): Promise<void>;
}

type Answer = { id: number; rows?: unknown[]; error?: Record<string, unknown> };
type Ready = { ready: boolean; error?: Record<string, unknown> };

/** The database's error as it was thrown there: its message and fields (`code` above all). */
function rebuilt(fields: Record<string, unknown>): Error {
  const err = new Error(String(fields.message ?? 'the embedded store failed'));
  Object.assign(err, fields);
  return err;
}

/**
 * A parameter goes to the thread by structured clone, which keeps primitives, dates, bytes,
 * arrays and plain objects as they are but would drop what another object makes of itself
 * (its toJSON, say): such a value is refused, not stored differently from PostgreSQL's.
 */
function checkParam(v: unknown): void {
  if (v === null || typeof v !== 'object') return;
  if (v instanceof Date || ArrayBuffer.isView(v)) return;
  if (Array.isArray(v)) return v.forEach(checkParam);
  if (Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).forEach(checkParam);
  throw new TypeError(
    `the embedded store takes plain values as parameters, not a ${v.constructor?.name ?? 'special'} object`,
  );
}

export async function startLiteThread(dir: string): Promise<LiteThread> {
  const worker = new Worker(new URL('./pglite-worker.js', import.meta.url), {
    workerData: { dir },
    // The worker is plain JavaScript: no TypeScript loader or other flags of this process.
    execArgv: [],
  });
  const pending = new Map<number, { resolve(rows: unknown[]): void; reject(e: Error): void }>();
  let next = 0;
  let ended: Error | undefined;
  /** Closing: the thread keeps the process alive until it has ended. */
  let closing = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  const ready = new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => {
      ended ??= new MaturityError('E_STORE', `the embedded store stopped: ${err.message}`, {
        cause: err,
      });
      reject(ended);
      for (const p of pending.values()) p.reject(ended);
      pending.clear();
    };
    worker.on('error', fail);
    worker.once('exit', (code) => fail(new Error(`its thread ended (exit code ${code})`)));
    worker.on('message', (m: Answer | Ready) => {
      if ('ready' in m) {
        if (m.ready) resolve();
        else reject(rebuilt(m.error ?? {}));
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (!pending.size && !closing) worker.unref();
      if (m.error) p.reject(rebuilt(m.error));
      else p.resolve(m.rows ?? []);
    });
  });
  try {
    await ready;
  } catch (err) {
    await worker.terminate();
    throw err;
  }

  const call = (msg: Record<string, unknown>) =>
    new Promise<unknown[]>((resolve, reject) => {
      if (ended) return reject(ended);
      // The caller's stack, for the error an answer brings (rebuilt has only this file's).
      const caller = new Error();
      const withCaller = (err: Error) => {
        err.stack = `${err.name}: ${err.message}\n${caller.stack?.split('\n').slice(1).join('\n') ?? ''}`;
        reject(err);
      };
      const id = ++next;
      pending.set(id, { resolve, reject: withCaller });
      worker.ref();
      try {
        worker.postMessage({ id, ...msg });
      } catch (err) {
        // A value postMessage cannot carry: nothing was sent, nothing is waited for.
        pending.delete(id);
        if (!pending.size && !closing) worker.unref();
        reject(err as Error);
      }
    });
  worker.unref();

  return {
    query: async <T>(sql: string, params?: unknown[]) => {
      params?.forEach(checkParam);
      return (await call({ op: 'query', sql, params })) as T[];
    },
    exec: async (sql) => void (await call({ op: 'exec', sql })),
    copy: async (sql, data) => void (await call({ op: 'copy', sql, data })),
    async close() {
      if (closing) return exited;
      closing = true;
      worker.ref();
      if (!ended) {
        await call({ op: 'close' });
        ended = new MaturityError('E_STORE', 'the embedded store is closed');
      }
      await exited;
    },
  };
}
