import type { SyncSink } from '../../connectors/shared/sync-sink.js';
import type { RecordKind } from '../domain/records.js';
import { isUniqueViolation, prepareColumnsUpsert, prepareUpsert } from './records.js';
import type { Store } from './store.js';

/** The store side of a sync, for one account: each page and each completed stream in one transaction. */
export function storeSyncSink(store: Store, accountId: number): SyncSink {
  /**
   * Per kind, whether this run may still write pages by insertion alone: the account held no
   * record of it when the run first wrote it (a first sync), and no page since met a stored one.
   */
  const fresh = new Map<RecordKind, boolean>();
  const isFresh = async (tx: Store, kind: RecordKind) => {
    let f = fresh.get(kind);
    if (f === undefined) fresh.set(kind, (f = !(await tx.hasRecords(accountId, kind))));
    return f;
  };

  return {
    holdStream: (stream, o) => store.holdSyncStream(accountId, stream, o),

    readCursor: (stream) => store.readCursor(accountId, stream),

    async commitPage(stream, page, fullRefresh, after) {
      // Serialised now, while the page before is written; stored once it is.
      const upserts = Object.entries(page.records ?? {})
        .filter(([, list]) => list?.length)
        .map(([kind, list]) => prepareUpsert(kind as RecordKind, accountId, list as never));
      if (page.columns?.tickets?.count)
        upserts.push(prepareColumnsUpsert(accountId, page.columns.tickets));
      await after;
      const write = () =>
        store.transaction(async (tx) => {
          for (const prepared of upserts)
            await tx.upsertPrepared(prepared, { insertOnly: await isFresh(tx, prepared.kind) });
          for (const [kind, ids] of Object.entries(page.deletes ?? {})) {
            if (ids?.length) await tx.remove(accountId, kind as RecordKind, ids);
          }
          for (const [kind, fields] of Object.entries(page.fields ?? {})) {
            if (fields?.length) await tx.addFields(accountId, kind as RecordKind, fields, stream);
          }
          for (const q of page.quarantined ?? []) await tx.quarantine(accountId, stream, q);
          return tx.saveCursor(accountId, stream, page.cursor, fullRefresh);
        });
      try {
        return await write();
      } catch (err) {
        // A record of a first sync was stored after all (read twice as it changed meanwhile, or
        // written by another command): this page and the rest of the run upsert.
        if (!isUniqueViolation(err) || !upserts.some((p) => fresh.get(p.kind))) throw err;
        for (const p of upserts) fresh.set(p.kind, false);
        return write();
      }
    },

    completeStream(stream, o) {
      const covered = { ...(o.fields ? { fields: o.fields } : {}), historyFrom: o.historyFrom };
      return store.transaction(async (tx) => {
        let removed = 0;
        // Only the run that still owns the pass sweeps.
        if (o.sweep && (await tx.endPass(accountId, stream, o.sweep.passStart)))
          for (const kind of o.sweep.kinds)
            removed += await tx.sweep(
              accountId,
              kind,
              o.sweep.passStart,
              stream,
              o.sweep.createdFrom,
            );
        await tx.markCovered(accountId, o.kinds, stream, covered);
        return removed;
      });
    },

    uncover: (stream, kinds) => store.uncover(accountId, kinds, stream),
  };
}
