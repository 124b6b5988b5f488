import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { profiles } from '../src/demo/profiles.js';
import { buildZendeskData, zTime } from '../src/simulator/zendesk-data.js';

/**
 * A Zendesk ticket export that holds nothing: ticket i is made when a page asks for it, from one
 * of 1,000 simulated tickets (and its metric set) with a new id and time. For the sync-memory
 * bench at 1,000,000 tickets, where the simulator (every record held, one process) would be the
 * bottleneck. Serves the cursor-based incremental ticket export only (with metric_sets), pages
 * of 1,000, in (generated_timestamp, id) order; times spread over the 300 days before now.
 */
const total = Number(process.argv[2] ?? 100_000);
const now = Date.now();
const templates = buildZendeskData(profiles.managed, {
  tickets: 1000,
  now: new Date(now),
  seed: 1,
});
const span = 300 * 86_400;
const step = span / total;
const start = Math.floor(now / 1000) - span;
const timeOf = (i: number) => start + Math.floor(i * step);

function ticket(i: number): [Record<string, unknown>, Record<string, unknown> | undefined] {
  const t = templates.tickets[i % templates.tickets.length]!;
  const id = i + 1;
  const ts = timeOf(i);
  const created = (ts - 86_400) * 1000;
  const sets = templates.metricSets.get(t.id as number);
  return [
    {
      ...t,
      id,
      url: `https://bench.zendesk.com/api/v2/tickets/${id}.json`,
      subject: `Request ${id}`,
      raw_subject: `Request ${id}`,
      created_at: zTime(created),
      updated_at: zTime(ts * 1000),
      generated_timestamp: ts,
    },
    sets
      ? { ...sets, id, ticket_id: id, created_at: zTime(created), updated_at: zTime(ts * 1000) }
      : undefined,
  ];
}

/** The first index after (ts, id) in export order. */
function firstAfter(ts: number, id: number): number {
  let lo = 0;
  let hi = total;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const t = timeOf(mid);
    if (t < ts || (t === ts && mid + 1 <= id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url!, 'http://x');
  if (url.pathname !== '/api/v2/incremental/tickets/cursor.json') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'InvalidEndpoint', description: 'Not found' }));
    return;
  }
  const cursor = url.searchParams.get('cursor');
  const startTime = url.searchParams.get('start_time');
  const [ts, id] = cursor
    ? Buffer.from(cursor, 'base64url').toString().split(':').map(Number)
    : [Number(startTime) - 1, Number.MAX_SAFE_INTEGER];
  const from = firstAfter(ts!, id!);
  const upto = Math.min(total, from + 1000);
  const tickets: unknown[] = [];
  const sets: unknown[] = [];
  for (let i = from; i < upto; i++) {
    const [t, s] = ticket(i);
    tickets.push(t);
    if (s) sets.push(s);
  }
  const last = upto > from ? upto - 1 : undefined;
  const after = Buffer.from(
    last === undefined ? `${ts}:${id}` : `${timeOf(last)}:${last + 1}`,
  ).toString('base64url');
  const body = JSON.stringify({
    tickets,
    metric_sets: sets,
    after_url: `/api/v2/incremental/tickets/cursor.json?cursor=${after}`,
    after_cursor: after,
    before_url: null,
    before_cursor: null,
    end_of_stream: upto >= total,
  });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
