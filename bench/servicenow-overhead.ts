import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createServiceNowClient } from '../connectors/servicenow/client.js';
import { ServiceNowConfig } from '../connectors/servicenow/config.js';
import { servicenow } from '../connectors/servicenow/index.js';
import { incidentFields } from '../connectors/servicenow/map-incident.js';
import { runSync } from '../connectors/shared/run-sync.js';
import { Store } from '../src/store/store.js';
import { storeSyncSink } from '../src/store/sync-sink.js';

/**
 * Sync overhead: the full incident sync of a ServiceNow instance served by a local HTTP server,
 * against a bare loop that sends the same requests and reads and parses the same pages but
 * stores nothing. The server answers the Table API's keyed paging as the connector uses it
 * (`sys_updated_on>=S^sys_updated_on>S^ORsys_id>A^ORDERBYsys_updated_on^ORDERBYsys_id`), pages of
 * `pageSize` rows with X-Total-Count; any other table is absent from the instance (400).
 */
export interface OverheadResult {
  rows: number;
  pageSize: number;
  requests: number;
  /** Medians of the measured runs, and their spread. */
  bareSeconds: number;
  syncSeconds: number;
  bareRange: [number, number];
  syncRange: [number, number];
  /** The process's first sync, before the measured ones. */
  coldSyncSeconds: number;
  backend: string;
  /** CPU seconds each arm spent, medians of the measured runs (Linux; absent elsewhere). */
  cpu?: { bare: CpuSplit; sync: CpuSplit; cores: number };
}

/** Where an arm's CPU time went, in seconds. */
export interface CpuSplit {
  /** The bench process's main thread: requests, reading the pages, mapping, checking, COPY. */
  main: number;
  /** The bench process's other threads: PGlite's worker thread, the garbage collector's helpers. */
  otherThreads: number;
  /** Every PostgreSQL process of the machine (its backends, WAL writer, checkpointer). */
  database: number;
  /** The local instance's process. */
  instance: number;
  /**
   * The most any one thread or process above spent (the main thread, PGlite's thread, a
   * PostgreSQL backend, the instance): a thread runs on one core at a time.
   */
  busiest: number;
}

/** Seconds of CPU a process or one of its threads has used, from /proc (Linux only). */
function procCpu(pid: number, tid = pid): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and
    // 13th, in clock ticks of 1/100 s on Linux.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by each process named postgres, by pid. */
function postgresCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const cpu = procCpu(Number(pid));
    if (cpu !== undefined) out.set(Number(pid), cpu);
  }
  return out;
}

/** CPU seconds used so far by each thread of this process, by thread id. */
function threadsCpu(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const cpu = procCpu(process.pid, Number(tid));
      if (cpu !== undefined) out.set(Number(tid), cpu);
    }
  } catch {
    // Not Linux: no per-thread figures.
  }
  return out;
}

/** A reading of every CPU counter an arm is measured by; `split` subtracts two of them. */
function cpuNow(instancePid: number) {
  const proc = process.cpuUsage();
  return {
    threads: threadsCpu(),
    all: (proc.user + proc.system) / 1e6,
    database: postgresCpu(),
    instance: procCpu(instancePid),
  };
}
type CpuReading = ReturnType<typeof cpuNow>;

/** What each counter grew by from `a` to `b`, by key (a key new in `b` grew from 0). */
function growth(a: Map<number, number>, b: Map<number, number>): Map<number, number> {
  return new Map([...b].map(([k, v]) => [k, v - (a.get(k) ?? 0)]));
}
const sum = (xs: Iterable<number>) => [...xs].reduce((t, x) => t + x, 0);

function split(a: CpuReading, b: CpuReading): CpuSplit | undefined {
  const threads = growth(a.threads, b.threads);
  const main = threads.get(process.pid);
  if (main === undefined || a.instance === undefined || b.instance === undefined) return undefined;
  threads.delete(process.pid);
  const database = growth(a.database, b.database);
  const instance = b.instance - a.instance;
  return {
    main,
    // From the process's total, which also counts threads that ended between the readings.
    otherThreads: Math.max(0, b.all - a.all - main),
    database: sum(database.values()),
    instance,
    busiest: Math.max(main, instance, ...threads.values(), ...database.values()),
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function makeRows(n: number): Record<string, string>[] {
  const start = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const opened = new Date(start + i * 60_000);
    const updated = new Date(start + i * 60_000 + 3_600_000);
    const ts = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19);
    return {
      sys_id: `a${pad(i, 31)}`,
      number: `INC${pad(i, 7)}`,
      opened_at: ts(opened),
      sys_created_on: ts(opened),
      sys_updated_on: ts(updated),
      resolved_at: i % 10 ? ts(new Date(opened.getTime() + 7_200_000)) : '',
      closed_at: i % 10 ? ts(new Date(opened.getTime() + 90_000_000)) : '',
      priority: String(1 + (i % 5)),
      incident_state: i % 10 ? '7' : '2',
      state: i % 10 ? '7' : '2',
      active: i % 10 ? 'false' : 'true',
      contact_type: ['phone', 'email', 'self-service', 'chat'][i % 4]!,
      assignment_group: `g${pad(i % 40, 31)}`,
      assigned_to: `u${pad(i % 200, 31)}`,
      company: `c${pad(i % 300, 31)}`,
      reopen_count: String(i % 17 === 0 ? 1 : 0),
      reassignment_count: String(i % 3),
      knowledge: String(i % 7 === 0),
      problem_id: i % 50 === 0 ? `p${pad(i, 31)}` : '',
      rfc: '',
      caused_by: '',
      made_sla: String(i % 8 !== 0),
      sys_mod_count: String(3 + (i % 5)),
      category: ['software', 'hardware', 'network', 'inquiry'][i % 4]!,
      location: `l${pad(i % 50, 31)}`,
      resolved_by: i % 10 ? `u${pad(i % 200, 31)}` : '',
    };
  });
}

const ORDER = 'ORDERBYsys_updated_on^ORDERBYsys_id';

/** The instance runs in its own process, so its work never counts in either arm's time. */
async function serveInChild(
  rows: number,
): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  const script = fileURLToPath(new URL('./servicenow-server-process.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script, String(rows)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', resolve),
  );
  return {
    url: (JSON.parse(line) as { url: string }).url,
    pid: child.pid!,
    close: () =>
      new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

/** The same requests the connector sends, each page read and parsed, nothing stored. */
async function bareLoop(
  base: string,
  pageSize: number,
): Promise<{ rows: number; requests: number }> {
  // The connector's own field list, in its order (readTable asks for the key fields first unless
  // the stream lists them, as the incident stream does): the same requests, byte for byte.
  const fields = [
    ...['sys_updated_on', 'sys_id'].filter((f) => !incidentFields.includes(f as never)),
    ...incidentFields,
  ];
  let since: string | undefined;
  let after: string | undefined;
  let rows = 0;
  let requests = 0;
  for (;;) {
    const conditions = since
      ? [`sys_updated_on>=${since}`, `sys_updated_on>${since}^ORsys_id>${after}`]
      : [];
    const params = new URLSearchParams({
      sysparm_fields: fields.join(','),
      sysparm_query: [...conditions, ORDER].join('^'),
      sysparm_limit: String(pageSize),
      sysparm_offset: '0',
      sysparm_display_value: 'false',
      sysparm_exclude_reference_link: 'true',
    });
    const res = await fetch(`${base}/api/now/table/incident?${params}`, {
      headers: { accept: 'application/json' },
    });
    requests++;
    const body = JSON.parse(await res.text()) as { result: Record<string, string>[] };
    const total = Number(res.headers.get('x-total-count'));
    rows += body.result.length;
    const last = body.result.at(-1);
    if (!last || body.result.length >= total) return { rows, requests };
    since = last.sys_updated_on;
    after = last.sys_id;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The least wall time an arm's CPU allows on this machine: the CPU of its busiest thread (one
 * thread runs on one core at a time), and all of its CPU shared out over every core.
 */
export function cpuFloor(c: CpuSplit, cores: number): number {
  const total = c.main + c.otherThreads + c.database + c.instance;
  return Math.max(c.busiest, total / cores);
}

/**
 * Both arms warm, alternated, medians of `runs`: the instance has served every page once, and
 * one sync into an account of its own has run before the measured ones (the first sync of a
 * process also pays for compiling the mapping and store code: `coldSyncSeconds`). Each measured
 * sync is a first sync of a new account, as a user's first sync is.
 */
export async function benchServiceNowOverhead(o: {
  rows: number;
  pageSize: number;
  store: 'pglite' | 'postgres';
  pgUrl?: string;
  runs?: number;
}): Promise<OverheadResult> {
  const server = await serveInChild(o.rows);
  const schema = `bench_sn_${Date.now().toString(36)}`;
  // PGlite as users have it: a store directory on disk (in memory, its file system copies a
  // file each time it grows, which no user pays).
  const dir = o.store === 'pglite' ? mkdtempSync(path.join(tmpdir(), 'bench-sn-')) : undefined;
  const store = await Store.open(dir ? { dir } : { url: o.pgUrl!, schema });
  try {
    const config = ServiceNowConfig.parse({
      instance: 'https://bench.service-now.com',
      baseUrl: server.url,
      user: 'bench',
      pageSize: o.pageSize,
    });
    const client = createServiceNowClient(config, { password: 'x' });
    let accounts = 0;
    const sync = async () => {
      const account = await store.createAccount(`sn${++accounts}`, 'servicenow', {});
      let requests = 0;
      const c0 = cpuNow(server.pid);
      const t = performance.now();
      const outcomes = await runSync({
        sink: storeSyncSink(store, account.id),
        connector: servicenow as never,
        config,
        client,
        streams: ['incident'],
        onProgress: (p) => (requests = p.pages),
      });
      const seconds = (performance.now() - t) / 1000;
      const cpu = split(c0, cpuNow(server.pid));
      const out = outcomes[0]!;
      if (!out.ok || out.records !== o.rows)
        throw new Error(
          `bench sync stored ${out.records} of ${o.rows} rows (${out.error?.message})`,
        );
      return { seconds, requests, cpu };
    };
    const bare = async () => {
      const c0 = cpuNow(server.pid);
      const t = performance.now();
      const r = await bareLoop(server.url, o.pageSize);
      const seconds = (performance.now() - t) / 1000;
      return { seconds, requests: r.requests, cpu: split(c0, cpuNow(server.pid)) };
    };
    await bare();
    const cold = await sync();
    const bares: number[] = [];
    const syncs: number[] = [];
    const bareCpu: (CpuSplit | undefined)[] = [];
    const syncCpu: (CpuSplit | undefined)[] = [];
    let requests = 0;
    for (let i = 0; i < (o.runs ?? 3); i++) {
      const b = await bare();
      const s = await sync();
      bares.push(b.seconds);
      syncs.push(s.seconds);
      bareCpu.push(b.cpu);
      syncCpu.push(s.cpu);
      requests = Math.max(b.requests, s.requests);
    }
    const medianSplit = (xs: (CpuSplit | undefined)[]): CpuSplit | undefined =>
      xs.every((x): x is CpuSplit => x !== undefined)
        ? {
            main: median(xs.map((x) => x.main)),
            otherThreads: median(xs.map((x) => x.otherThreads)),
            database: median(xs.map((x) => x.database)),
            instance: median(xs.map((x) => x.instance)),
            busiest: median(xs.map((x) => x.busiest)),
          }
        : undefined;
    const bareSplit = medianSplit(bareCpu);
    const syncSplit = medianSplit(syncCpu);
    return {
      rows: o.rows,
      pageSize: o.pageSize,
      requests,
      bareSeconds: median(bares),
      syncSeconds: median(syncs),
      bareRange: [Math.min(...bares), Math.max(...bares)],
      syncRange: [Math.min(...syncs), Math.max(...syncs)],
      coldSyncSeconds: cold.seconds,
      backend: o.store,
      ...(bareSplit && syncSplit
        ? { cpu: { bare: bareSplit, sync: syncSplit, cores: os.cpus().length } }
        : {}),
    };
  } finally {
    if (o.store === 'postgres')
      await store.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await store.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
}
