import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeRows } from './servicenow-overhead.js';

/**
 * A local ServiceNow instance for the sync-overhead bench, in its own process: the incident
 * table answers the Table API's keyed paging as the connector uses it
 * (`sys_updated_on>=S^sys_updated_on>S^ORsys_id>A^ORDERBYsys_updated_on^ORDERBYsys_id`), with
 * X-Total-Count; any other table is absent from the instance (400 "Invalid table"). Rows are
 * sorted by (sys_updated_on, sys_id) once, found by binary search, and serialised once per field
 * list, so the server stays out of the way of what is measured.
 */
const rows = makeRows(Number(process.argv[2] ?? 100_000)).sort(
  (a, b) =>
    a.sys_updated_on!.localeCompare(b.sys_updated_on!) || a.sys_id!.localeCompare(b.sys_id!),
);
const json = new Map<string, string[]>();
const serialised = (fields: string[]) => {
  const key = fields.join(',');
  let out = json.get(key);
  if (!out) {
    out = rows.map((r) =>
      JSON.stringify(
        fields.length ? Object.fromEntries(fields.filter((f) => f in r).map((f) => [f, r[f]])) : r,
      ),
    );
    json.set(key, out);
  }
  return out;
};
/** The first row after (since, after), or at it when inclusive. */
function firstAfter(since: string, after: string | undefined, inclusive: boolean): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid]!;
    const c =
      r.sys_updated_on!.localeCompare(since) ||
      (after === undefined ? -1 : r.sys_id!.localeCompare(after));
    const before = after === undefined ? r.sys_updated_on! < since : inclusive ? c < 0 : c <= 0;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
const server = http.createServer((req, res) => {
  const url = new URL(req.url!, 'http://x');
  const table = url.pathname.split('/').pop();
  if (table !== 'incident') {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { message: `Invalid table ${table}`, detail: null },
        status: 'failure',
      }),
    );
    return;
  }
  const q = url.searchParams.get('sysparm_query') ?? '';
  const limit = Number(url.searchParams.get('sysparm_limit') ?? 10_000);
  const offset = Number(url.searchParams.get('sysparm_offset') ?? 0);
  const since = /sys_updated_on>=([^^]+)/.exec(q)?.[1];
  const after = /sys_id>=?([^^]+)/.exec(q)?.[1];
  const start = since === undefined ? 0 : firstAfter(since, after, /sys_id>=/.test(q));
  const fields = (url.searchParams.get('sysparm_fields') ?? '').split(',').filter(Boolean);
  const all = serialised(fields);
  const page = all.slice(start + offset, start + offset + limit);
  res.writeHead(200, {
    'content-type': 'application/json',
    'x-total-count': String(rows.length - start),
  });
  res.end(`{"result":[${page.join(',')}]}`);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
