import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cliHome } from '../helpers/cli.js';

/**
 * Proof on real data: the UCI "Incident management process enriched event log" (a ServiceNow
 * incident event log, 141,712 rows, 24,918 incidents) imported through the CLI, snapshotted, and
 * compared with figures computed here a second, simpler way straight from the file.
 */
const FILE = path.resolve(
  import.meta.dirname,
  '../../../shared/data/uci_incident_event_log.csv.gz',
);

interface Latest {
  mod: number;
  cols: string[];
}

/** The independent computation: split lines, keep the highest sys_mod_count per number. */
function expectedFigures() {
  const lines = gunzipSync(readFileSync(FILE)).toString('utf8').split(/\r?\n/);
  const header = lines[0]!.split(',');
  const col = (name: string) => header.indexOf(name);
  const [iNumber, iMod, iSla, iReopen, iReassign, iKb, iOpened, iResolved, iClosed] = [
    'number',
    'sys_mod_count',
    'made_sla',
    'reopen_count',
    'reassignment_count',
    'knowledge',
    'opened_at',
    'resolved_at',
    'closed_at',
  ].map(col) as number[];
  const latest = new Map<string, Latest>();
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const cols = line.split(',');
    const mod = Number(cols[iMod!]);
    const prev = latest.get(cols[iNumber!]!);
    if (!prev || mod >= prev.mod) latest.set(cols[iNumber!]!, { mod, cols });
  }
  // d/m/yyyy HH:MM, read as UTC.
  const dmy = (s: string | undefined) => {
    if (!s || s === '?') return undefined;
    const [d, t] = s.split(' ');
    const [day, month, year] = d!.split('/').map(Number);
    const [h, m] = t!.split(':').map(Number);
    return Date.UTC(year!, month! - 1, day!, h!, m!);
  };
  let sla = 0;
  let reopen = 0;
  let reassign = 0;
  let kb = 0;
  const hours: number[] = [];
  for (const { cols } of latest.values()) {
    if (cols[iSla!] === 'true') sla++;
    if (Number(cols[iReopen!]) > 0) reopen++;
    if (Number(cols[iReassign!]) > 0) reassign++;
    if (cols[iKb!] === 'true') kb++;
    const opened = dmy(cols[iOpened!]);
    const done = dmy(cols[iResolved!]) ?? dmy(cols[iClosed!]);
    if (opened !== undefined && done !== undefined && done >= opened)
      hours.push((done - opened) / 3_600_000);
  }
  hours.sort((a, b) => a - b);
  const mid = (hours.length - 1) / 2;
  const median = (hours[Math.floor(mid)]! + hours[Math.ceil(mid)]!) / 2;
  const n = latest.size;
  return {
    rows: lines.slice(1).filter(Boolean).length,
    n,
    sla: sla / n,
    reopen: reopen / n,
    reassign: reassign / n,
    kb: kb / n,
    median,
    medianN: hours.length,
  };
}

if (!existsSync(FILE)) {
  if (process.env.CI)
    throw new Error(`the UCI data set is required under CI=true: ${FILE} is missing`);
  console.warn(`\n!!! ${FILE} is missing: the UCI real-data test is SKIPPED !!!\n`);
}

describe.skipIf(!existsSync(FILE))('ServiceNow CSV import on the UCI incident event log', () => {
  it('gives the figures computed independently from the file', async () => {
    const want = expectedFigures();
    expect(want.n).toBe(24_918);
    expect(want.rows).toBe(141_712);

    const cli = cliHome();
    const imported = await cli.run('import', 'servicenow-incidents', FILE, '--name', 'uci');
    expect(imported.err).not.toMatch(/^ {2}line \d+/m);
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/24918 incidents from 141712 rows .*dates dmy/);

    const snap = await cli.run('snapshot', 'uci', '--window', 'all', '--json');
    expect(snap.code).toBe(0);
    const body = JSON.parse(snap.out) as {
      metrics: { id: string; value: number; sampleSize: number; sources: string[] }[];
    };
    const metric = (id: string) => {
      const m = body.metrics.find((x) => x.id === id);
      expect(m, id).toBeDefined();
      return m!;
    };
    expect(metric('tickets.count').value).toBe(24_918);
    const close = (id: string, value: number, n = want.n) => {
      const m = metric(id);
      expect(m.value, id).toBeCloseTo(value, 4);
      expect(m.sampleSize, id).toBe(n);
      return m;
    };
    const sla = close('sla.attainment', want.sla);
    expect(sla.sources.join(' ')).toMatch(/made_sla/);
    close('tickets.reopen_rate', want.reopen);
    close('tickets.reassignment_rate', want.reassign);
    close('kb.linked_ticket_share', want.kb);
    close('tickets.resolution_hours.median', want.median, want.medianN);
    // The README's sanity numbers for the same file.
    expect(want.sla).toBeCloseTo(0.634, 3);
    expect(want.reassign).toBeCloseTo(0.456, 3);
    expect(want.kb).toBeCloseTo(0.143, 3);

    const report = await cli.run('report', 'uci');
    expect(report.code).toBe(0);
    expect(report.out).toMatch(/# Support maturity: uci/);
    expect(report.out).toMatch(/sla\.attainment \| 63\.4/);
  });
});
