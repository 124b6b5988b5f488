import { ALL_FIELDS, type FieldCoverage } from '../domain/fields.js';
import type { RecordKind } from '../domain/records.js';
import type { Db } from './db.js';

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
  /** When each kind was last delivered in full (a finished sync or an import). */
  coveredAt: Map<RecordKind, Date>;
}

export interface CoverageOptions {
  fields?: FieldCoverage;
  derived?: boolean;
  historyFrom?: Date | null;
}

/**
 * Marks record kinds as delivered in full (by a finished sync or an import). `fields` names the
 * field families delivered per kind (see src/domain/fields.ts; a kind not listed delivered all of
 * them); families add up over syncs and imports. `derived` marks kinds built from other records;
 * `historyFrom` is where the delivered history starts (absent: all of it).
 */
export async function markCovered(
  db: Db,
  accountId: number,
  kinds: RecordKind[],
  source: string,
  o: CoverageOptions = {},
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
    await addFields(db, accountId, kind, declared ?? [ALL_FIELDS], source);
  }
}

/** Records that a source delivered these field families of a kind (they add up). */
export async function addFields(
  db: Db,
  accountId: number,
  kind: RecordKind,
  fields: readonly string[],
  source: string,
): Promise<void> {
  if (!fields.length) return;
  await db.query(
    `INSERT INTO field_coverage (account_id, kind, field, source)
     SELECT $1, $2, f, $4 FROM unnest($3::text[]) f
     ON CONFLICT (account_id, kind, field) DO NOTHING`,
    [accountId, kind, [...fields], source],
  );
}

/** Takes back the blanket "every field family" of a kind, whichever source vouched for it. */
export async function dropAllFields(db: Db, accountId: number, kind: RecordKind): Promise<void> {
  await db.query(`DELETE FROM field_coverage WHERE account_id = $1 AND kind = $2 AND field = '*'`, [
    accountId,
    kind,
  ]);
}

/** Takes back what a source vouched for (a source that turned out unavailable). */
export async function uncover(
  db: Db,
  accountId: number,
  kinds: RecordKind[],
  source: string,
): Promise<void> {
  await db.query(
    'DELETE FROM record_coverage WHERE account_id = $1 AND kind = ANY($2::text[]) AND source = $3',
    [accountId, kinds, source],
  );
  await db.query(
    'DELETE FROM field_coverage WHERE account_id = $1 AND kind = ANY($2::text[]) AND source = $3',
    [accountId, kinds, source],
  );
}

/** What the sources of an account delivered: kinds, field families, derived kinds, history. */
export async function coverage(db: Db, accountId: number): Promise<Coverage> {
  const rows = await db.query<{
    kind: RecordKind;
    source: string;
    derived: boolean;
    history_from: Date | string | null;
    covered_at: Date | string;
    fields: string[] | null;
  }>(
    `SELECT r.kind, r.source, r.derived, r.history_from, r.covered_at,
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
    coveredAt: new Map(),
  };
  for (const r of rows) {
    out.kinds.add(r.kind);
    out.fields.set(r.kind, new Set(r.fields ?? []));
    if (r.derived) out.derived.add(r.kind);
    if (r.history_from) out.historyFrom.set(r.kind, new Date(r.history_from));
    out.sources.set(r.kind, r.source);
    out.coveredAt.set(r.kind, new Date(r.covered_at));
  }
  return out;
}
