import { z } from 'zod';
import { SlaPolicy, type Priority, type SlaMetric } from '../../../src/domain/records.js';
import { defineStream, noCursor } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip, type Invalid } from '../../shared/map-page.js';
import { JsmApi } from '../client.js';
import type { JsmConfig } from '../config.js';
import type { FieldIds, JiraIssue, ServiceDesk, SlaValue } from '../schemas.js';
import { jqlString } from './jql.js';
import { SLA_FIELDS, priorityOf } from './map-issue.js';
import { readSite } from './site.js';

/** Pages of each project's most recently updated issues read to find its goals. */
export const SAMPLE_PAGES = 5;

/** Goal counts per priority and metric: `{ "urgent|first_reply_time": { "60": 12 } }`. */
export const GoalCounts = z.record(z.string(), z.record(z.string(), z.number().int().min(0)));
export type GoalCounts = z.infer<typeof GoalCounts>;

/**
 * Counts the goals an issue shows: every cycle (completed or ongoing) of each SLA field carries
 * its `goalDuration`, the target the SLA's goal for this issue set. A goal whose ongoing cycle runs
 * within calendar hours (`withinCalendarHours`) is counted as a business-hours target (`b` suffix).
 */
export function countGoals(counts: GoalCounts, issue: JiraIssue, ids: FieldIds): void {
  const f = issue.fields as Record<string, unknown> & { priority?: { name: string } | null };
  const priority = priorityOf(f.priority?.name);
  if (!priority) return;
  for (const [key, metric] of SLA_FIELDS) {
    const v = ids[key] ? (f[ids[key]!] as SlaValue | null | undefined) : undefined;
    if (!v) continue;
    const cycles = [...(v.completedCycles ?? []), ...(v.ongoingCycle ? [v.ongoingCycle] : [])];
    for (const c of cycles) {
      const ms = c.goalDuration?.millis;
      if (ms === undefined || ms <= 0) continue;
      const goal = `${ms / 60_000}${c.withinCalendarHours ? 'b' : ''}`;
      const bucket = (counts[`${priority}|${metric}`] ??= {});
      bucket[goal] = (bucket[goal] ?? 0) + 1;
    }
  }
}

/**
 * A service project's SLA policy, derived from the goals its issues show. JSM exposes an SLA's
 * goals only on the issues it applies to (`goalDuration`), not as configuration, so each priority's
 * target for a metric is the goal most of its sampled issues carry (the shorter one on a tie);
 * business hours when that goal runs within a calendar. A project whose issues show no goal has no
 * policy.
 */
export function toSlaPolicy(desk: ServiceDesk, counts: GoalCounts): SlaPolicy | undefined {
  const targets = Object.entries(counts).flatMap(([key, goals]) => {
    const [priority, metric] = key.split('|') as [Priority, SlaMetric];
    const best = Object.entries(goals).sort(
      (a, b) => b[1] - a[1] || parseFloat(a[0]) - parseFloat(b[0]),
    )[0];
    if (!best) return [];
    return [
      {
        priority,
        metric,
        targetMinutes: parseFloat(best[0]),
        businessHours: best[0].endsWith('b'),
      },
    ];
  });
  if (!targets.length) return undefined;
  const order: Priority[] = ['urgent', 'high', 'normal', 'low'];
  targets.sort(
    (a, b) =>
      order.indexOf(a.priority) - order.indexOf(b.priority) || a.metric.localeCompare(b.metric),
  );
  return {
    sourceId: `sla:${desk.projectKey}`,
    name: `${desk.projectName ?? desk.projectKey} SLAs`,
    kind: 'sla',
    targets,
    conditions: [{ field: 'project', value: desk.projectKey }],
  };
}

/**
 * SLA policies, one per service project: the goals shown by its most recently updated issues
 * (`project = KEY ORDER BY updated DESC`, up to SAMPLE_PAGES pages of the SLA fields and the
 * priority). A short read, committed once; policies of projects gone are swept.
 */
export const slaPolicies = defineStream<JsmConfig, never>({
  name: 'sla-policies',
  kinds: ['slaPolicies'],
  cursor: noCursor,
  fullRefresh: true,
  async sync(ctx) {
    const api = new JsmApi(ctx.client);
    const site = await readSite(api, ctx.config);
    const { ids } = site;
    const fields = [
      'updated',
      'priority',
      ...[ids.firstResponse, ids.resolution].filter((x): x is string => !!x),
    ];
    const policies: SlaPolicy[] = [];
    const unread: Invalid[] = [];
    if (ids.firstResponse || ids.resolution)
      for (const desk of site.desks) {
        const counts: GoalCounts = {};
        let token: string | undefined;
        for (let page = 0; page < SAMPLE_PAGES; page++) {
          const res = await api.search({
            jql: `project = ${jqlString(desk.projectKey)} ORDER BY updated DESC`,
            fields,
            ids,
            maxResults: ctx.config.pageSize,
            ...(token ? { token } : {}),
          });
          for (const i of res.issues)
            if ('issue' in i) countGoals(counts, i.issue, ids);
            else unread.push(i.invalid);
          token = res.next;
          if (!token) break;
        }
        const p = toSlaPolicy(desk, counts);
        if (p) policies.push(p);
      }
    const { records, quarantined } = mapPage(
      { items: policies },
      recordOrSkip((p) => p),
      {
        domain: SlaPolicy,
        id: (p) => p.sourceId,
      },
    );
    await ctx.commit({
      records: { slaPolicies: records },
      quarantined: [...unread, ...quarantined],
      cursor: null,
    });
  },
});
