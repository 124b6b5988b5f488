import type { Attestation, SnapshotBody } from '../domain/evidence.js';
import { ALL_FIELDS, type FieldCoverage } from '../domain/fields.js';
import type { RecordKind, RecordOf } from '../domain/records.js';
import { MaturityError } from '../errors.js';
import { openDb, type Db, type OpenDbOptions } from './db.js';
import { migrate } from './migrate.js';
import { tables, upsertSql } from './tables.js';

export interface Account {
  id: number;
  name: string;
  connector: string;
  config: Record<string, unknown>;
  status: string;
  statusDetail: string | null;
  createdAt: Date;
}

const BATCH = 2000;

/** What an account's sources delivered (see Store.coverage). */
export interface Coverage {
  /** Record kinds delivered in full: counts over other kinds are unknown, not zero. */
  kinds: Set<RecordKind>;
  /** Field families delivered per covered kind (`*`: all of them). */
  fields: Map<RecordKind, Set<string>>;
  /** Kinds built from other records (groups and people seen on incidents), not read as such. */
  derived: Set<RecordKind>;
  /** Where the delivered history of a kind starts; a kind not listed holds all its history. */
  historyFrom: Map<RecordKind, Date>;
  /** The source that last delivered each kind. */
  sources: Map<RecordKind, string>;
}

/** Everything the product keeps, behind one small interface over PGlite or PostgreSQL. */
export class Store {
  private constructor(readonly db: Db) {}

  static async open(options: OpenDbOptions): Promise<Store> {
    let db: Db;
    try {
      db = await openDb(options);
      await migrate(db);
    } catch (err) {
      const where = options.url ? 'PostgreSQL (DATABASE_URL)' : (options.dir ?? 'in-memory PGlite');
      throw new MaturityError(
        'E_STORE',
        `cannot open the database at ${where}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    return new Store(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async createAccount(
    name: string,
    connector: string,
    config: Record<string, unknown> = {},
  ): Promise<Account> {
    const rows = await this.db.query<AccountRow>(
      `INSERT INTO accounts (name, connector, config) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (name) DO UPDATE SET connector = EXCLUDED.connector, config = EXCLUDED.config
       RETURNING *`,
      [name, connector, JSON.stringify(config)],
    );
    return toAccount(rows[0]!);
  }

  /** Stores the sealed (encrypted) credentials of an account; never the plain text. */
  async setAccountSecret(
    accountId: number,
    sealed: string | null,
    db: Db = this.db,
  ): Promise<void> {
    await db.query('UPDATE accounts SET secret = $2 WHERE id = $1', [accountId, sealed]);
  }

  async accountSecret(accountId: number): Promise<string | null> {
    const rows = await this.db.query<{ secret: string | null }>(
      'SELECT secret FROM accounts WHERE id = $1',
      [accountId],
    );
    return rows[0]?.secret ?? null;
  }

  async setAccountStatus(
    accountId: number,
    status: 'ok' | 'needs-attention',
    detail: string | null,
  ): Promise<void> {
    await this.db.query('UPDATE accounts SET status = $2, status_detail = $3 WHERE id = $1', [
      accountId,
      status,
      detail,
    ]);
  }

  /** The user's settings of an account (e.g. groupRoles), kept apart from the connector config. */
  async accountSettings(accountId: number): Promise<Record<string, unknown>> {
    const rows = await this.db.query<{ settings: Record<string, unknown> | null }>(
      'SELECT settings FROM accounts WHERE id = $1',
      [accountId],
    );
    return rows[0]?.settings ?? {};
  }

  /** Sets (or, with undefined, removes) one setting of an account. */
  async setAccountSetting(accountId: number, key: string, value: unknown): Promise<void> {
    await this.db.query(
      value === undefined
        ? 'UPDATE accounts SET settings = settings - $2 WHERE id = $1'
        : `UPDATE accounts SET settings = jsonb_set(settings, ARRAY[$2], $3::jsonb) WHERE id = $1`,
      value === undefined ? [accountId, key] : [accountId, key, JSON.stringify(value)],
    );
  }

  async findAccount(name: string): Promise<Account | undefined> {
    const rows = await this.db.query<AccountRow>('SELECT * FROM accounts WHERE name = $1', [name]);
    return rows[0] ? toAccount(rows[0]) : undefined;
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

  async listAccounts(): Promise<Account[]> {
    const rows = await this.db.query<AccountRow>('SELECT * FROM accounts ORDER BY name');
    return rows.map(toAccount);
  }

  /** Inserts or updates records by (account, source id); a record read twice is stored once. */
  async upsert<K extends RecordKind>(
    accountId: number,
    kind: K,
    records: RecordOf<K>[],
    db: Db = this.db,
  ) {
    const sql = upsertSql(kind);
    for (let i = 0; i < records.length; i += BATCH) {
      // Last one wins within a page, as it would across pages.
      const page = new Map<string, RecordOf<K>>();
      for (const r of records.slice(i, i + BATCH)) page.set(r.sourceId, r);
      await db.query(sql, [accountId, JSON.stringify([...page.values()])]);
    }
    return records.length;
  }

  async remove(
    accountId: number,
    kind: RecordKind,
    sourceIds: string[],
    db: Db = this.db,
  ): Promise<void> {
    if (sourceIds.length === 0) return;
    await db.query(
      `DELETE FROM ${tables[kind].table} WHERE account_id = $1 AND source_id = ANY($2::text[])`,
      [accountId, sourceIds],
    );
  }

  /**
   * The sweep at the end of a complete full-refresh pass: deletes the records of `kind` that no
   * upsert touched since `since` (the pass's start, a timestamptz literal), except those whose
   * source id `stream` quarantined since then (they still exist at the source: their last valid
   * version stays). Returns how many records went.
   */
  async sweep(
    accountId: number,
    kind: RecordKind,
    since: string,
    stream: string,
    db: Db = this.db,
  ): Promise<number> {
    const rows = await db.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM ${tables[kind].table} r
          WHERE r.account_id = $1 AND r.synced_at < $2::timestamptz
            AND NOT EXISTS (SELECT 1 FROM quarantine q
                             WHERE q.account_id = r.account_id AND q.stream = $3
                               AND q.source_id = r.source_id AND q.at >= $2::timestamptz)
          RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [accountId, since, stream],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Marks record kinds as delivered in full (by a finished sync or an import). `fields` names the
   * field families delivered per kind (see src/domain/fields.ts; a kind not listed delivered all of
   * them); families add up over syncs and imports. `derived` marks kinds built from other records;
   * `historyFrom` is where the delivered history starts (absent: all of it).
   */
  async markCovered(
    accountId: number,
    kinds: RecordKind[],
    source: string,
    db: Db = this.db,
    o: { fields?: FieldCoverage; derived?: boolean; historyFrom?: Date | null } = {},
  ): Promise<void> {
    for (const kind of kinds) {
      await db.query(
        `INSERT INTO record_coverage (account_id, kind, source, derived, history_from)
         VALUES ($1, $2, $3, $4, $5::timestamptz)
         ON CONFLICT (account_id, kind) DO UPDATE SET source = EXCLUDED.source, covered_at = now(),
           derived = EXCLUDED.derived,
           history_from = CASE WHEN record_coverage.history_from IS NULL OR EXCLUDED.history_from IS NULL
                               THEN NULL ELSE least(record_coverage.history_from, EXCLUDED.history_from) END`,
        [accountId, kind, source, o.derived ?? false, o.historyFrom?.toISOString() ?? null],
      );
      const declared = o.fields?.[kind];
      // A source that now says which families it delivers replaces its own blanket "all".
      if (declared)
        await db.query(
          `DELETE FROM field_coverage WHERE account_id = $1 AND kind = $2 AND field = '*' AND source = $3`,
          [accountId, kind, source],
        );
      await this.addFields(accountId, kind, declared ?? [ALL_FIELDS], source, db);
    }
  }

  /** Records that a source delivered these field families of a kind (they add up). */
  async addFields(
    accountId: number,
    kind: RecordKind,
    fields: readonly string[],
    source: string,
    db: Db = this.db,
  ): Promise<void> {
    if (!fields.length) return;
    await db.query(
      `INSERT INTO field_coverage (account_id, kind, field, source)
       SELECT $1, $2, f, $4 FROM unnest($3::text[]) f
       ON CONFLICT (account_id, kind, field) DO NOTHING`,
      [accountId, kind, [...fields], source],
    );
  }

  /** Takes back what a source vouched for (a source that turned out unavailable). */
  async uncover(accountId: number, kinds: RecordKind[], source: string): Promise<void> {
    await this.db.query(
      'DELETE FROM record_coverage WHERE account_id = $1 AND kind = ANY($2::text[]) AND source = $3',
      [accountId, kinds, source],
    );
    await this.db.query(
      'DELETE FROM field_coverage WHERE account_id = $1 AND kind = ANY($2::text[]) AND source = $3',
      [accountId, kinds, source],
    );
  }

  async coveredKinds(accountId: number): Promise<Set<RecordKind>> {
    return (await this.coverage(accountId)).kinds;
  }

  /** What the sources of an account delivered: kinds, field families, derived kinds, history. */
  async coverage(accountId: number): Promise<Coverage> {
    const rows = await this.db.query<{
      kind: RecordKind;
      source: string;
      derived: boolean;
      history_from: Date | string | null;
      fields: string[] | null;
    }>(
      `SELECT r.kind, r.source, r.derived, r.history_from,
              (SELECT array_agg(f.field ORDER BY f.field) FROM field_coverage f
                WHERE f.account_id = r.account_id AND f.kind = r.kind) AS fields
       FROM record_coverage r WHERE r.account_id = $1`,
      [accountId],
    );
    const out: Coverage = {
      kinds: new Set(),
      fields: new Map(),
      derived: new Set(),
      historyFrom: new Map(),
      sources: new Map(),
    };
    for (const r of rows) {
      out.kinds.add(r.kind);
      out.fields.set(r.kind, new Set(r.fields ?? []));
      if (r.derived) out.derived.add(r.kind);
      if (r.history_from) out.historyFrom.set(r.kind, new Date(r.history_from));
      out.sources.set(r.kind, r.source);
    }
    return out;
  }

  async countRecords(accountId: number): Promise<Record<RecordKind, number>> {
    const out = {} as Record<RecordKind, number>;
    for (const [kind, spec] of Object.entries(tables) as [
      RecordKind,
      (typeof tables)[RecordKind],
    ][]) {
      const rows = await this.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${spec.table} WHERE account_id = $1`,
        [accountId],
      );
      out[kind] = rows[0]?.n ?? 0;
    }
    return out;
  }

  /** One snapshot per account, day and window: taking it again the same day replaces it. */
  async saveSnapshot(accountId: number, body: SnapshotBody): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO snapshots (account_id, as_of, day, window_spec, rules_version, rules_hash, partial, body)
       VALUES ($1, $2::timestamptz, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (account_id, day, window_spec) DO UPDATE SET as_of = EXCLUDED.as_of,
         rules_version = EXCLUDED.rules_version, rules_hash = EXCLUDED.rules_hash,
         partial = EXCLUDED.partial, body = EXCLUDED.body, created_at = now()
       RETURNING id`,
      [
        accountId,
        body.asOf,
        body.window,
        body.rulesVersion,
        body.rulesHash,
        body.partial,
        JSON.stringify(body),
      ],
    );
    return rows[0]!.id;
  }

  async latestSnapshot(accountId: number): Promise<SnapshotBody | undefined> {
    const rows = await this.db.query<{ body: SnapshotBody }>(
      'SELECT body FROM snapshots WHERE account_id = $1 ORDER BY as_of DESC, created_at DESC LIMIT 1',
      [accountId],
    );
    return rows[0]?.body;
  }

  async listSnapshots(
    accountId: number,
  ): Promise<{ id: number; asOf: Date; window: string; rulesVersion: string }[]> {
    return this.db.query(
      `SELECT id, as_of AS "asOf", window_spec AS "window", rules_version AS "rulesVersion"
       FROM snapshots WHERE account_id = $1 ORDER BY as_of`,
      [accountId],
    );
  }

  async addAttestation(accountId: number, a: Attestation): Promise<void> {
    await this.db.query(
      `INSERT INTO attestations (account_id, model, criterion_id, value, by_whom, reason, at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz)`,
      [
        accountId,
        a.model,
        a.criterionId,
        a.value,
        a.by,
        a.reason ?? null,
        a.at,
        a.expiresAt ?? null,
      ],
    );
  }

  /** The latest attestation per criterion (a later statement replaces an earlier one). */
  async attestations(accountId: number): Promise<Attestation[]> {
    const rows = await this.db.query<AttestationRow>(
      `SELECT DISTINCT ON (model, criterion_id) model, criterion_id, value, by_whom, reason, at, expires_at
       FROM attestations WHERE account_id = $1 ORDER BY model, criterion_id, at DESC, id DESC`,
      [accountId],
    );
    return rows.map((r) => ({
      model: r.model,
      criterionId: r.criterion_id,
      value: r.value,
      by: r.by_whom,
      ...(r.reason ? { reason: r.reason } : {}),
      at: new Date(r.at).toISOString(),
      ...(r.expires_at ? { expiresAt: new Date(r.expires_at).toISOString() } : {}),
    }));
  }
}

interface AccountRow {
  id: number;
  name: string;
  connector: string;
  config: Record<string, unknown>;
  status: string;
  status_detail: string | null;
  created_at: Date;
}

interface AttestationRow {
  model: string;
  criterion_id: string;
  value: boolean;
  by_whom: string;
  reason: string | null;
  at: Date | string;
  expires_at: Date | string | null;
}

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  name: r.name,
  connector: r.connector,
  config: r.config,
  status: r.status,
  statusDetail: r.status_detail,
  createdAt: r.created_at,
});
