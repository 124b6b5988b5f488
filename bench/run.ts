import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { benchSnapshot, type SnapshotBench } from './snapshot.js';

/**
 * `npm run bench`: times the snapshot on 1,000,000 tickets on PGlite and PostgreSQL and writes the
 * figures into BENCHMARKS.md between the snapshot markers (other sections are left alone).
 * BENCH_TICKETS overrides the size; DATABASE_URL (or the local test database) is the PostgreSQL.
 */
const n = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

// Child mode: one backend per process, so each peak-RSS figure is that backend's alone.
if (process.argv[2] === '--child') {
  const r = await benchSnapshot(process.argv[3] as 'pglite' | 'postgres', n, url);
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

const results: SnapshotBench[] = [];
for (const backend of ['pglite', 'postgres'] as const) {
  if (backend === 'postgres' && !(await reachable())) {
    console.error(
      `bench: PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')} not reachable; skipping it`,
    );
    continue;
  }
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
    `bench: ${backend}: seed ${r.seedSeconds.toFixed(1)} s, upsert ${Math.round(r.upsertPerSecond)} tickets/s, snapshot ${r.snapshotSeconds.toFixed(2)} s, peak RSS ${Math.round(r.peakRssMb)} MB`,
  );
  results.push(r);
}

const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), Node ${process.version}, ${n.toLocaleString('en-US')} tickets (one year of history, 90-day window = ~${Math.round(n / 4).toLocaleString('en-US')} tickets), one SLA outcome per ticket, ratings for a third.`,
  '',
  '| backend | seed (SQL) | upsert path (pages of 1,000) | snapshot (metrics + levels) | peak RSS of the process |',
  '|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.backend} | ${r.seedSeconds.toFixed(1)} s | ${Math.round(r.upsertPerSecond).toLocaleString('en-US')} tickets/s | ${r.snapshotSeconds.toFixed(2)} s | ${Math.round(r.peakRssMb)} MB |`,
  ),
  '',
  `Levels suggested on the synthetic data: ${results[0]?.levels ?? ''}.`,
].join('\n');

const file = new URL('../BENCHMARKS.md', import.meta.url);
const start = '<!-- bench:snapshot:start -->';
const end = '<!-- bench:snapshot:end -->';
let doc = existsSync(file)
  ? readFileSync(file, 'utf8')
  : "# Benchmarks\n\nFigures from `npm run bench` on this project's CI-sized machine. Never asserted in tests.\n";
const block = `${start}\n${table}\n${end}`;
if (doc.includes(start)) doc = doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), block);
else doc += `\n## Snapshot on ${n.toLocaleString('en-US')} tickets\n\n${block}\n`;
writeFileSync(file, doc);
console.log(table);
