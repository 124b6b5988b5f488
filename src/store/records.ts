import { recordKinds, type RecordKind, type RecordOf, type Ticket } from '../domain/records.js';
import { MaturityError } from '../errors.js';
import type { Db, QueryDb } from './db.js';
import type { TicketColumns } from '../domain/ticket-columns.js';
import { copyColumnsPage, copyPage, type CopyPage } from './copy-binary.js';
import { copyColumns } from './copy-text.js';
import { stageSql, stageTable, tables, upsertFromStageSql } from './tables.js';

const BATCH = 10_000;

/** Per kind, built once: the session's stage (emptied for the page) and the upsert from it. */
const byKind = <T>(f: (kind: RecordKind) => T) =>
  Object.fromEntries(recordKinds.map((k) => [k, f(k)])) as Record<RecordKind, T>;
const STAGE = byKind((k) => `${stageSql(k)}; TRUNCATE ${stageTable(k)}`);
const UPSERT = byKind(upsertFromStageSql);
const COLUMNS = byKind((k) => copyColumns(tables[k]));

/**
 * An account's records of one kind made ready to store: deduplicated by source id (the last one
 * wins within a page, as it would across pages) and serialised in pages of BATCH for COPY
 * (copy-binary.ts).
 */
export interface PreparedUpsert {
  kind: RecordKind;
  accountId: number;
  count: number;
  pages: CopyPage[];
}

/** The CPU side of an upsert, done apart so that it can run while the database writes another. */
export function prepareUpsert<K extends RecordKind>(
  kind: K,
  accountId: number,
  records: readonly RecordOf<K>[],
): PreparedUpsert {
  const spec = tables[kind];
  const pages: CopyPage[] = [];
  for (let i = 0; i < records.length; i += BATCH) {
    const page = new Map<string, RecordOf<K>>();
    for (let j = i; j < Math.min(i + BATCH, records.length); j++)
      page.set(records[j]!.sourceId, records[j]!);
    pages.push(copyPage(spec, accountId, [...page.values()]));
  }
  return { kind, accountId, count: records.length, pages };
}

/**
 * Tickets held as columns (a page of a stream, no source id twice) made ready to store, as
 * prepareUpsert makes records: one COPY page.
 */
export function prepareColumnsUpsert(accountId: number, t: TicketColumns): PreparedUpsert {
  const page = copyColumnsPage(tables.tickets, accountId, t);
  return { kind: 'tickets', accountId, count: t.count, pages: [page] };
}

/**
 * Inserts or updates prepared records by (account, source id). With `insertOnly`, for records the
 * account is not expected to hold yet (a first sync), each page is copied straight into the
 * record table: about a quarter less work for the database than staging and upserting, and one
 * statement less. A record that is stored after all makes it fail with PostgreSQL's
 * unique_violation (isUniqueViolation), the transaction with it: the caller writes the records
 * again without `insertOnly`.
 */
export async function upsertPrepared(
  db: Db,
  prepared: PreparedUpsert,
  o: { insertOnly?: boolean } = {},
): Promise<number> {
  const { kind, accountId } = prepared;
  const pages = prepared.pages.filter((page) => page.rows);
  if (!pages.length) return prepared.count;
  await ofAccount(db, accountId, tables[kind].table, async (tx) => {
    for (const page of pages) {
      if (o.insertOnly) await tx.copyFrom(tables[kind].table, COLUMNS[kind], page);
      else await upsertPage(tx, kind, page, UPSERT[kind]);
    }
  });
  return prepared.count;
}

/**
 * The account's row locked FOR KEY SHARE (what the foreign key's check takes for each row), and,
 * when this session may, the record table's foreign-key checks off until `fn` has written.
 * Only where that skips nothing else: a table with a trigger or rule of its own (an operator's
 * audit trigger, say) keeps every check. CASE, not AND: SQL does not promise to evaluate AND's
 * left side first, and a role that is not a superuser may not set session_replication_role. A
 * session already in another role is left as it is.
 */
const HOLD_ACCOUNT = `SELECT CASE
    WHEN current_setting('is_superuser') = 'on'
     AND current_setting('session_replication_role') = 'origin'
     AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = $2::regclass AND NOT t.tgisinternal)
     AND NOT EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class = $2::regclass)
    THEN set_config('session_replication_role', 'replica', true) = 'replica'
    ELSE false END AS unchecked
  FROM accounts WHERE id = $1 FOR KEY SHARE`;
/**
 * The checks back on, where HOLD_ACCOUNT may have turned them off: also when it returned no row
 * (one removed as it was locked: its select list may have run first). A role that may not set
 * session_replication_role has not.
 */
const CHECK_AGAIN = `SELECT CASE
    WHEN current_setting('is_superuser') = 'on'
     AND current_setting('session_replication_role') = 'replica'
    THEN set_config('session_replication_role', 'origin', true) END`;

/**
 * Runs `fn`, which writes records of the account into `table` (every row with `accountId`:
 * copyPage writes it), in a transaction (the caller's when there is one) that first locks the
 * account's row against removal. The foreign key from the record table to accounts would check
 * each row (a query per row, a third of a first sync's COPY); with the row held, none of them
 * can fail or go stale before the commit, so the checks are skipped where the session may (a
 * superuser: PGlite, and PostgreSQL as such a role) and are back on for whatever the transaction
 * does next, whether `fn` wrote or failed. This store's record tables have no trigger or rule
 * but their foreign key's (test/store.test.ts holds them to it). An account removed before the
 * page fails it with a clear error; a removal that comes during it waits for the commit, then
 * removes the page's records with the rest.
 */
async function ofAccount(
  db: Db,
  accountId: number,
  table: string,
  fn: (tx: Db) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    const held = await tx.query<{ unchecked: boolean }>(HOLD_ACCOUNT, [accountId, table]);
    if (!held.length) {
      await tx.query(CHECK_AGAIN);
      throw new MaturityError(
        'E_ACCOUNT_NOT_FOUND',
        `account ${accountId} was removed while its records were being written; nothing was stored`,
      );
    }
    const unchecked = held[0]!.unchecked;
    try {
      await fn(tx);
    } catch (err) {
      // A caller that catches this and goes on in the transaction gets the checks back (in a
      // transaction the error aborted, this fails too, and the rollback ends the role anyway).
      if (unchecked) await tx.query(CHECK_AGAIN).catch(() => undefined);
      throw err;
    }
    if (unchecked) await tx.query(CHECK_AGAIN);
  });
}

/** The error PostgreSQL (and PGlite) raise for a row whose key is already stored. */
export const isUniqueViolation = (err: unknown) =>
  (err as { code?: unknown } | null)?.code === '23505';

/** Whether the account holds any record of a kind. */
export async function hasRecords(db: Db, accountId: number, kind: RecordKind): Promise<boolean> {
  const rows = await db.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${tables[kind].table} WHERE account_id = $1) AS any`,
    [accountId],
  );
  return rows[0]?.any === true;
}

/**
 * Inserts or updates records by (account, source id); a record read twice is stored once. Page
 * by page: only one page's text is held at a time, whatever the number of records (an import).
 */
export async function upsertRecords<K extends RecordKind>(
  db: Db,
  accountId: number,
  kind: K,
  records: RecordOf<K>[],
): Promise<number> {
  for (let i = 0; i < records.length; i += BATCH)
    await upsertPrepared(db, prepareUpsert(kind, accountId, records.slice(i, i + BATCH)));
  return records.length;
}

/**
 * A later row only replaces a stored ticket when it is not older: event-log exports hold one row
 * per update, and a flush can split one ticket's rows across two batches.
 */
const upsertLatestSql = `${UPSERT.tickets}
  WHERE tickets.updated_at IS NULL OR EXCLUDED.updated_at IS NULL OR EXCLUDED.updated_at >= tickets.updated_at`;

/** Like upsertRecords for tickets, except that a stored ticket updated later than a row wins. */
export async function upsertLatestTickets(
  db: Db,
  accountId: number,
  tickets: Ticket[],
): Promise<void> {
  if (!tickets.length) return;
  const page = copyPage(tables.tickets, accountId, tickets);
  await ofAccount(db, accountId, tables.tickets.table, (tx) =>
    upsertPage(tx, 'tickets', page, upsertLatestSql),
  );
}

/**
 * One page (for COPY, each source id once: ON CONFLICT may not touch a row twice in one
 * statement) through the session's staging table (tables.ts), in a transaction (the caller's
 * when there is one: ofAccount's).
 */
async function upsertPage(db: Db, kind: RecordKind, page: CopyPage, sql: string): Promise<void> {
  if (!page.rows) return;
  await db.transaction(async (tx) => {
    // Emptied first: a transaction may store several pages of a kind (an import does). TRUNCATE,
    // not DELETE: deleted rows would stay in the table until the transaction ends, and each page
    // would scan those of every page before it. It gives the table a new file once per
    // transaction and empties it in place after that.
    await tx.exec(STAGE[kind]).catch((err: unknown) => {
      // A hardened PostgreSQL may revoke TEMPORARY from PUBLIC: say what to grant.
      if ((err as { code?: string }).code !== '42501') throw err;
      throw new MaturityError(
        'E_STORE',
        'the database user may not create temporary tables, which the store needs to write records: GRANT TEMPORARY ON DATABASE <database> TO <user>',
        { cause: err },
      );
    });
    await tx.copyFrom(stageTable(kind), COLUMNS[kind], page);
    await tx.query(sql);
  });
}

export async function removeRecords(
  db: Db,
  accountId: number,
  kind: RecordKind,
  sourceIds: string[],
): Promise<void> {
  if (sourceIds.length === 0) return;
  await db.query(
    `DELETE FROM ${tables[kind].table} WHERE account_id = $1 AND source_id = ANY($2::text[])`,
    [accountId, sourceIds],
  );
  if (kind === 'tickets') await removeTicketsOwn(db, accountId, sourceIds);
}

/**
 * A ticket deleted at the source (or swept) takes its SLA outcomes and its rating with it: they
 * measured a request that no longer exists, and would still count in SLA attainment and CSAT.
 */
async function removeTicketsOwn(db: Db, accountId: number, ticketIds: string[]): Promise<void> {
  for (const owned of ['slaOutcomes', 'satisfactionRatings'] as const)
    await db.query(
      `DELETE FROM ${tables[owned].table} WHERE account_id = $1 AND ticket_id = ANY($2::text[])`,
      [accountId, ticketIds],
    );
}

/**
 * The sweep at the end of a complete full-refresh pass: deletes the records of `kind` that no
 * upsert touched since `since` (the pass's start, a timestamptz literal), except those whose
 * source id `stream` quarantined since then (they still exist at the source: their last valid
 * version stays). With `createdFrom` (a pass that read only records created from then), older
 * records stay too. Returns how many records went.
 */
export async function sweepRecords(
  db: Db,
  accountId: number,
  kind: RecordKind,
  since: string,
  stream: string,
  createdFrom?: string,
): Promise<number> {
  if (createdFrom !== undefined && !('createdAt' in tables[kind].fields))
    throw new Error(`${kind} records have no creation time to sweep from`);
  const from = createdFrom === undefined ? '' : ' AND r.created_at >= $4::timestamptz';
  const tickets = kind === 'tickets';
  const rows = await db.query<{ n: number; ids: string[] | null }>(
    `WITH gone AS (
       DELETE FROM ${tables[kind].table} r
        WHERE r.account_id = $1 AND r.synced_at < $2::timestamptz${from}
          AND NOT EXISTS (SELECT 1 FROM quarantine q
                           WHERE q.account_id = r.account_id AND q.stream = $3
                             AND q.source_id = r.source_id AND q.at >= $2::timestamptz)
        RETURNING r.source_id)
     SELECT count(*)::int AS n, ${tickets ? 'array_agg(source_id)' : 'NULL::text[]'} AS ids FROM gone`,
    createdFrom === undefined
      ? [accountId, since, stream]
      : [accountId, since, stream, createdFrom],
  );
  if (tickets && rows[0]?.ids?.length) await removeTicketsOwn(db, accountId, rows[0].ids);
  return rows[0]?.n ?? 0;
}

/**
 * For a window that holds none of the account's tickets: the stored tickets when they all lie on
 * one side of it (before `from`, or after `to`), with how many and when the first and the last was
 * created. Undefined when there are none, or some on each side (a gap in the history).
 */
export async function ticketsOnlyOutside(
  db: QueryDb,
  accountId: number,
  from: Date | null,
  to: Date,
): Promise<{ side: 'before' | 'after'; tickets: number; first: Date; last: Date } | undefined> {
  const [row] = await db.query<{
    before: number;
    after: number;
    first: Date | null;
    last: Date | null;
  }>(
    `SELECT count(*) FILTER (WHERE created_at <= $2)::int AS before,
            count(*) FILTER (WHERE created_at > $3)::int AS after,
            min(created_at) AS first, max(created_at) AS last
       FROM tickets
      WHERE account_id = $1 AND ((created_at <= $2) IS TRUE OR created_at > $3)`,
    [accountId, from, to],
  );
  // None at all, or some on each side of the window (a gap in the history): nothing to say.
  if (!row?.first || !row.last || !row.before === !row.after) return undefined;
  return {
    side: row.before > 0 ? 'before' : 'after',
    tickets: row.before + row.after,
    first: new Date(row.first),
    last: new Date(row.last),
  };
}

export async function countRecordsOf(db: Db, accountId: number, kind: RecordKind): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${tables[kind].table} WHERE account_id = $1`,
    [accountId],
  );
  return rows[0]?.n ?? 0;
}

export async function countRecords(db: Db, accountId: number): Promise<Record<RecordKind, number>> {
  const out = {} as Record<RecordKind, number>;
  for (const kind of recordKinds) out[kind] = await countRecordsOf(db, accountId, kind);
  return out;
}

/** The groups each stored agent of an account belongs to, by agent source id. */
export async function agentGroupIds(db: Db, accountId: number): Promise<Map<string, string[]>> {
  const rows = await db.query<{ source_id: string; group_ids: string[] | null }>(
    'SELECT source_id, group_ids FROM agents WHERE account_id = $1',
    [accountId],
  );
  return new Map(rows.map((a) => [a.source_id, a.group_ids ?? []]));
}
