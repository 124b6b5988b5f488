import { z } from 'zod';
import { defineStream, SourceUnavailable, type PageResult } from '../../shared/define-connector.js';
import { mapPageAsync } from '../../shared/map-page.js';
import { fetchTablePage, parseScanned } from '../client.js';
import { incidentColumns } from '../incident-columns.js';
import type { ScannedPage } from '../scan-page.js';
import type { ServiceNowConfig } from '../config.js';
import { incidentFamilies, incidentFields, incidentToTicket } from '../map-incident.js';
import type { Fields } from '../values.js';
import { readTable, TableCursor, type TableReader, type TableSpec } from './read-table.js';
import { sysId } from './table-stream.js';

const spec: TableSpec = {
  table: 'incident',
  fields: incidentFields,
  required: ['sys_id', 'opened_at', 'sys_updated_on'],
  mode: 'incremental',
  scan: true,
};

export const IncidentCursor = z.object({
  table: TableCursor.optional(),
  /** sys_created_on of the newest m2m_kb_task link seen by the last complete run. */
  linksUntil: z.string().optional(),
});
export type IncidentCursor = z.infer<typeof IncidentCursor>;

interface KbLinks {
  tasks: Set<string>;
  newest?: string;
  /** Incidents linked at or after a given instant. */
  since(ts: string): string[];
}

/**
 * incident → tickets. An incident counts as knowledge-linked when its `knowledge` flag is set or
 * m2m_kb_task links it to an article. Links are read first (one full pass over m2m_kb_task by
 * sys_id, fields task and sys_created_on); an incident linked since the last run but not updated
 * is read again so its record says so. Without read access to m2m_kb_task (or when ACLs hide all
 * its rows) only the flag is used (a warning).
 */
export const incident = defineStream<ServiceNowConfig, IncidentCursor>({
  name: 'incident',
  kinds: ['tickets'],
  cursor: IncidentCursor,
  // The families of the fields asked for (never tags, first response or replies), as the CSV
  // import does from its header. A field the instance drops is a warning on the sync output.
  fields: () => ({ tickets: incidentFamilies(incidentFields) }),
  async sync(ctx) {
    const saved = ctx.cursor ?? {};
    const warnings: string[] = [];
    const links = await loadKbLinks(ctx, warnings);
    const recheck =
      links && saved.linksUntil && saved.table?.complete
        ? new Set(links.since(saved.linksUntil))
        : undefined;
    const finalLinks = links?.newest ?? saved.linksUntil;
    const keep = saved.linksUntil ? { linksUntil: saved.linksUntil } : {};
    let cursor: IncidentCursor = { ...saved };
    for await (const batch of readTable(ctx, spec, saved.table)) {
      const { ids, ...page } = await mapRows(batch, links);
      if (recheck) for (const id of ids) recheck.delete(id);
      const end = batch.last && !recheck?.size;
      cursor = {
        table: batch.cursor,
        ...(end ? (finalLinks ? { linksUntil: finalLinks } : {}) : keep),
      };
      await ctx.commit({
        ...page,
        cursor,
        done: end,
        warnings: [...warnings.splice(0), ...batch.warnings],
      });
    }
    // Incidents linked to an article since the last run, not otherwise updated: read them again.
    const ids = [...(recheck ?? [])];
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      const res = await fetchTablePage(ctx.client, {
        table: 'incident',
        fields: incidentFields,
        query: `sys_idIN${chunk.join(',')}`,
        limit: chunk.length,
        offset: 0,
      });
      if (res.kind !== 'page') break;
      const last = i + 100 >= ids.length;
      const { ids: _, ...page } = await mapRows(res, links);
      await ctx.commit({
        ...page,
        cursor: last && finalLinks ? { ...cursor, linksUntil: finalLinks } : cursor,
        done: last,
      });
    }
  },
});

/**
 * A page's incidents → tickets, with the source ids of those stored. A scanned page is mapped as
 * columns (incident-columns.ts) when every row is plain, else parsed and mapped row by row.
 */
async function mapRows(
  page: { rows: Fields[]; invalid: PageResult['quarantined']; scanned?: ScannedPage },
  links: KbLinks | undefined,
): Promise<Pick<PageResult, 'records' | 'columns' | 'quarantined'> & { ids: string[] }> {
  const kbLinked = links ? (id: string) => links.tasks.has(id) : undefined;
  let rows = page.rows;
  let invalid = page.invalid;
  if (page.scanned) {
    const mapped = incidentColumns(page.scanned, kbLinked);
    if (mapped) return { columns: { tickets: mapped.tickets }, ids: mapped.ids };
    ({ rows, invalid } = parseScanned(page.scanned, 'incident'));
  }
  const { records, quarantined } = await mapPageAsync(
    { items: rows, ...(invalid ? { invalid } : {}) },
    (row) => incidentToTicket(row, { kbLinked: row.sys_id ? kbLinked?.(row.sys_id) : false }),
    { id: sysId },
  );
  return { records: { tickets: records }, quarantined, ids: records.map((t) => t.sourceId) };
}

async function loadKbLinks(ctx: TableReader, warnings: string[]): Promise<KbLinks | undefined> {
  const created = new Map<string, string>();
  try {
    for await (const batch of readTable(
      ctx,
      { table: 'm2m_kb_task', fields: ['task', 'sys_created_on'], required: [], mode: 'full' },
      undefined,
    )) {
      warnings.push(...batch.warnings);
      for (const r of batch.rows) {
        if (!r.task) continue;
        const at = r.sys_created_on ?? '';
        const prev = created.get(r.task);
        if (prev === undefined || at > prev) created.set(r.task, at);
      }
    }
  } catch (err) {
    if (!(err instanceof SourceUnavailable)) throw err;
    warnings.push(
      `${err.message}: knowledge-linked incidents are those with the knowledge flag only`,
    );
    return undefined;
  }
  let newest: string | undefined;
  for (const at of created.values()) if (at && (!newest || at > newest)) newest = at;
  return {
    tasks: new Set(created.keys()),
    ...(newest ? { newest } : {}),
    since: (ts) => [...created].filter(([, at]) => at >= ts).map(([task]) => task),
  };
}
