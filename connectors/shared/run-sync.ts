import type { RecordKind } from '../../src/domain/records.js';
import { MaturityError } from '../../src/errors.js';
import type { Account, Store } from '../../src/store/store.js';
import {
  SourceUnavailable,
  type ConnectorDefinition,
  type PageResult,
} from './define-connector.js';
import type { HttpClient } from './http-client.js';

export interface SyncProgress {
  stream: string;
  pages: number;
  records: number;
  quarantined: number;
  done: boolean;
}

export interface StreamOutcome {
  stream: string;
  ok: boolean;
  pages: number;
  records: number;
  quarantined: number;
  error?: MaturityError | Error;
  /** The source lacks this data or may not be read: evidence unknown (not a failure). */
  unavailable?: string;
  warnings?: string[];
  /** Full-refresh streams: records the complete pass did not see again (deleted at the source). */
  removed?: number;
  /** Streams that read by start time: where the history they hold now starts (null: all of it). */
  historyFrom?: Date | null;
}

export interface RunSyncOptions<C> {
  store: Store;
  account: Account;
  connector: ConnectorDefinition<C, unknown>;
  config: C;
  client: HttpClient;
  /** Only these streams (default: all). */
  streams?: string[];
  onProgress?: (p: SyncProgress) => void;
  now?: () => Date;
  signal?: AbortSignal;
  /** Stop at the first failing stream instead of carrying on with the others. */
  failFast?: boolean;
  /**
   * The history the caller needs (a snapshot's window start; `null`: all of it). Streams that read
   * by start time backfill what they lack; undefined asks for nothing beyond their default.
   */
  historyFrom?: Date | null;
}

/**
 * Runs a connector's streams for one account. Each page's records, deletions and checkpoint are
 * committed together, so a sync killed at any point resumes from the last committed page and
 * re-reading a page only upserts. A stream that finishes marks its record kinds as covered.
 *
 * Full-refresh streams (`fullRefresh: true`) are swept: the first page committed by a pass also
 * stores the pass's start (sync_state.run_started_at, the database's time), which stays while the
 * pass is resumed after a crash. When the pass completes, the records of the stream's kinds not
 * upserted since that start are deleted in the same transaction that marks the kinds covered, and
 * the start is cleared. A pass that fails, is killed or ends in SourceUnavailable deletes nothing.
 *
 * Streams that read by start time return where the history they hold starts; it is stored with
 * the coverage of their kinds (`record_coverage.history_from`), so a snapshot knows which period
 * its counts may speak for. Other streams hold all history.
 */
export async function runSync<C>(o: RunSyncOptions<C>): Promise<StreamOutcome[]> {
  const outcomes: StreamOutcome[] = [];
  const wanted = o.streams
    ? o.connector.streams.filter((s) => o.streams!.includes(s.name))
    : o.connector.streams;
  for (const stream of wanted) {
    const outcome: StreamOutcome = {
      stream: stream.name,
      ok: false,
      pages: 0,
      records: 0,
      quarantined: 0,
    };
    const key = `${o.connector.id}:${stream.name}`;
    const [row] = await o.store.db.query<{ cursor: unknown }>(
      'SELECT cursor FROM sync_state WHERE account_id = $1 AND stream = $2',
      [o.account.id, key],
    );
    let cursor: unknown = row?.cursor ?? undefined;
    const fullRefresh = stream.fullRefresh === true;
    const coverage = stream.fields ? { fields: stream.fields(o.config) } : {};
    /** The start of the pass this run commits to (PostgreSQL text, round-trips exactly). */
    let passStart: string | undefined;
    try {
      const summary = await stream.sync({
        config: o.config,
        client: o.client,
        cursor,
        now: o.now ?? (() => new Date()),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.historyFrom !== undefined ? { historyFrom: o.historyFrom } : {}),
        commit: async (page: PageResult) => {
          if (o.signal?.aborted) throw new Error('sync aborted');
          const started = await o.store.db.transaction(async (tx) => {
            for (const [kind, list] of Object.entries(page.records ?? {})) {
              if (list?.length)
                await o.store.upsert(o.account.id, kind as RecordKind, list as never, tx);
            }
            for (const [kind, ids] of Object.entries(page.deletes ?? {})) {
              if (ids?.length) await o.store.remove(o.account.id, kind as RecordKind, ids, tx);
            }
            for (const [kind, fields] of Object.entries(page.fields ?? {})) {
              if (fields?.length)
                await o.store.addFields(o.account.id, kind as RecordKind, fields, key, tx);
            }
            for (const q of page.quarantined ?? []) {
              await tx.query(
                'INSERT INTO quarantine (account_id, stream, source_id, error, payload) VALUES ($1, $2, $3, $4, $5::jsonb)',
                [
                  o.account.id,
                  key,
                  q.sourceId ?? null,
                  q.error.slice(0, 2000),
                  JSON.stringify(q.payload ?? null),
                ],
              );
            }
            // A full pass starts with its first committed page and keeps that start until it
            // completes, across crashes; incremental streams carry no pass start.
            const [state] = await tx.query<{ started: string | null }>(
              `INSERT INTO sync_state (account_id, stream, cursor, updated_at, run_started_at)
               VALUES ($1, $2, $3::jsonb, now(), CASE WHEN $4::boolean THEN now() END)
               ON CONFLICT (account_id, stream) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now(),
                 run_started_at = CASE WHEN $4::boolean THEN COALESCE(sync_state.run_started_at, now()) END
               RETURNING run_started_at::text AS started`,
              [o.account.id, key, JSON.stringify(page.cursor ?? null), fullRefresh],
            );
            return state?.started ?? undefined;
          });
          passStart ??= started;
          cursor = page.cursor;
          outcome.pages++;
          outcome.records += Object.values(page.records ?? {}).reduce(
            (n, l) => n + (l?.length ?? 0),
            0,
          );
          outcome.quarantined += page.quarantined?.length ?? 0;
          if (page.warnings?.length) (outcome.warnings ??= []).push(...page.warnings);
          o.onProgress?.({
            stream: stream.name,
            pages: outcome.pages,
            records: outcome.records,
            quarantined: outcome.quarantined,
            done: false,
          });
        },
      });
      const held = summary?.historyFrom;
      if (held !== undefined) outcome.historyFrom = held;
      const covered = { ...coverage, historyFrom: held ?? null };
      if (fullRefresh) {
        const sweep = sweepable(o.connector, stream.name, stream.kinds);
        if (sweep.shared.length) {
          (outcome.warnings ??= []).push(
            `${sweep.shared.join(', ')} also come(s) from another stream: records deleted at the source are not removed`,
          );
        }
        outcome.removed = await o.store.db.transaction(async (tx) => {
          let removed = 0;
          // Only the run that still owns the pass sweeps (a run that committed nothing this time
          // has no start of its own and leaves the records be).
          const owned = passStart
            ? await tx.query(
                `UPDATE sync_state SET run_started_at = NULL
                  WHERE account_id = $1 AND stream = $2 AND run_started_at = $3::timestamptz
                  RETURNING 1`,
                [o.account.id, key, passStart],
              )
            : [];
          if (owned.length) {
            for (const kind of sweep.kinds)
              removed += await o.store.sweep(o.account.id, kind, passStart!, key, tx);
          }
          await o.store.markCovered(o.account.id, stream.kinds, key, tx, covered);
          return removed;
        });
      } else {
        await o.store.markCovered(o.account.id, stream.kinds, key, undefined, covered);
      }
      outcome.ok = true;
      o.onProgress?.({
        stream: stream.name,
        pages: outcome.pages,
        records: outcome.records,
        quarantined: outcome.quarantined,
        done: true,
      });
    } catch (err) {
      if (err instanceof SourceUnavailable) {
        // Evidence unknown: whatever this stream covered before is no longer vouched for.
        await o.store.uncover(o.account.id, stream.kinds, key);
        outcome.ok = true;
        outcome.unavailable = err.message;
        outcomes.push(outcome);
        continue;
      }
      outcome.error = err as Error;
      if (o.failFast || (err instanceof MaturityError && err.code === 'E_CONNECTOR_AUTH')) {
        outcomes.push(outcome);
        throw err;
      }
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/** The kinds a full-refresh stream may sweep: those no other stream of its connector delivers. */
function sweepable(
  connector: ConnectorDefinition<unknown, unknown>,
  name: string,
  kinds: RecordKind[],
): { kinds: RecordKind[]; shared: RecordKind[] } {
  const others = new Set(connector.streams.filter((s) => s.name !== name).flatMap((s) => s.kinds));
  return {
    kinds: kinds.filter((k) => !others.has(k)),
    shared: kinds.filter((k) => others.has(k)),
  };
}
