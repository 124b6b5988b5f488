import type { FieldCoverage } from '../../src/domain/fields.js';
import type { RecordKind } from '../../src/domain/records.js';
import type { PageResult } from './define-connector.js';

/**
 * Where a sync writes, for one account: the store implements it (src/store/sync-sink.ts), so
 * connectors never see the database. Stream keys are `<connector>:<stream>`.
 */
export interface SyncSink {
  /**
   * Holds a stream of the account for this run, across every process writing to the same
   * database, so two syncs never fetch the same stream at once. When another run holds it,
   * `onBusy` is called once and this one waits for it to finish (the runner then reads the cursor
   * that run left, so it fetches only what changed since). Resolves with the function that lets go.
   */
  holdStream(
    stream: string,
    o?: { onBusy?: () => void; signal?: AbortSignal },
  ): Promise<() => Promise<void>>;
  /** The cursor saved with the last committed page of a stream (undefined: never synced). */
  readCursor(stream: string): Promise<unknown>;
  /**
   * One page's records, deletions, field families, quarantined items and cursor, in one
   * transaction. A full-refresh pass keeps the time of its first committed page across crashes;
   * that start is returned (undefined for incremental streams).
   *
   * `after` is the write of the page before, still under way: the sink may prepare this page at
   * once (the store serialises its records while the database writes the other), but writes it
   * only once `after` has succeeded, and fails with `after`'s error if it fails.
   */
  commitPage(
    stream: string,
    page: PageResult,
    fullRefresh: boolean,
    after?: Promise<unknown>,
  ): Promise<string | undefined>;
  /**
   * A stream that completed: when `sweep` is given and this run still owns the pass that started
   * at `sweep.passStart`, the records of `sweep.kinds` not seen since are deleted; then the
   * stream's kinds are marked covered — all in one transaction. Returns how many records went.
   */
  completeStream(
    stream: string,
    o: {
      kinds: RecordKind[];
      fields?: FieldCoverage;
      historyFrom: Date | null;
      /** `createdFrom`: the pass read only records created from then; older ones are kept. */
      sweep?: { kinds: RecordKind[]; passStart: string; createdFrom?: string };
    },
  ): Promise<number>;
  /** The source lacks a stream's data: what it vouched for before no longer counts. */
  uncover(stream: string, kinds: RecordKind[]): Promise<void>;
}
