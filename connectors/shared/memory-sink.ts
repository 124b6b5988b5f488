import type { RecordKind } from '../../src/domain/records.js';
import { pageRecords } from './define-connector.js';
import type { Invalid } from './map-page.js';
import type { SyncSink } from './sync-sink.js';

/** What a memory sink holds, for assertions. */
export interface MemorySinkState {
  /** Records by kind and source id. */
  records: Partial<Record<RecordKind, Map<string, unknown>>>;
  cursors: Map<string, unknown>;
  quarantined: (Invalid & { stream: string })[];
  covered: Set<RecordKind>;
}

/**
 * A SyncSink that keeps everything in memory, with the store's semantics (upsert by source id,
 * the pass start of a full-refresh stream kept until it completes, the sweep at its end): lets a
 * connector's tests run its streams through runSync without a database.
 */
export function memorySink(): SyncSink & { state: MemorySinkState } {
  const state: MemorySinkState = {
    records: {},
    cursors: new Map(),
    quarantined: [],
    covered: new Set(),
  };
  let clock = 0;
  /** When each record was last stored, and each full pass started. */
  const storedAt = new Map<string, number>();
  const passes = new Map<string, number>();
  const kindOf = (k: RecordKind) => (state.records[k] ??= new Map());
  const holding = new Map<string, Promise<void>>();
  return {
    state,
    async holdStream(stream, o) {
      for (let held = holding.get(stream), told = false; held; held = holding.get(stream)) {
        if (!told) o?.onBusy?.();
        told = true;
        await held;
      }
      let letGo!: () => void;
      const mine = new Promise<void>((r) => (letGo = r));
      holding.set(stream, mine);
      return async () => {
        if (holding.get(stream) === mine) holding.delete(stream);
        letGo();
      };
    },
    async readCursor(stream) {
      return state.cursors.get(stream);
    },
    async commitPage(stream, page, fullRefresh, after) {
      await after;
      const now = ++clock;
      if (fullRefresh && !passes.has(stream)) passes.set(stream, now);
      for (const [kind, list] of Object.entries(pageRecords(page)) as [RecordKind, unknown[]][])
        for (const r of list) {
          const id = (r as { sourceId: string }).sourceId;
          kindOf(kind).set(id, r);
          storedAt.set(`${kind}:${id}`, now);
        }
      for (const [kind, ids] of Object.entries(page.deletes ?? {}) as [RecordKind, string[]][])
        for (const id of ids) kindOf(kind).delete(id);
      for (const q of page.quarantined ?? []) {
        state.quarantined.push({ ...q, stream });
        // A record quarantined during the pass keeps its last valid version (as the store does).
        if (q.sourceId)
          for (const k of Object.keys(state.records)) storedAt.set(`${k}:${q.sourceId}`, now);
      }
      state.cursors.set(stream, page.cursor);
      return fullRefresh ? String(passes.get(stream)) : undefined;
    },
    async completeStream(stream, o) {
      let removed = 0;
      const start = passes.get(stream);
      if (o.sweep && start !== undefined && String(start) === o.sweep.passStart) {
        for (const kind of o.sweep.kinds)
          for (const id of [...kindOf(kind).keys()])
            if (
              (storedAt.get(`${kind}:${id}`) ?? 0) < start &&
              !olderThan(kindOf(kind).get(id), o.sweep.createdFrom)
            ) {
              kindOf(kind).delete(id);
              removed++;
            }
      }
      passes.delete(stream);
      for (const k of o.kinds) state.covered.add(k);
      return removed;
    },
    async uncover(_stream, kinds) {
      for (const k of kinds) state.covered.delete(k);
    },
  };
}

/** A record created before `from` (a pass that read from `from` never asked for it). */
function olderThan(record: unknown, from: string | undefined): boolean {
  if (from === undefined) return false;
  const created = (record as { createdAt?: unknown } | undefined)?.createdAt;
  return typeof created === 'string' && Date.parse(created) < Date.parse(from);
}
