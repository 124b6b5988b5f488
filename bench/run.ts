import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { benchCsvImport } from './csv-import.js';
import { benchQueue } from './queue.js';
import { benchSnapshot, type SnapshotBench } from './snapshot.js';
import {
  benchServiceNowOverhead,
  cpuFloor,
  type CpuSplit,
  type OverheadResult,
} from './servicenow-overhead.js';
import { benchZendeskLimits } from './zendesk-limits.js';
import { benchZendeskSync } from './zendesk-sync.js';

/**
 * `npm run bench`: (1) the snapshot on 1,000,000 tickets on PGlite and PostgreSQL; (2) snapshots
 * of 200 simulated accounts through the queue with 1 and 2 worker processes. Figures go into
 * BENCHMARKS.md between each section's markers; other sections are left alone.
 * (3) a first Zendesk sync of 100,000 and 1,000,000 tickets, for throughput and flat memory.
 * (4) the ServiceNow sync overhead against a bare download of the same pages; (5) a first 90-day
 * snapshot against the simulator enforcing Zendesk's per-minute limits.
 * (6) the ServiceNow CSV import of 100,000 and 1,000,000 rows, for flat memory.
 * (7) the Zendesk tickets stream at 100,000 and 1,000,000 tickets from a streaming source, for flat memory.
 * BENCH_ONLY=snapshot|queue|sync|sync-memory|overhead|limits|csv runs one part; BENCH_TICKETS and BENCH_ACCOUNTS change the sizes,
 * BENCH_OVERHEAD_ROWS and BENCH_OVERHEAD_PAGE the overhead bench's (100,000 rows in pages of 10,000).
 */
const n = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const accounts = Number(process.env.BENCH_ACCOUNTS ?? 200);
const only = process.env.BENCH_ONLY;
const pgUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)} when the run started (other jobs on the machine slow every figure)`;

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function writeSection(key: string, title: string, body: string): void {
  const file = new URL('../BENCHMARKS.md', import.meta.url);
  const start = `<!-- bench:${key}:start -->`;
  const end = `<!-- bench:${key}:end -->`;
  let doc = existsSync(file)
    ? readFileSync(file, 'utf8')
    : "# Benchmarks\n\nFigures from `npm run bench` on this project's CI-sized machine; never asserted in tests.\n";
  const block = `${start}\n${body}\n${end}`;
  if (doc.includes(start)) doc = doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block);
  else doc += `\n## ${title}\n\n${block}\n`;
  writeFileSync(file, doc);
  console.log(`\n## ${title}\n\n${body}`);
}

// Overhead child: one store per process, so that one's heap and threads never weigh on the other.
if (process.argv[2] === '--overhead-child') {
  const r = await benchServiceNowOverhead({
    rows: Number(process.env.BENCH_OVERHEAD_ROWS ?? 100_000),
    pageSize: Number(process.env.BENCH_OVERHEAD_PAGE ?? 10_000),
    store: process.argv[3] as 'pglite' | 'postgres',
    pgUrl,
  });
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

// Child mode: one backend per process, so each peak-RSS figure is that backend's alone.
if (process.argv[2] === '--child') {
  const r = await benchSnapshot(process.argv[3] as 'pglite' | 'postgres', n, pgUrl);
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

const havePg = await pgReachable();
if (!havePg) console.error(`bench: PostgreSQL not reachable; its figures are skipped`);

if (!only || only === 'snapshot') {
  const results: SnapshotBench[] = [];
  for (const backend of ['pglite', 'postgres'] as const) {
    if (backend === 'postgres' && !havePg) continue;
    console.error(`bench: ${backend}, seeding ${n.toLocaleString('en-US')} tickets…`);
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, new URL(import.meta.url).pathname, '--child', backend],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 20,
      },
    );
    const r = JSON.parse(out) as SnapshotBench;
    console.error(
      `bench: ${backend}: snapshots ${r.snapshotRuns.map((x) => x.toFixed(2)).join(', ')} s, peak RSS ${Math.round(r.peakRssMb)} MB`,
    );
    results.push(r);
  }
  writeSection(
    'snapshot',
    `Snapshot on ${n.toLocaleString('en-US')} tickets`,
    [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. ${n.toLocaleString('en-US')} tickets over one year (the 90-day window holds ~${Math.round(n / 4).toLocaleString('en-US')}), one SLA outcome per ticket, ratings for a third. Each backend runs in its own process and takes three snapshots in a row, the first straight after the load: the table gives their median and all three (aim: 2 s on PostgreSQL, 4 s on PGlite).`,
      '',
      '| backend | seed (SQL) | upsert path (pages of 1,000) | snapshot (metrics + levels), median | the three in order | floor: one aggregate scan of the window | peak RSS of the process |',
      '|---|---|---|---|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.backend} | ${r.seedSeconds.toFixed(1)} s | ${Math.round(r.upsertPerSecond).toLocaleString('en-US')} tickets/s | ${r.snapshotSeconds.toFixed(2)} s | ${r.snapshotRuns.map((x) => x.toFixed(2)).join(', ')} s | ${r.floorSeconds.toFixed(2)} s | ${Math.round(r.peakRssMb)} MB |`,
      ),
      '',
      "The snapshot is computed in the database (one SQL pass per metric definition), so the process's own memory does not grow with the ticket count. PGlite is in memory in this bench, so its RSS holds the whole database (the tickets, their SLA outcomes and ratings, with indexes); a store directory, as users have it, keeps that on disk. PostgreSQL runs the metrics' queries side by side on four connections, without JIT compilation (src/store/db.ts): with the server's default, LLVM spent about 0.3 s compiling the ticket-shares query, and the snapshot took 2.3-2.9 s on this machine (1.4-1.8 s without, same data, 2026-12-01).",
    ].join('\n'),
  );
}

if ((!only || only === 'queue') && havePg) {
  const tickets = Number(process.env.BENCH_ACCOUNT_TICKETS ?? 200);
  console.error(`bench: queue, ${accounts} simulated accounts of ${tickets} tickets…`);
  const q = await benchQueue({ accounts, tickets, pgUrl, redisUrl });
  const one = q.runs.find((r) => r.workers === 1);
  const two = q.runs.find((r) => r.workers === 2);
  writeSection(
    'queue',
    `Queued snapshots: ${accounts} accounts, 1 vs 2 worker processes`,
    [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. ${accounts} Zendesk accounts (structured profile, ${tickets} tickets each, served by 4 built-in simulators in the bench process), each snapshot a BullMQ flow of ${one ? Math.round(one.syncJobs / accounts) : '?'} sync jobs ► metrics ► evaluate, on the local Redis and PostgreSQL. Worker processes run \`maturity worker --concurrency 4\`.`,
      '',
      '| worker processes | wall time | snapshots per minute | sync jobs |',
      '|---|---|---|---|',
      ...q.runs.map(
        (r) =>
          `| ${r.workers} | ${r.seconds.toFixed(1)} s | ${r.perMinute.toFixed(1)} | ${r.syncJobs} |`,
      ),
      '',
      one && two
        ? `Speed-up with 2 processes: ${(one.seconds / two.seconds).toFixed(2)}x. The machine has 2 cores shared by the workers, the simulators, PostgreSQL and Redis, so the second process mostly adds overlap of I/O waits; on separate machines each worker brings its own CPU.`
        : '',
    ].join('\n'),
  );
}

if ((!only || only === 'sync') && havePg) {
  // The whole account through the simulator, which holds every record: 100k is its practical size.
  const sizes = (process.env.BENCH_SYNC_TICKETS ?? '100000').split(',').map(Number);
  const rows = [];
  for (const t of sizes) {
    console.error(`bench: Zendesk sync of ${t.toLocaleString('en-US')} tickets…`);
    rows.push(await benchZendeskSync(t, pgUrl));
  }
  writeSection(
    'sync',
    'Zendesk first sync: throughput and memory',
    [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. A full first sync of a simulated Zendesk account (managed profile) through the real connector into PostgreSQL; the simulator runs in another process, so the memory columns are the syncing process alone. Records = tickets + SLA outcomes + ratings + organisations + everything else.`,
      '',
      '| tickets | records | sync time | records/s | peak JS heap | peak RSS |',
      '|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.tickets.toLocaleString('en-US')} | ${r.records.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} s | ${Math.round(r.recordsPerSecond).toLocaleString('en-US')} | ${Math.round(r.peakHeapMb)} MB | ${Math.round(r.peakRssMb)} MB |`,
      ),
      '',
      'Pages are stored as they arrive (one transaction per page with its checkpoint), so memory does not follow the account size: ten times the tickets adds tens of MB (GC slack and the bounded set of SLA targets still open between metric-event pages, capped at 50,000), not ten times the memory.',
    ].join('\n'),
  );
}

if ((!only || only === 'sync-memory') && havePg) {
  const sizes = (process.env.BENCH_MEMORY_TICKETS ?? '100000,1000000').split(',').map(Number);
  const script = new URL('./zendesk-sync-memory-process.ts', import.meta.url).pathname;
  const rows = sizes.map((t) => {
    console.error(`bench: Zendesk tickets sync memory, ${t.toLocaleString('en-US')} tickets…`);
    const out = execFileSync(process.execPath, [...process.execArgv, script, String(t), pgUrl], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').at(-1)!) as {
      tickets: number;
      records: number;
      seconds: number;
      peakRssMb: number;
      peakHeapMb: number;
    };
  });
  const first = rows[0]!;
  writeSection(
    'sync-memory',
    'Zendesk ticket sync: memory from 100,000 to 1,000,000 tickets',
    [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. The tickets stream (incremental cursor export with metric sets, pages of 1,000) into PostgreSQL, one process per size. The source is a streaming export server in another process (bench/zendesk-stream-server-process.ts) that makes each page's tickets when asked, from 1,000 simulated ones, so it holds nothing and keeps up at any size. Aim: peak RSS flat within ±20%.`,
      '',
      '| tickets | records | sync time | tickets/s | peak JS heap | peak RSS | RSS against the first |',
      '|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.tickets.toLocaleString('en-US')} | ${r.records.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} s | ${Math.round(r.records / r.seconds).toLocaleString('en-US')} | ${Math.round(r.peakHeapMb)} MB | ${Math.round(r.peakRssMb)} MB | ${r === first ? '' : `${r.peakRssMb >= first.peakRssMb ? '+' : ''}${Math.round((r.peakRssMb / first.peakRssMb - 1) * 100)}% ${Math.abs(r.peakRssMb / first.peakRssMb - 1) <= 0.2 ? '✔' : '✘'}`} |`,
      ),
    ].join('\n'),
  );
}

if (!only || only === 'overhead') {
  const rows = Number(process.env.BENCH_OVERHEAD_ROWS ?? 100_000);
  const results: OverheadResult[] = [];
  for (const store of ['pglite', 'postgres'] as const) {
    if (store === 'postgres' && !havePg) continue;
    console.error(
      `bench: ServiceNow sync overhead, ${rows.toLocaleString('en-US')} incidents, ${store}…`,
    );
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, new URL(import.meta.url).pathname, '--overhead-child', store],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
    );
    results.push(JSON.parse(out) as OverheadResult);
  }
  writeSection(
    'overhead',
    'ServiceNow sync overhead: a full sync against a bare download of the same pages',
    [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. A local ServiceNow instance (its own process) serves ${rows.toLocaleString('en-US')} incidents in pages of ${(results[0]?.pageSize ?? 10_000).toLocaleString('en-US')} through the Table API's keyed paging. The bare loop sends the same requests and reads and parses every page, storing nothing; the sync is the connector's incident stream into the store (mapping, validation, write and checkpoint per page), a first sync of a new account each time, PGlite in a store directory on disk. Both arms run warm and alternate, three times each after one run of each (the instance has then served every page, and the sync's code is compiled); the table gives their medians and spread, and the first sync of the process apart. Each store is measured in a process of its own.`,
      '',
      '| store | pages | bare download + parse | full sync | ratio (medians) | first sync of the process |',
      '|---|---|---|---|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.backend} | ${r.requests} | ${r.bareSeconds.toFixed(2)} s (${r.bareRange.map((x) => x.toFixed(2)).join('–')}) | ${r.syncSeconds.toFixed(2)} s (${r.syncRange.map((x) => x.toFixed(2)).join('–')}) | ${(r.syncSeconds / r.bareSeconds).toFixed(1)}x | ${r.coldSyncSeconds.toFixed(2)} s |`,
      ),
      '',
      ...cpuTable(results),
      '',
      'Where the time goes (profiled on an AMD EPYC machine of 2 cores on 2026-12-01, 100,000 rows, pages of 10,000; figures move by ±20% from run to run, and the medians of whole runs by more):',
      '- The bare loop is the instance answering and the client reading, decoding and parsing each page, one after the other: its main thread about 0.5 s, most of it turning the bytes into a string and JSON.parse.',
      "- The sync reads the same bytes but parses no JSON when a page is plain (every value a string of printable ASCII without an escape, only the fields asked for: what an instance sends for stored values). connectors/servicenow/scan-page.ts finds each value where it lies in the bytes (about 12 ms a page), incident-columns.ts maps the page's incidents into columns (ids as ranges of the bytes, times as numbers, choices as shared strings; about 13 ms) and the store writes COPY's binary format from the columns (copyTicketColumns, about 9 ms). Axios gathering a body into one buffer costs some 9 ms a page more than fetch does in the bare loop. A page that is not plain is parsed and mapped record by record as before; a property test holds both ways to the same tickets and the same COPY bytes (test/servicenow/scan.test.ts).",
      '- Until 2026-12-01 every page went through JSON.parse, a record per incident and the Ticket check: some 26 strings and an object per incident, alive while the page was mapped, so the collector copied them out of the young generation. The main thread then ran about 1.2 s on this machine (0.67 s on the Intel Xeon of the run before, 0.13–0.15 s of it collecting garbage) and the sync took 1.7–1.8x the bare loop here, 2.6x there.',
      "- PostgreSQL copies a first sync's pages straight into the tickets table (a later sync, whose records may be stored already, stages and upserts them). Each page locks its account's row once and skips the foreign key's check of each row, which was about a third of the COPY (psql, 100,000 rows: 0.74 s with it, 0.50 s without). Pages come in COPY's binary format, so PostgreSQL parses no timestamp, number or array (psql, 100,000 rows with both indexes: 0.44 s as text, 0.36 s as binary). Its CPU in the sync went from about 0.59 s to 0.31–0.39 s with both.",
      "- PGlite runs in a worker thread of its own (in the table's other threads, with V8's collector threads), nearly all of it the COPY: in WebAssembly 100,000 rows take about 0.25 s into the bare table and 0.57 s with its two indexes in the binary format (0.45 s and 0.78 s as text, which the store sent until 2026-12-01), measured on the Intel machine. That thread, not the main thread, is now the busiest of a PGlite sync.",
      "- Every module the CLI loads leaves V8's string builtins fast (test/v8-fast-paths.test.ts). ioredis 6.0.0 did not: it subclasses String, after which charCodeAt, slice and template strings on any string ran 1.6–4 times slower, and this sync about 15% slower (1.01–1.07 s against 0.93–0.95 s on PostgreSQL); the store pins ioredis 5.11.1.",
      "- The ratio depends on the machine and on its neighbours: the bare loop has taken 0.35–0.7 s on the Intel machines of earlier runs (1.2 s once, when it ran cold) and 1.0–1.1 s on this AMD EPYC machine, where the instance's process spends about 0.5 s of CPU serving the pages against 0.13 s there (system calls cost more on it). A sync whose own work is a smaller share of the whole comes nearer the bare loop on such a machine.",
    ].join('\n'),
  );
}

/**
 * The CPU each arm spent and the least wall time that allows on this machine: the aim of a sync
 * within 2x the bare loop is only reachable where that floor is under 2x.
 */
function cpuTable(results: OverheadResult[]): string[] {
  const measured = results.filter((r) => r.cpu);
  if (!measured.length) return [];
  const s = (x: number) => `${x.toFixed(2)} s`;
  const row = (r: OverheadResult, arm: 'bare' | 'sync') => {
    const c: CpuSplit = r.cpu![arm];
    const floor = cpuFloor(c, r.cpu!.cores);
    return `| ${r.backend} | ${arm === 'bare' ? 'bare loop' : 'sync'} | ${s(c.main)} | ${s(c.otherThreads)} | ${s(c.database)} | ${s(c.instance)} | ${s(c.busiest)} | ${s(floor)} | ${(floor / r.bareSeconds).toFixed(1)}x |`;
  };
  return [
    `CPU time of each arm (medians of the measured runs, from /proc), and the least wall time it allows on these ${measured[0]!.cpu!.cores} cores: the CPU of its busiest thread (the main thread, PGlite's thread, a PostgreSQL backend or the instance: a thread runs on one core at a time), or all of the arm's CPU shared out over every core, whichever is more. The last column sets that floor against the bare loop's median: the sync cannot be nearer the bare loop than that on this machine, however its work is scheduled.`,
    '',
    '| store | arm | main thread | other threads of the process | PostgreSQL processes | instance | busiest thread | floor | floor / bare loop |',
    '|---|---|---|---|---|---|---|---|---|',
    ...measured.flatMap((r) => [row(r, 'bare'), row(r, 'sync')]),
  ];
}

if (!only || only === 'limits') {
  const tickets = Number(process.env.BENCH_LIMIT_TICKETS ?? 20_000);
  console.error(
    `bench: first 90-day snapshot at Zendesk's limits, ${tickets.toLocaleString('en-US')} tickets over two years…`,
  );
  const r = await benchZendeskLimits({
    tickets,
    days: 730,
    windowDays: 90,
    ...(havePg ? { pgUrl } : {}),
  });
  writeSection(
    'limits',
    "First 90-day snapshot at Zendesk's rate limits",
    [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. The built-in simulator enforces Zendesk's documented per-minute limits (incremental exports 10 a minute, the rest of the API 700) over a sliding minute; the account holds ${tickets.toLocaleString('en-US')} tickets over two years. One first snapshot of a 90-day window: connect, sync, compute.`,
      '',
      '| incremental requests made | needed by the window | first export starts at the window start | other requests | minimum the limits allow | snapshot | ratio | 429s |',
      '|---|---|---|---|---|---|---|---|',
      `| ${r.requests.incremental} | ${r.neededIncremental} | ${r.firstStartIsWindowStart ? 'yes' : 'no'} | ${r.requests.other} | ${r.minimumSeconds} s | ${r.seconds.toFixed(1)} s | ${(r.seconds / Math.max(1, r.minimumSeconds)).toFixed(2)}x | ${r.rateLimited} |`,
      '',
      `Other requests by path: ${Object.entries(r.requests.byPath)
        .filter(([p]) => !p.includes('/incremental/'))
        .map(([p, n]) => `${p} ${n}`)
        .join(', ')}.`,
    ].join('\n'),
  );
}

if (!only || only === 'csv') {
  const sizes = (process.env.BENCH_CSV_ROWS ?? '100000,1000000').split(',').map(Number);
  console.error(`bench: ServiceNow CSV import of ${sizes.join(' and ')} rows…`);
  const rows = await benchCsvImport(sizes, havePg ? pgUrl : undefined);
  const [small, large] = [rows[0], rows.at(-1)];
  writeSection(
    'csv',
    'ServiceNow CSV import: memory as the file grows',
    [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. \`maturity import servicenow-incidents\` on the UCI incident event log (real rows) repeated with each copy's incident numbers prefixed, cut at each size; each import runs in a process of its own into ${havePg ? 'PostgreSQL' : 'the embedded PGlite store'}, in one transaction (all or nothing).`,
      '',
      '| rows | incidents | import | rows/s | peak RSS of the process |',
      '|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.rows.toLocaleString('en-US')} | ${r.incidents.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} s | ${Math.round(r.rows / r.seconds).toLocaleString('en-US')} | ${Math.round(r.peakRssMb)} MB |`,
      ),
      '',
      small && large && small !== large
        ? `Peak RSS at ${large.rows.toLocaleString('en-US')} rows is ${Math.abs((large.peakRssMb / small.peakRssMb - 1) * 100).toFixed(0)}% ${large.peakRssMb >= small.peakRssMb ? 'above' : 'below'} the ${small.rows.toLocaleString('en-US')}-row import's (target: within ±20%): rows are parsed as a stream and at most one batch of incidents is held before it is written. Of csv-parse's record info only the line is kept: with all of it, V8 carried most records into the old generation (1,000,000 rows: 205 MB promoted, against 1 MB), and the peak of a 1,000,000-row import was 27–30% above a 100,000-row one's (before 2026-12-01).`
        : '',
    ].join('\n'),
  );
}
