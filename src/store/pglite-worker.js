// @ts-check
/**
 * The embedded store's database in a thread of its own (pglite-thread.ts starts it): PGlite
 * runs PostgreSQL as WebAssembly, and in the main thread each statement held the event loop
 * (a page of 10,000 tickets for about 0.2 s) while a sync's reading and mapping waited. Here it
 * works beside them on another core.
 *
 * Plain JavaScript: a worker thread does not inherit the TypeScript loader the CLI registers.
 * Requests are answered one at a time, in the order they came: { id, op, ... } → { id, rows }
 * or { id, error } with the database error's fields (its SQLSTATE `code` above all).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** An error as plain fields that survive postMessage (structured clone drops `code`). */
function plain(err) {
  if (!err || typeof err !== 'object') return { message: String(err) };
  const out = { name: String(err.name ?? 'Error'), message: String(err.message ?? err) };
  for (const [k, v] of Object.entries(err))
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

let lite;
try {
  lite = await PGlite.create(workerData.dir);
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ ready: false, error: plain(err) });
  port.close();
}

async function handle(m) {
  switch (m.op) {
    case 'query':
      return (await lite.query(m.sql, m.params)).rows;
    case 'exec':
      await lite.exec(m.sql);
      return undefined;
    case 'copy':
      await lite.query(m.sql, [], { blob: new Blob([m.data]) });
      return undefined;
    case 'close':
      await lite.close();
      return undefined;
    default:
      throw new Error(`unknown request ${m.op}`);
  }
}

let queue = Promise.resolve();
port.on('message', (m) => {
  queue = queue.then(async () => {
    try {
      const rows = await handle(m);
      port.postMessage({ id: m.id, rows });
    } catch (err) {
      port.postMessage({ id: m.id, error: plain(err) });
    }
    if (m.op === 'close') port.close();
  });
});
