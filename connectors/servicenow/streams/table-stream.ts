import type { RecordKind, RecordOf } from '../../../src/domain/records.js';
import { defineStream, type StreamDefinition } from '../../shared/define-connector.js';
import { mapPageAsync, type Mapped } from '../../shared/map-page.js';
import type { ServiceNowConfig } from '../config.js';
import type { Fields } from '../values.js';
import { readTable, TableCursor, type TableSpec } from './read-table.js';

/** A row's source id: its sys_id. */
export const sysId = (row: Fields) => row.sys_id;

/**
 * A stream that maps each row of one table to one record of one kind: rows the mapper skips
 * (inactive, cancelled) are deleted, rows it rejects are quarantined. One commit per page. A table
 * read in `full` mode is a full-refresh stream: what a complete pass did not see is removed.
 */
export function tableStream<K extends RecordKind>(o: {
  name: string;
  kind: K;
  spec: TableSpec;
  map: (row: Fields, now: Date) => Mapped<RecordOf<K>>;
}): StreamDefinition<ServiceNowConfig, TableCursor> {
  return defineStream<ServiceNowConfig, TableCursor>({
    name: o.name,
    kinds: [o.kind],
    cursor: TableCursor,
    ...(o.spec.mode === 'full' ? { fullRefresh: true } : {}),
    async sync(ctx) {
      for await (const batch of readTable(ctx, o.spec, ctx.cursor)) {
        const now = ctx.now();
        const { records, deletes, quarantined } = await mapPageAsync(
          { items: batch.rows, invalid: batch.invalid },
          (row) => o.map(row, now),
          { id: sysId, deleteSkipped: true },
        );
        await ctx.commit({
          records: { [o.kind]: records },
          deletes: { [o.kind]: deletes },
          quarantined,
          cursor: batch.cursor,
          done: batch.last,
          warnings: batch.warnings,
        });
      }
    },
  });
}
