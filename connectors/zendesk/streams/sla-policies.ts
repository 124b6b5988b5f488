import { SlaPolicy, type Priority, type SlaMetric } from '../../../src/domain/records.js';
import { defineStream, noCursor, SourceUnavailable } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { ZendeskApi } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { ZendeskSlaPolicy } from '../schemas.js';
import { slaMetricOf } from './map-metric-event.js';

const PRIORITIES = new Set<string>(['urgent', 'high', 'normal', 'low']);

/**
 * One SLA policy with its targets (minutes, per priority and metric) and its filter conditions
 * kept as given, so plans can be derived from them. Group SLA policies are OLAs.
 */
export function toSlaPolicy(p: ZendeskSlaPolicy, kind: 'sla' | 'ola' = 'sla'): SlaPolicy {
  const targets = (p.policy_metrics ?? []).flatMap((m) => {
    const metric: SlaMetric | undefined = slaMetricOf(m.metric, 1);
    const minutes =
      m.target ?? (m.target_in_seconds != null ? m.target_in_seconds / 60 : undefined);
    if (!metric || !PRIORITIES.has(m.priority) || !minutes || minutes <= 0) return [];
    return [
      {
        priority: m.priority as Priority,
        metric,
        targetMinutes: minutes,
        businessHours: m.business_hours ?? false,
      },
    ];
  });
  const conditions = (['all', 'any'] as const).flatMap((group) =>
    (p.filter?.[group] ?? []).map((c) => ({ group, ...c })),
  );
  return {
    sourceId: kind === 'ola' ? `group-${p.id}` : p.id,
    name: p.title,
    kind,
    targets,
    conditions,
    ...(p.created_at ? { createdAt: p.created_at } : {}),
    ...(p.updated_at ? { updatedAt: p.updated_at } : {}),
  };
}

/** Both lists are small and unpaged: each run reads them whole and commits them in one page. */
export const slaPolicies = defineStream<ZendeskConfig, never>({
  name: 'sla-policies',
  kinds: ['slaPolicies'],
  cursor: noCursor,
  fullRefresh: true,
  async sync(ctx) {
    const api = new ZendeskApi(ctx.client);
    // https://developer.zendesk.com/api-reference/ticketing/business-rules/sla_policies/#list-sla-policies
    const sla = await api.listPage(
      '/api/v2/slas/policies.json',
      'sla_policies',
      ZendeskSlaPolicy,
      undefined,
      { unpaged: true, optional: true },
    );
    // SLA policies are a plan feature (Support Professional, Suite Growth and up) and an admin's.
    if (sla.missing)
      throw new SourceUnavailable(
        `Zendesk does not give this account's SLA policies to this user (HTTP ${sla.missing}: SLAs need Support Professional or Suite Growth and up): SLA policies stay unknown`,
      );
    // Group SLA policies (OLAs between teams) exist on some plans only: 403/404 means none.
    const ola = await api.listPage(
      '/api/v2/group_slas/policies.json',
      'group_sla_policies',
      ZendeskSlaPolicy,
      undefined,
      { optional: true, unpaged: true },
    );
    const a = mapPage(
      sla,
      recordOrSkip((p) => toSlaPolicy(p)),
      { domain: SlaPolicy },
    );
    const b = mapPage(
      ola,
      recordOrSkip((p) => toSlaPolicy(p, 'ola')),
      { domain: SlaPolicy },
    );
    await ctx.commit({
      records: { slaPolicies: [...a.records, ...b.records] },
      // Group policies are quarantined under their stored id (group-…), as the sweep expects.
      quarantined: [
        ...a.quarantined,
        ...b.quarantined.map((i) => (i.sourceId ? { ...i, sourceId: `group-${i.sourceId}` } : i)),
      ],
      cursor: null,
    });
  },
});
