import type { RecordKind, RecordOf } from '../../../src/domain/records.js';
import type { PageResult, StreamDefinition } from '../../shared/define-connector.js';
import type { RowResult } from '../map-records.js';
import type { ServiceNowConfig } from '../schemas.js';
import type { Fields } from '../values.js';
import { readTable, type TableSpec } from './read-table.js';

/**
 * A stream that maps each row of one table to one record of one kind: rows the mapper skips
 * (inactive, cancelled) are deleted, rows it rejects are quarantined. One commit per page. A table
 * read in `full` mode is a full-refresh stream: what a complete pass did not see is removed.
 */
export function tableStream<K extends RecordKind>(o: {
  name: string;
  kind: K;
  spec: TableSpec;
  map: (row: Fields, now: Date) => RowResult<RecordOf<K>>;
}): StreamDefinition<ServiceNowConfig> {
  return {
    name: o.name,
    kinds: [o.kind],
    ...(o.spec.mode === 'full' ? { fullRefresh: true } : {}),
    async sync(ctx) {
      for await (const batch of readTable(ctx, o.spec, ctx.cursor)) {
        const { records, deletes, quarantined } = sortRows(batch.rows, (row) =>
          o.map(row, ctx.now()),
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
  };
}

/**
 * One page of rows through a mapper: records to store, rows the mapper skips (deleted at our end,
 * as they may have been stored before) and rows it rejects (quarantined with their payload).
 */
export function sortRows<T>(
  rows: Fields[],
  map: (row: Fields) => RowResult<T>,
  onSkip?: (row: Fields) => void,
) {
  const records: T[] = [];
  const deletes: string[] = [];
  const quarantined: NonNullable<PageResult['quarantined']> = [];
  for (const row of rows) {
    const r = map(row);
    if (r.ok === 'skip') {
      onSkip?.(row);
      if (row.sys_id) deletes.push(row.sys_id);
    } else if (r.ok) records.push(r.record);
    else
      quarantined.push({
        ...(row.sys_id ? { sourceId: row.sys_id } : {}),
        error: r.error,
        payload: row,
      });
  }
  return { records, deletes, quarantined };
}
