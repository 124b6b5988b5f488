import { SlaPolicy, type Priority, type SlaMetric } from '../../../src/domain/records.js';
import { defineStream, noCursor, SourceUnavailable } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { FreshdeskApi } from '../client.js';
import type { FreshdeskConfig } from '../config.js';
import { FreshdeskSlaPolicy } from '../schemas.js';

const PRIORITY: Record<string, Priority> = {
  priority_1: 'low',
  priority_2: 'normal',
  priority_3: 'high',
  priority_4: 'urgent',
};
/** Freshdesk's targets (seconds) ► our metrics. */
const METRICS: [key: 'respond_within' | 'next_respond_within' | 'resolve_within', SlaMetric][] = [
  ['respond_within', 'first_reply_time'],
  ['next_respond_within', 'next_reply_time'],
  ['resolve_within', 'resolution_time'],
];

/**
 * An active SLA policy with its targets in minutes per priority (Freshdesk gives seconds) and
 * whether they count business hours, and what it applies to (`applicable_to`: companies, groups,
 * sources, ticket types, products) as conditions; the default policy applies to the rest. An
 * inactive policy is not a record (a stored one goes at the end of the pass).
 */
export function toSlaPolicy(p: FreshdeskSlaPolicy): SlaPolicy | undefined {
  if (p.active === false) return undefined;
  const targets = Object.entries(p.sla_target ?? {}).flatMap(([key, t]) => {
    const priority = PRIORITY[key];
    if (!priority) return [];
    return METRICS.flatMap(([field, metric]) => {
      const seconds = t[field];
      return typeof seconds === 'number' && seconds > 0
        ? [
            {
              priority,
              metric,
              targetMinutes: seconds / 60,
              businessHours: t.business_hours ?? false,
            },
          ]
        : [];
    });
  });
  const conditions = Object.entries(p.applicable_to ?? {})
    .filter(([, v]) => Array.isArray(v) && v.length > 0)
    .map(([field, value]) => ({ field, value }));
  return {
    sourceId: p.id,
    name: p.name,
    kind: 'sla',
    targets,
    conditions: p.is_default ? [{ field: 'is_default', value: true }, ...conditions] : conditions,
    ...(p.created_at ? { createdAt: p.created_at } : {}),
    ...(p.updated_at ? { updatedAt: p.updated_at } : {}),
  };
}

// https://developers.freshdesk.com/api/#sla-policies: a short list, read whole and committed once.
export const slaPolicies = defineStream<FreshdeskConfig, never>({
  name: 'sla-policies',
  kinds: ['slaPolicies'],
  cursor: noCursor,
  fullRefresh: true,
  async sync(ctx) {
    const list = await new FreshdeskApi(ctx.client).all(
      '/api/v2/sla_policies',
      FreshdeskSlaPolicy,
      {
        optional: true,
      },
    );
    if (list.missing)
      throw new SourceUnavailable(
        'Freshdesk does not let this API key read the SLA policies (HTTP 403/404)',
      );
    const { records, quarantined } = mapPage(list, recordOrSkip(toSlaPolicy), {
      domain: SlaPolicy,
    });
    await ctx.commit({ records: { slaPolicies: records }, quarantined, cursor: null });
  },
});
