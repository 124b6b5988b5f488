import type { SyncSink } from '../../connectors/shared/sync-sink.js';
import type { RecordKind } from '../domain/records.js';
import type { Store } from './store.js';

/** The store side of a sync: every SQL statement the sync runner needs, for one account. */
export function storeSyncSink(store: Store, accountId: number): SyncSink {
  const db = store.db;
  return {
    async readCursor(stream) {
      const [row] = await db.query<{ cursor: unknown }>(
        'SELECT cursor FROM sync_state WHERE account_id = $1 AND stream = $2',
        [accountId, stream],
      );
      return row?.cursor ?? undefined;
    },

    commitPage(stream, page, fullRefresh) {
      return db.transaction(async (tx) => {
        for (const [kind, list] of Object.entries(page.records ?? {})) {
          if (list?.length) await store.upsert(accountId, kind as RecordKind, list as never, tx);
        }
        for (const [kind, ids] of Object.entries(page.deletes ?? {})) {
          if (ids?.length) await store.remove(accountId, kind as RecordKind, ids, tx);
        }
        for (const [kind, fields] of Object.entries(page.fields ?? {})) {
          if (fields?.length)
            await store.addFields(accountId, kind as RecordKind, fields, stream, tx);
        }
        for (const q of page.quarantined ?? []) {
          await tx.query(
            'INSERT INTO quarantine (account_id, stream, source_id, error, payload) VALUES ($1, $2, $3, $4, $5::jsonb)',
            [
              accountId,
              stream,
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
          [accountId, stream, JSON.stringify(page.cursor ?? null), fullRefresh],
        );
        return state?.started ?? undefined;
      });
    },

    completeStream(stream, o) {
      const covered = { ...(o.fields ? { fields: o.fields } : {}), historyFrom: o.historyFrom };
      return db.transaction(async (tx) => {
        let removed = 0;
        if (o.sweep) {
          // Only the run that still owns the pass sweeps.
          const owned = await tx.query(
            `UPDATE sync_state SET run_started_at = NULL
              WHERE account_id = $1 AND stream = $2 AND run_started_at = $3::timestamptz
              RETURNING 1`,
            [accountId, stream, o.sweep.passStart],
          );
          if (owned.length)
            for (const kind of o.sweep.kinds)
              removed += await store.sweep(accountId, kind, o.sweep.passStart, stream, tx);
        }
        await store.markCovered(accountId, o.kinds, stream, tx, covered);
        return removed;
      });
    },

    uncover: (stream, kinds) => store.uncover(accountId, kinds, stream),
  };
}
