import { Automation } from '../../../src/domain/records.js';
import { defineStream, noCursor, SourceUnavailable } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip, type Invalid } from '../../shared/map-page.js';
import { FreshdeskApi } from '../client.js';
import type { FreshdeskConfig } from '../config.js';
import type { FreshdeskRule } from '../schemas.js';

/**
 * The automation types the API exposes (https://developers.freshdesk.com/api/#automations): rules
 * that run on ticket creation and on ticket updates are triggers, time-based ones (hourly) are
 * automations. Scenario automations (an agent's one-click macros) and canned responses are not
 * automation rules in the API and are not counted.
 */
const TYPES = [
  { type: 1, kind: 'trigger', prefix: 'creation' },
  { type: 4, kind: 'trigger', prefix: 'update' },
  { type: 3, kind: 'automation', prefix: 'time' },
] as const;

/** Rule ids are per type, so the type prefixes the source id. */
export const toAutomation = (
  r: FreshdeskRule,
  t: { kind: 'trigger' | 'automation'; prefix: string },
): Automation => ({
  sourceId: `${t.prefix}-${r.id}`,
  kind: t.kind,
  ...(r.name ? { name: r.name } : {}),
  active: r.active !== false,
  ...(r.created_at ? { createdAt: r.created_at } : {}),
  ...(r.updated_at ? { updatedAt: r.updated_at } : {}),
});

/** Three short lists, read whole and committed once; 403/404 on all three: unknown, not zero. */
export const automations = defineStream<FreshdeskConfig, never>({
  name: 'automations',
  kinds: ['automations'],
  cursor: noCursor,
  fullRefresh: true,
  async sync(ctx) {
    const api = new FreshdeskApi(ctx.client);
    const records: Automation[] = [];
    const quarantined: Invalid[] = [];
    const missing: number[] = [];
    for (const t of TYPES) {
      const list = await api.rules(t.type);
      if (list.missing) missing.push(t.type);
      const mapped = mapPage(
        list,
        recordOrSkip((r) => toAutomation(r, t)),
        { domain: Automation },
      );
      records.push(...mapped.records);
      quarantined.push(
        ...mapped.quarantined.map((q) =>
          q.sourceId ? { ...q, sourceId: `${t.prefix}-${q.sourceId}` } : q,
        ),
      );
    }
    if (missing.length === TYPES.length)
      throw new SourceUnavailable(
        'Freshdesk does not let this API key read automation rules (HTTP 403/404): an admin key can',
      );
    await ctx.commit({
      records: { automations: records },
      quarantined,
      ...(missing.length
        ? { warnings: [`automation types ${missing.join(', ')} could not be read (HTTP 403/404)`] }
        : {}),
      cursor: null,
    });
  },
});
