import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SnapshotBody } from '../../src/domain/evidence.js';
import { loadDefaultRules } from '../../src/engine/index.js';
import { importRecords, parseRecordsWithFields } from '../../src/jobs/import-records.js';
import { importServiceNowIncidents } from '../../src/jobs/import-servicenow-incidents.js';
import { takeSnapshot } from '../../src/jobs/take-snapshot.js';
import { Store } from '../../src/store/store.js';
import { DATA_DIR, realLogs } from './logs.js';

/**
 * The four real data sets judged as a user would: each imported into its own account (the UCI
 * ServiceNow export through `import servicenow-incidents`, the three event logs as normalised
 * records from their converters), then one snapshot over all their history, as of the day of the
 * last ticket.
 */
export const UCI = path.join(DATA_DIR, 'uci_incident_event_log.csv.gz');

export interface RealAssessment {
  id: string;
  name: string;
  tickets: number;
  body: SnapshotBody;
}

export const realDataAvailable = () =>
  existsSync(UCI) && realLogs.every((l) => l.files.every((f) => existsSync(f)));

export async function assessRealData(store: Store): Promise<RealAssessment[]> {
  const rules = loadDefaultRules();
  const out: RealAssessment[] = [];
  const judge = async (id: string, name: string) => {
    const account = await store.getAccount(id);
    const [row] = await store.dbForTests.query<{ n: number; last: Date }>(
      'SELECT count(*)::int AS n, max(created_at) AS last FROM tickets WHERE account_id = $1',
      [account.id],
    );
    const asOf = new Date(row!.last).toISOString().slice(0, 10);
    const body = await takeSnapshot(store, account, { rules, asOf, window: 'all' });
    out.push({ id, name, tickets: row!.n, body });
  };
  await importServiceNowIncidents(store, UCI, { name: 'uci' });
  await judge('uci', 'UCI incident management event log (ServiceNow export)');
  for (const log of realLogs) {
    const { batch, fields } = parseRecordsWithFields(log.convert(), log.id);
    await importRecords(store, log.id, batch, `import:${log.id}`, fields);
    await judge(log.id, log.name);
  }
  return out;
}

/** The Markdown table of rules/README.md: proven → possible per layer, and what blocks. */
export function levelsTable(results: RealAssessment[]): string {
  const ft = ['offerings', 'processes', 'people', 'tools', 'metrics', 'strategy'];
  const lines = [
    `| data set | tickets | ${ft.join(' | ')} | engagement | top blockers (unmet) | undecided by the data (examples) |`,
    `|---|---|${ft.map(() => '---|').join('')}---|---|---|`,
  ];
  for (const r of results) {
    const layer = (model: string, name: string) =>
      r.body.layers.find((l) => l.model === model && l.layer === name)!;
    const cell = (model: string, name: string) => {
      const l = layer(model, name);
      return l.possibleLevel > l.level ? `${l.level} → ${l.possibleLevel}` : `${l.level}`;
    };
    const fw = r.body.layers.filter((l) => l.model === 'ftworks');
    // What caps each layer's possible level: its unmet criteria one level above it.
    const blockers = fw
      .flatMap((l) =>
        l.criteria
          .filter((c) => c.status === 'unmet' && c.level === l.possibleLevel + 1)
          .map((c) => `${l.layer}: ${c.gap ?? c.id}`),
      )
      .slice(0, 4);
    const unknown = fw
      .flatMap((l) =>
        l.criteria.filter(
          (c) =>
            c.status === 'unknown' &&
            c.level === l.level + 1 &&
            !c.reason?.startsWith('helpdesk data cannot'),
        ),
      )
      .map((c) => c.id)
      .slice(0, 4);
    lines.push(
      `| ${r.id} | ${r.tickets.toLocaleString('en-US')} | ${ft.map((n) => cell('ftworks', n)).join(' | ')} | ${cell('engagement', 'engagement')} | ${blockers.join('; ') || '—'} | ${unknown.join(', ') || '—'} |`,
    );
  }
  return lines.join('\n');
}

// `npx tsx test/real-data/assess.ts`: prints the table (and each data set's Markdown report with --reports).
if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const store = await Store.open({});
  try {
    const results = await assessRealData(store);
    console.log(levelsTable(results));
    if (process.argv.includes('--reports')) {
      const { renderMarkdown } = await import('../../src/report/render-markdown.js');
      for (const r of results) console.log(`\n\n${renderMarkdown(r.body)}`);
    }
  } finally {
    await store.close();
  }
}
