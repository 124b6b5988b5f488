import type { RecordKind } from '../../src/domain/records.js';
import { MaturityError, zodSentence } from '../../src/errors.js';
import {
  pageRecordCount,
  SourceUnavailable,
  type ConnectorDefinition,
  type PageResult,
  type StreamDefinition,
} from './define-connector.js';
import type { HttpClient } from './http-client.js';
import type { SyncSink } from './sync-sink.js';

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
  /** Where the records, cursors and coverage of the account go (the store's, in production). */
  sink: SyncSink;
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
  /**
   * Another run holds a stream of this account (sink.holdStream): this one waits for it to
   * finish, then syncs what changed since. Called once per stream that waits, as it starts.
   */
  onBusy?: (stream: string) => void;
  /**
   * How many streams run at once (default 1: one after the other). Streams draw on separate
   * rate-limit budgets (Zendesk's incremental exports allow 10 requests a minute, the rest 700), so
   * running them side by side spends the wait of one on the requests of another. Outcomes keep the
   * connector's order. A stream that throws (fail-fast, authentication) starts no further stream.
   */
  concurrency?: number;
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
  const wanted = o.streams
    ? o.connector.streams.filter((s) => o.streams!.includes(s.name))
    : o.connector.streams;
  const outcomes: StreamOutcome[] = new Array<StreamOutcome>(wanted.length);
  let next = 0;
  let thrown: { err: unknown } | undefined;
  const lane = async () => {
    while (!thrown && next < wanted.length) {
      const i = next++;
      try {
        outcomes[i] = await syncStream(o, wanted[i]!);
      } catch (err) {
        thrown ??= { err };
      }
    }
  };
  const lanes = Math.max(1, Math.min(o.concurrency ?? 1, wanted.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (thrown) throw thrown.err;
  return outcomes;
}

/** One stream's run: its outcome, or a throw for an error that ends the whole sync. */
async function syncStream<C>(
  o: RunSyncOptions<C>,
  stream: StreamDefinition<unknown>,
): Promise<StreamOutcome> {
  const outcome: StreamOutcome = {
    stream: stream.name,
    ok: false,
    pages: 0,
    records: 0,
    quarantined: 0,
  };
  const key = `${o.connector.id}:${stream.name}`;
  // Another run of this stream (another process on the same database) finishes first; this
  // one then reads the cursor it left, so the two never fetch the same records.
  const asked = Date.now();
  let busy = false;
  const release = await o.sink.holdStream(key, {
    onBusy: () => {
      busy = true;
      o.onBusy?.(stream.name);
    },
    ...(o.signal ? { signal: o.signal } : {}),
  });
  try {
    if (busy)
      (outcome.warnings ??= []).push(
        `another sync of this stream was running: waited ${Math.round((Date.now() - asked) / 1000)} s for it to finish, then fetched only what changed since`,
      );
    const saved = savedCursor(stream, await o.sink.readCursor(key));
    if (saved.warning) (outcome.warnings ??= []).push(saved.warning);
    const fullRefresh = stream.fullRefresh === true;
    /** The start of the pass this run commits to (PostgreSQL text, round-trips exactly). */
    let passStart: string | undefined;
    /** Stores one page (records, deletions, fields, quarantine, cursor) in one transaction. */
    const store = async (page: PageResult, after: Promise<void> | undefined) => {
      const started = await o.sink.commitPage(key, page, fullRefresh, after);
      passStart ??= started;
      outcome.pages++;
      outcome.records += pageRecordCount(page);
      outcome.quarantined += page.quarantined?.length ?? 0;
      if (page.warnings?.length) (outcome.warnings ??= []).push(...page.warnings);
      o.onProgress?.({
        stream: stream.name,
        pages: outcome.pages,
        records: outcome.records,
        quarantined: outcome.quarantined,
        done: false,
      });
    };
    /** The page being written while the stream reads and maps the next one. */
    let writing: Promise<void> | undefined;
    try {
      const pages = stream.sync({
        config: o.config,
        client: o.client,
        cursor: saved.cursor,
        now: o.now ?? (() => new Date()),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.historyFrom !== undefined ? { historyFrom: o.historyFrom } : {}),
        commit: async (page: PageResult) => {
          o.signal?.throwIfAborted();
          checkCommitted(stream, page.cursor);
          // One page at a time is being written. This one is handed over at once, to be
          // prepared while the one before is written and written after it; the stream goes on
          // reading once the one before is stored (its failure ends the stream here, and the
          // sink then never writes this one).
          const before = writing;
          const write = store(page, before);
          write.catch(() => undefined);
          await before;
          writing = write;
        },
      });
      const summary = await pages.then(
        async (s) => {
          await writing;
          return s;
        },
        async (err: unknown) => {
          await writing?.catch(() => undefined);
          throw err;
        },
      );
      const held = summary?.historyFrom;
      if (held !== undefined) outcome.historyFrom = held;
      const sweep = fullRefresh ? sweepable(o.connector, stream.name, stream.kinds) : undefined;
      if (sweep?.shared.length) {
        (outcome.warnings ??= []).push(
          `${sweep.shared.join(', ')} also come(s) from another stream: records deleted at the source are not removed`,
        );
      }
      // A run that committed nothing this time has no pass start of its own and sweeps nothing.
      const removed = await o.sink.completeStream(key, {
        kinds: stream.kinds,
        ...(stream.fields ? { fields: stream.fields(o.config) } : {}),
        historyFrom: held ?? null,
        ...(sweep && passStart
          ? {
              sweep: {
                kinds: sweep.kinds,
                passStart,
                ...(summary?.sweepFrom ? { createdFrom: summary.sweepFrom.toISOString() } : {}),
              },
            }
          : {}),
      });
      if (fullRefresh) outcome.removed = removed;
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
        await o.sink.uncover(key, stream.kinds);
        outcome.ok = true;
        outcome.unavailable = err.message;
        return outcome;
      }
      outcome.error = err as Error;
      if (o.failFast || (err instanceof MaturityError && err.code === 'E_CONNECTOR_AUTH')) {
        throw err;
      }
    }
    return outcome;
  } finally {
    await release();
  }
}

/**
 * The saved cursor as the stream declares it. A cursor that does not parse restarts the stream
 * from scratch, with a warning naming the stream, rather than failing it: every stream reads
 * again from its start idempotently (records are upserted by source id; a full pass keeps the
 * start it stored, so its sweep stays right), while a failing stream would stay stuck until
 * someone removed the account. Streams never commit such a cursor (checkCommitted), so this
 * only happens to a cursor written by an older version whose shape a change did not keep.
 */
function savedCursor(
  stream: StreamDefinition<unknown>,
  raw: unknown,
): { cursor: unknown; warning?: string } {
  if (raw === undefined || raw === null) return { cursor: undefined };
  const r = stream.cursor.safeParse(raw);
  if (r.success) return { cursor: r.data };
  return {
    cursor: undefined,
    warning: `stream ${stream.name}: the saved sync position does not read as this stream's cursor (${zodSentence(r.error, { top: 'cursor' })}); the stream starts again from scratch`,
  };
}

/** A stream must commit a cursor its own schema reads back (a programming error otherwise). */
function checkCommitted(stream: StreamDefinition<unknown>, cursor: unknown): void {
  if (cursor === null) return;
  const r = stream.cursor.safeParse(cursor);
  if (!r.success)
    throw new Error(
      `stream ${stream.name} committed a cursor its cursor schema does not read: ${zodSentence(r.error, { top: 'cursor' })}`,
    );
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
