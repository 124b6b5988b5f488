import type { Decision } from '../domain/decisions.js';
import type { SnapshotBody } from '../domain/evidence.js';
import type { RecordKind, RecordOf, Ticket } from '../domain/records.js';
import { MaturityError } from '../errors.js';
import * as accounts from './accounts.js';
import type { Account, AccountStatus } from './accounts.js';
import * as coverage from './coverage.js';
import * as decisions from './decisions.js';
import type { NewDecision } from './decisions.js';
import type { Coverage, CoverageOptions } from './coverage.js';
import { openDb, type Db, type HoldLockOptions, type OpenDbOptions, type QueryDb } from './db.js';
import { migrate } from './migrate.js';
import * as records from './records.js';
import * as schedules from './schedules.js';
import type { ScheduleRow } from './schedules.js';
import * as snapshots from './snapshots.js';
import type { SnapshotEntry, StoredSnapshot } from './snapshots.js';
import * as syncState from './sync-state.js';
import type { QuarantinedItem } from './sync-state.js';
import * as tokens from './tokens.js';
import * as apiJobs from './api-jobs.js';
import type { ApiJobRow } from './api-jobs.js';
import type { ApiTokenRow, TokenRole } from './tokens.js';

export type { Account, AccountStatus } from './accounts.js';
export type { Coverage, CoverageOptions } from './coverage.js';
export type { QueryDb } from './db.js';
export type { ScheduleRow } from './schedules.js';
export type { NewDecision } from './decisions.js';
export type { SnapshotEntry, StoredSnapshot } from './snapshots.js';
export type { ApiTokenRow, TokenRole } from './tokens.js';
export type { ApiJobRow } from './api-jobs.js';

/**
 * Everything the product keeps, behind one small interface over PGlite or PostgreSQL. The store
 * is the only owner of SQL (beside the metrics, which get a query-only handle): each concern's
 * statements live in its own module (accounts, records, coverage, sync-state, snapshots,
 * schedules, decisions), and these methods are the way in.
 */
export class Store {
  private constructor(private readonly db: Db) {}

  /**
   * Opens and migrates the database. The embedded store in a directory is this process's alone
   * until `close()` (a second command waits `options.lock.waitMs`, then E_STORE_BUSY).
   */
  static async open(options: OpenDbOptions): Promise<Store> {
    let db: Db | undefined;
    try {
      db = await openDb(options);
      await migrate(db);
    } catch (err) {
      await db?.close().catch(() => undefined);
      if (err instanceof MaturityError && err.code === 'E_STORE_BUSY') throw err;
      const where = options.url ? 'PostgreSQL (DATABASE_URL)' : (options.dir ?? 'in-memory PGlite');
      throw new MaturityError(
        'E_STORE',
        `cannot open the database at ${where}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    return new Store(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** Runs `fn` on a store bound to one transaction: all of it is stored, or none. Nests. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new Store(tx)));
  }

  /** The metrics' handle: read queries only (src/metrics keeps its SQL). */
  queryDb(): QueryDb {
    return { query: (sql, params) => this.db.query(sql, params) };
  }

  /**
   * Tests and benchmarks only: the raw database, to set up or inspect edge cases in SQL. Product
   * code goes through the methods here (a lint rule refuses it in src/ and connectors/).
   */
  get dbForTests(): Db {
    return this.db;
  }

  // Accounts

  createAccount(
    name: string,
    connector: string,
    config: Record<string, unknown> = {},
  ): Promise<Account> {
    return accounts.createAccount(this.db, name, connector, config);
  }

  /** The id of the account with that name, created (no config) when new. */
  ensureAccount(name: string, connector: string): Promise<number> {
    return accounts.ensureAccount(this.db, name, connector);
  }

  /** Stores a checked connection: its config, its sealed credentials, status ok. */
  saveConnectedAccount(
    name: string,
    connector: string,
    config: unknown,
    sealed: string,
  ): Promise<number> {
    return accounts.saveConnectedAccount(this.db, name, connector, config, sealed);
  }

  /** Stores the sealed (encrypted) credentials of an account; never the plain text. */
  setAccountSecret(accountId: number, sealed: string | null): Promise<void> {
    return accounts.setAccountSecret(this.db, accountId, sealed);
  }

  accountSecret(accountId: number): Promise<string | null> {
    return accounts.accountSecret(this.db, accountId);
  }

  /** Every stored (sealed) credential, with its account's id and name. */
  sealedSecrets(): Promise<{ id: number; name: string; secret: string }[]> {
    return accounts.sealedSecrets(this.db);
  }

  setAccountStatus(accountId: number, status: AccountStatus, detail: string | null): Promise<void> {
    return accounts.setAccountStatus(this.db, accountId, status, detail);
  }

  /** The user's settings of an account (e.g. groupRoles), kept apart from the connector config. */
  accountSettings(accountId: number): Promise<Record<string, unknown>> {
    return accounts.accountSettings(this.db, accountId);
  }

  /** Sets (or, with undefined, removes) one setting of an account. */
  setAccountSetting(accountId: number, key: string, value: unknown): Promise<void> {
    return accounts.setAccountSetting(this.db, accountId, key, value);
  }

  findAccount(name: string): Promise<Account | undefined> {
    return accounts.findAccount(this.db, name);
  }

  async getAccount(name: string): Promise<Account> {
    const account = await this.findAccount(name);
    if (!account) {
      throw new MaturityError(
        'E_ACCOUNT_NOT_FOUND',
        `no account named "${name}" (list them with: maturity accounts list)`,
      );
    }
    return account;
  }

  listAccounts(): Promise<Account[]> {
    return accounts.listAccounts(this.db);
  }

  /** Deletes an account with its records, sync state, snapshots and schedule; false if none. */
  removeAccount(name: string): Promise<boolean> {
    return accounts.removeAccount(this.db, name);
  }

  // Records

  /** Inserts or updates records by (account, source id); a record read twice is stored once. */
  upsert<K extends RecordKind>(accountId: number, kind: K, list: RecordOf<K>[]): Promise<number> {
    return records.upsertRecords(this.db, accountId, kind, list);
  }

  /**
   * Upserts records made ready with records.prepareUpsert (a sync prepares a page early); with
   * `insertOnly`, only inserts them and fails on one already stored (records.upsertPrepared).
   */
  upsertPrepared(
    prepared: records.PreparedUpsert,
    o: { insertOnly?: boolean } = {},
  ): Promise<number> {
    return records.upsertPrepared(this.db, prepared, o);
  }

  /** Whether the account holds any record of a kind. */
  hasRecords(accountId: number, kind: RecordKind): Promise<boolean> {
    return records.hasRecords(this.db, accountId, kind);
  }

  /** Upserts tickets, except where the stored ticket was updated later than the row. */
  upsertLatestTickets(accountId: number, tickets: Ticket[]): Promise<void> {
    return records.upsertLatestTickets(this.db, accountId, tickets);
  }

  remove(accountId: number, kind: RecordKind, sourceIds: string[]): Promise<void> {
    return records.removeRecords(this.db, accountId, kind, sourceIds);
  }

  /** Deletes the records of `kind` a complete full-refresh pass did not see (records.ts). */
  sweep(
    accountId: number,
    kind: RecordKind,
    since: string,
    stream: string,
    createdFrom?: string,
  ): Promise<number> {
    return records.sweepRecords(this.db, accountId, kind, since, stream, createdFrom);
  }

  countRecords(accountId: number): Promise<Record<RecordKind, number>> {
    return records.countRecords(this.db, accountId);
  }

  /** The account's tickets, when the window from..to holds none and all lie on one side (records.ts). */
  ticketsOnlyOutside(accountId: number, from: Date | null, to: Date) {
    return records.ticketsOnlyOutside(this.db, accountId, from, to);
  }

  countRecordsOf(accountId: number, kind: RecordKind): Promise<number> {
    return records.countRecordsOf(this.db, accountId, kind);
  }

  /** The groups each stored agent belongs to, by agent source id. */
  agentGroupIds(accountId: number): Promise<Map<string, string[]>> {
    return records.agentGroupIds(this.db, accountId);
  }

  // Coverage: what the sources delivered

  /** Marks record kinds as delivered in full, with their field families (coverage.ts). */
  markCovered(
    accountId: number,
    kinds: RecordKind[],
    source: string,
    o: CoverageOptions = {},
  ): Promise<void> {
    return coverage.markCovered(this.db, accountId, kinds, source, o);
  }

  /** Records that a source delivered these field families of a kind (they add up). */
  addFields(
    accountId: number,
    kind: RecordKind,
    fields: readonly string[],
    source: string,
  ): Promise<void> {
    return coverage.addFields(this.db, accountId, kind, fields, source);
  }

  /** Takes back any source's blanket "every field family" of a kind. */
  dropAllFields(accountId: number, kind: RecordKind): Promise<void> {
    return coverage.dropAllFields(this.db, accountId, kind);
  }

  /** Takes back what a source vouched for (a source that turned out unavailable). */
  uncover(accountId: number, kinds: RecordKind[], source: string): Promise<void> {
    return coverage.uncover(this.db, accountId, kinds, source);
  }

  async coveredKinds(accountId: number): Promise<Set<RecordKind>> {
    return (await this.coverage(accountId)).kinds;
  }

  /** What the sources of an account delivered: kinds, field families, derived kinds, history. */
  coverage(accountId: number): Promise<Coverage> {
    return coverage.coverage(this.db, accountId);
  }

  // Sync state

  /**
   * Holds one stream of an account for a sync run, across every process sharing the database
   * (db.ts holdLock): waits while another run has it. Resolves with the function that lets go.
   */
  holdSyncStream(
    accountId: number,
    stream: string,
    o: HoldLockOptions = {},
  ): Promise<() => Promise<void>> {
    return this.db.holdLock(`sync|${accountId}|${stream}`, o);
  }

  readCursor(accountId: number, stream: string): Promise<unknown> {
    return syncState.readCursor(this.db, accountId, stream);
  }

  /** Saves a stream's cursor; returns the start of its full pass (sync-state.ts). */
  saveCursor(
    accountId: number,
    stream: string,
    cursor: unknown,
    fullRefresh: boolean,
  ): Promise<string | undefined> {
    return syncState.saveCursor(this.db, accountId, stream, cursor, fullRefresh);
  }

  /** Ends a full pass; true when this run still owned it (and so may sweep). */
  endPass(accountId: number, stream: string, passStart: string): Promise<boolean> {
    return syncState.endPass(this.db, accountId, stream, passStart);
  }

  /** When each stream of an account last saved a page. */
  streamsSynced(accountId: number): Promise<{ stream: string; updatedAt: Date }[]> {
    return syncState.streamsSynced(this.db, accountId);
  }

  quarantine(accountId: number, stream: string, item: QuarantinedItem): Promise<void> {
    return syncState.quarantine(this.db, accountId, stream, item);
  }

  countQuarantined(accountId: number): Promise<number> {
    return syncState.countQuarantined(this.db, accountId);
  }

  // Snapshots

  /**
   * One snapshot per account, day and window: taking it again the same day replaces it, unless
   * it is partial and a complete one stands (then undefined: not stored).
   */
  saveSnapshot(accountId: number, body: SnapshotBody): Promise<number | undefined> {
    return snapshots.saveSnapshot(this.db, accountId, body);
  }

  latestSnapshot(accountId: number): Promise<SnapshotBody | undefined> {
    return snapshots.latestSnapshot(this.db, accountId);
  }

  listSnapshots(accountId: number): Promise<SnapshotEntry[]> {
    return snapshots.listSnapshots(this.db, accountId);
  }

  /** A stored snapshot by id, or the latest as of a moment, or the latest (snapshots.ts). */
  findSnapshot(
    accountId: number,
    pick: { id?: number; asOf?: string } = {},
  ): Promise<StoredSnapshot | undefined> {
    return snapshots.findSnapshot(this.db, accountId, pick);
  }

  /** The snapshot stored before the one as of `asOf`. */
  snapshotBefore(accountId: number, asOf: string): Promise<SnapshotBody | undefined> {
    return snapshots.snapshotBefore(this.db, accountId, asOf);
  }

  // Schedules (the database is their source of truth; Redis mirrors them)

  saveSchedule(accountId: number, cron: string, tz: string): Promise<void> {
    return schedules.saveSchedule(this.db, accountId, cron, tz);
  }

  /** Turns a schedule off (one with `cron`/`tz`, off, when the account had none). */
  disableSchedule(accountId: number, cron: string, tz: string): Promise<void> {
    return schedules.disableSchedule(this.db, accountId, cron, tz);
  }

  /** Every connected account without a schedule gets this one, on. */
  addMissingSchedules(cron: string, tz: string): Promise<void> {
    return schedules.addMissingSchedules(this.db, cron, tz);
  }

  schedule(accountId: number): Promise<{ cron: string; tz: string; enabled: boolean } | undefined> {
    return schedules.scheduleOf(this.db, accountId);
  }

  listSchedules(): Promise<ScheduleRow[]> {
    return schedules.listSchedules(this.db);
  }

  // Review decisions: one append-only trail per account (src/domain/decisions.ts)

  /** Appends a decision; a decision is revoked at most once (a second revoke: E_INPUT). */
  addDecision(accountId: number, d: NewDecision): Promise<Decision & { account: string }> {
    return decisions.addDecision(this.db, accountId, d);
  }

  /** The trail in the order it was written: one account's, or (no id) every account's. */
  decisions(accountId?: number): Promise<(Decision & { account: string })[]> {
    return decisions.listDecisions(this.db, accountId);
  }

  // API tokens (maturity serve): stored by their SHA-256, never in clear

  /** A new named token; undefined when a live token already has that name. */
  createApiToken(t: {
    name: string;
    role: TokenRole;
    hash: string;
    createdBy?: string;
  }): Promise<ApiTokenRow | undefined> {
    return tokens.createToken(this.db, t);
  }

  /** The live tokens with their hashes, to check a presented token against. */
  liveApiTokenHashes(): Promise<{ id: number; name: string; role: TokenRole; hash: string }[]> {
    return tokens.liveTokenHashes(this.db);
  }

  listApiTokens(o: { includeRevoked?: boolean } = {}): Promise<ApiTokenRow[]> {
    return tokens.listTokens(this.db, o);
  }

  /** Revokes the live token of that name (its row stays); undefined when there is none. */
  revokeApiToken(name: string): Promise<ApiTokenRow | undefined> {
    return tokens.revokeToken(this.db, name);
  }

  touchApiToken(id: number): Promise<void> {
    return tokens.touchToken(this.db, id);
  }

  // Snapshot jobs the server runs itself (no queue), kept across restarts

  saveApiJob(j: ApiJobRow): Promise<void> {
    return apiJobs.saveApiJob(this.db, j);
  }

  findApiJob(id: string): Promise<ApiJobRow | undefined> {
    return apiJobs.findApiJob(this.db, id);
  }

  /** Jobs not finished, oldest first: what a server that stopped left behind. */
  unfinishedApiJobs(): Promise<ApiJobRow[]> {
    return apiJobs.unfinishedApiJobs(this.db);
  }

  apiJobCounts(): Promise<Record<string, number>> {
    return apiJobs.apiJobCounts(this.db);
  }

  /** Forgets finished jobs beyond the `keep` most recent ones. */
  pruneApiJobs(keep: number): Promise<void> {
    return apiJobs.pruneApiJobs(this.db, keep);
  }

  /** Whether the database answers (a server's readiness check). */
  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}
