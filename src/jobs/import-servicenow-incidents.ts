import path from 'node:path';
import { DerivedTeams } from '../../connectors/servicenow/derived-teams.js';
import {
  detectDateOrder,
  readIncidentCsv,
  type CsvRow,
} from '../../connectors/servicenow/incident-csv.js';
import { incidentFamilies } from '../../connectors/servicenow/map-incident.js';
import type { DateOrder } from '../../connectors/servicenow/values.js';
import { checkAccountName } from '../domain/account-name.js';
import type { TicketFieldFamily } from '../domain/fields.js';
import { MaturityError } from '../errors.js';
import type { Account, Store } from '../store/store.js';

export const SERVICENOW_CSV = 'servicenow-csv';

export interface ImportIncidentsOptions {
  name: string;
  /** Day-first or month-first dates; detected from the data when not given. */
  dateOrder?: DateOrder;
  /** Distinct incidents held in memory before they are written (bounds memory). */
  batchSize?: number;
  onProgress?: (p: { bytes: number; rows: number; incidents: number; bad: number }) => void;
}

export interface ImportIncidentsResult {
  account: Account;
  rows: number;
  /** Incidents stored for the account (after keeping the latest row of each). */
  incidents: number;
  bad: { count: number; samples: { line: number; error: string }[] };
  dateOrder: DateOrder;
  /**
   * Groups and people derived from this file's incidents (distinct values); a count is absent when
   * the export has no column to derive it from (the kind then stays unknown).
   */
  derived: { groups?: number; agents?: number; resolversLeftOut?: boolean };
  /** The ticket field families the file delivers (from its header). */
  families: TicketFieldFamily[];
}

const MAX_SAMPLES = 20;

/**
 * The share of bad rows above which a file is refused whole. A ServiceNow export is written by
 * the instance, so a sound one has no bad rows; a few come from hand edits or a cut-off last line,
 * and 5% leaves room for them. A systematic misreading fails far more: a wrong --date-format
 * fails every row whose day is above 12 (about 60% of a file spanning a month or more), a date
 * column in another format, shifted columns or another table's export fail nearly all of them.
 * Such a file would otherwise import its remaining rows read wrongly (a day taken for a month).
 */
export const MAX_BAD_SHARE = 0.05;

/** Bad rows quoted in a refusal (the import result keeps MAX_SAMPLES). */
const REFUSAL_SAMPLES = 3;

/**
 * Imports a ServiceNow incident export into account `name` (created if new), all or nothing: the
 * whole import runs in one store transaction, so a failure at any point (a truncated file, a
 * refused one, a database error) leaves nothing of it — no new account, tickets, coverage or
 * derived groups and people — and an earlier import of the account as it was. Readers see the
 * earlier state until the import commits.
 *
 * Rows of the same incident collapse to the latest one (highest sys_mod_count, then
 * sys_updated_on). At most `batchSize` incidents are held in memory; each full batch is written
 * with an upsert where the newer row wins (inside the transaction), so a file of millions of rows
 * needs memory for one batch only. Bad rows are counted with their line numbers and skipped; the
 * file is refused (E_IMPORT_INVALID) when no row is good or more than MAX_BAD_SHARE are bad.
 *
 * When the file is done, tickets are marked covered with the field families its header delivers
 * (a column present = its family delivered; never tags, first response or replies), and the
 * groups and people seen on its incidents (see DerivedTeams; memory grows with distinct groups and
 * people only) are stored and marked covered as derived, each only when the export has a column
 * to derive it from. Re-importing into the same account upserts them; a person's groups add up.
 */
export async function importServiceNowIncidents(
  store: Store,
  file: string,
  o: ImportIncidentsOptions,
): Promise<ImportIncidentsResult> {
  checkAccountName(o.name);
  const existing = await store.findAccount(o.name);
  if (existing && existing.connector !== SERVICENOW_CSV) {
    throw new MaturityError(
      'E_INPUT',
      `account "${o.name}" is a ${existing.connector} account; import the export into another name`,
    );
  }
  const dateOrder = o.dateOrder ?? (await detectDateOrder(file));
  if (!dateOrder) {
    throw new MaturityError(
      'E_INPUT',
      `${file}: every date could be day-first or month-first (no day above 12); pass --date-format dmy or mdy`,
    );
  }
  return store.transaction((tx) =>
    importInto(tx, file, existing, { ...o, dateOrder }, o.dateOrder),
  );
}

async function importInto(
  tx: Store,
  file: string,
  existing: Account | undefined,
  o: ImportIncidentsOptions & { dateOrder: DateOrder },
  /** The date order the user gave (a refusal asks whether it is right). */
  given: DateOrder | undefined,
): Promise<ImportIncidentsResult> {
  const { dateOrder } = o;
  const account =
    existing ?? (await tx.createAccount(o.name, SERVICENOW_CSV, { file: path.basename(file) }));
  // Small enough that a batch and its garbage stay young: with 20,000 the peak memory of a
  // 1,000,000-row import grew to 30% above a 100,000-row one's (COPY makes a flush cheap).
  const batchSize = o.batchSize ?? 5_000;
  const pending = new Map<string, CsvRow>();
  const bad: ImportIncidentsResult['bad'] = { count: 0, samples: [] };
  const teams = new DerivedTeams();
  let columns: string[] = [];
  let writtenCount = 0;
  let bytes = 0;
  let rows = 0;
  let lastReport = 0;

  const flush = async () => {
    if (!pending.size) return;
    const tickets = [...pending.values()].map((r) => r.ticket);
    pending.clear();
    // A later row only replaces a stored incident when it is not older: event-log exports hold
    // one row per update, and a flush can split one incident's rows across two batches.
    await tx.upsertLatestTickets(account.id, tickets);
    writtenCount += tickets.length;
  };
  const report = (force = false) => {
    if (!o.onProgress) return;
    const now = Date.now();
    if (!force && now - lastReport < 200) return;
    lastReport = now;
    o.onProgress({ bytes, rows, incidents: writtenCount + pending.size, bad: bad.count });
  };

  await readIncidentCsv(file, {
    dateOrder,
    onHeader: (c) => {
      columns = c;
    },
    onBytes: (n) => {
      bytes += n;
      report();
    },
    onBad: (line, error) => {
      rows++;
      bad.count++;
      if (bad.samples.length < MAX_SAMPLES) bad.samples.push({ line, error });
    },
    // A promise only when a batch is written: a row otherwise costs the reader no await.
    onRow: (row) => {
      rows++;
      teams.add({
        group: row.ticket.groupId,
        assignee: row.ticket.assigneeId,
        resolver: row.resolvedBy,
      });
      const prev = pending.get(row.key);
      if (!prev || !isOlder(row.version, prev.version)) pending.set(row.key, row);
      return pending.size >= batchSize ? flush() : undefined;
    },
  });
  // csv-parse reports unparseable rows as it meets them, ahead of the rows still buffered.
  bad.samples.sort((a, b) => a.line - b.line);
  refuseIfMostlyBad(file, rows, bad, given);
  await flush();
  const source = `${SERVICENOW_CSV}:${path.basename(file)}`;
  const families = incidentFamilies(columns);
  const has = (c: string) => columns.includes(c);
  const derived: ImportIncidentsResult['derived'] = {};
  // Imports from before field coverage vouched for every family (tags too): no export does.
  await tx.dropAllFields(account.id, 'tickets');
  await tx.markCovered(account.id, ['tickets'], source, { fields: { tickets: families } });
  const from = `${source} (derived from incidents)`;
  if (has('assignment_group')) {
    const groups = teams.groups();
    await tx.upsert(account.id, 'groups', groups);
    await tx.markCovered(account.id, ['groups'], from, { derived: true });
    derived.groups = groups.length;
  }
  if (has('assigned_to') || has('resolved_by')) {
    const agents = teams.agents(await tx.agentGroupIds(account.id));
    await tx.upsert(account.id, 'agents', agents);
    await tx.markCovered(account.id, ['agents'], from, { derived: true });
    derived.agents = agents.length;
    if (teams.resolversLeftOut) derived.resolversLeftOut = true;
  }
  report(true);
  // Distinct incidents stored (counted in the database: no per-incident set held in memory).
  const incidents = await tx.countRecordsOf(account.id, 'tickets');
  return { account, rows, incidents, bad, dateOrder, derived, families };
}

/**
 * Refuses the file (E_IMPORT_INVALID, so the transaction stores nothing) when no row is good or
 * more than MAX_BAD_SHARE of them are bad, saying how many and quoting the first bad ones.
 */
function refuseIfMostlyBad(
  file: string,
  rows: number,
  bad: ImportIncidentsResult['bad'],
  given: DateOrder | undefined,
): void {
  if (rows === 0) {
    throw new MaturityError(
      'E_IMPORT_INVALID',
      `${file}: has a header but no incident rows; nothing was stored`,
    );
  }
  if (bad.count < rows && bad.count <= rows * MAX_BAD_SHARE) return;
  const first = bad.samples
    .slice(0, REFUSAL_SAMPLES)
    .map((s) => `line ${s.line}: ${s.error}`)
    .join('; ');
  const dates = bad.samples.some((s) => /is not a date/.test(s.error))
    ? given
      ? `; is --date-format ${given} right?`
      : '; are the dates in one format?'
    : '';
  const share =
    bad.count === rows ? 'no row could be read' : `more than the ${MAX_BAD_SHARE * 100}% allowed`;
  throw new MaturityError(
    'E_IMPORT_INVALID',
    `${file}: ${bad.count} of ${rows} rows are bad (${share}); nothing was stored. First: ${first}${dates}`,
  );
}

/** a is older than b: lower sys_mod_count, or equal count and earlier update. */
function isOlder(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}
