import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { importServiceNowIncidents } from '../src/jobs/import-servicenow-incidents.js';
import { Store } from '../src/store/store.js';

/**
 * Memory of `maturity import servicenow-incidents` as the file grows: the UCI incident event log
 * (real rows, `../shared/data/uci_incident_event_log.csv.gz`) repeated with each copy's incident
 * numbers prefixed, cut at `rows` rows. Each size is imported by a process of its own, so its
 * peak RSS is the import's alone.
 */
export interface CsvImportBench {
  rows: number;
  incidents: number;
  seconds: number;
  peakRssMb: number;
  backend: string;
}

export const UCI = fileURLToPath(
  new URL('../../shared/data/uci_incident_event_log.csv.gz', import.meta.url),
);

/** Writes `rows` data rows of the UCI log (copies prefixed R1…, R2…) under a header. */
async function buildCsv(rows: number, file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = (line: string) =>
    out.write(`${line}\n`)
      ? Promise.resolve()
      : new Promise<void>((r) => out.once('drain', () => r()));
  let written = 0;
  for (let copy = 0; written < rows; copy++) {
    const lines = createInterface({ input: createReadStream(UCI).pipe(createGunzip()) });
    let header = true;
    for await (const line of lines) {
      if (header) {
        header = false;
        if (copy === 0) await write(line);
        continue;
      }
      if (written >= rows) break;
      await write(copy === 0 ? line : `R${copy}${line}`);
      written++;
    }
    lines.close();
  }
  await new Promise<void>((r) => out.end(r));
}

/** In the child: one import, then its figures on stdout. */
export async function csvImportChild(file: string, pgUrl?: string): Promise<void> {
  const schema = `bench_csv_${Date.now().toString(36)}`;
  const home = pgUrl ? undefined : mkdtempSync(path.join(os.tmpdir(), 'bench-csv-'));
  const store = await Store.open(pgUrl ? { url: pgUrl, schema } : { dir: home! });
  try {
    const t0 = performance.now();
    const r = await importServiceNowIncidents(store, file, { name: 'bench' });
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(
      JSON.stringify({
        rows: r.rows,
        incidents: r.incidents,
        seconds,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        backend: pgUrl ? 'postgres' : 'pglite',
      }),
    );
  } finally {
    if (pgUrl) await store.dbForTests.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await store.close();
    if (home) rmSync(home, { recursive: true, force: true });
  }
}

export async function benchCsvImport(sizes: number[], pgUrl?: string): Promise<CsvImportBench[]> {
  if (!existsSync(UCI)) throw new Error(`bench: ${UCI} is missing`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-csv-files-'));
  try {
    const out: CsvImportBench[] = [];
    for (const rows of sizes) {
      const file = path.join(dir, `incidents-${rows}.csv`);
      await buildCsv(rows, file);
      const script = fileURLToPath(new URL('./csv-import-process.ts', import.meta.url));
      const json = execFileSync(
        process.execPath,
        [...process.execArgv, script, file, ...(pgUrl ? [pgUrl] : [])],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
      );
      out.push(JSON.parse(json) as CsvImportBench);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
