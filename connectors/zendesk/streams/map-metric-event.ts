import { z } from 'zod';
import { SlaMetric, type SlaOutcome } from '../../../src/domain/records.js';
import type { ZendeskMetricEvent } from '../schemas.js';

/** What we know about one SLA target on one ticket, between its events. */
export const TargetState = z.object({
  ticket: z.string(),
  metric: SlaMetric,
  /** Target in minutes (from apply_sla). */
  target: z.number().optional(),
  /** Epoch seconds of the breach, if breached. */
  breachedAt: z.number().optional(),
  /** Epoch seconds of the fulfilment, once fulfilled. */
  fulfilledAt: z.number().optional(),
  measured: z.number().optional(),
});
export type TargetState = z.infer<typeof TargetState>;

/**
 * Zendesk metric names ► ours. `reply_time` instance 1 is the first reply, later instances are
 * next replies; `total_resolution_time` (the SLA policies' name for the time to the final solve)
 * is the resolution time; the pausable update is an update target as the periodic one is (kept
 * apart by targetKey); group SLA metrics (group_ownership_time) have no equivalent and are
 * skipped.
 */
export function slaMetricOf(
  metric: string,
  instance: number | null | undefined,
): SlaMetric | undefined {
  switch (metric) {
    case 'reply_time':
      return (instance ?? 1) <= 1 ? 'first_reply_time' : 'next_reply_time';
    case 'first_reply_time':
    case 'next_reply_time':
    case 'requester_wait_time':
    case 'agent_work_time':
    case 'periodic_update_time':
    case 'resolution_time':
      return metric;
    case 'total_resolution_time':
      return 'resolution_time';
    case 'pausable_update_time':
      return 'periodic_update_time';
    default:
      return undefined;
  }
}

/**
 * One target of one ticket. The pausable and the periodic update targets both read as
 * periodic_update_time but are two targets of a ticket: the pausable one keeps its own name.
 */
export const targetKey = (e: ZendeskMetricEvent, metric: SlaMetric) =>
  `${e.ticket_id}:${e.metric === 'pausable_update_time' ? e.metric : metric}:${e.instance_id ?? 1}`;
export const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const iso = (s: number) => new Date(s * 1000).toISOString();

/**
 * Folds one metric event into the target states. Idempotent: reading an event twice (the
 * time-based export repeats the boundary second) leaves the same state. Only targets an SLA
 * applies to (an apply_sla or breach event) become outcomes.
 *
 * A deleted event never happened (Zendesk: ignore any event whose `deleted` is true): a breach
 * scheduled at the deadline of a target that was met, or replaced by another target, is marked
 * deleted, and it says nothing about a breach the ticket did have. An apply_sla without `sla`
 * takes the target away.
 */
export function applyEvent(
  open: Record<string, TargetState>,
  e: ZendeskMetricEvent,
): string | undefined {
  if (e.deleted) return undefined;
  const metric = slaMetricOf(e.metric, e.instance_id);
  if (!metric) return undefined;
  const key = targetKey(e, metric);
  const at = seconds(e.time);
  let s = open[key];
  if (e.type === 'apply_sla') {
    s ??= open[key] = { ticket: e.ticket_id, metric };
    const target =
      e.sla?.target ??
      (e.sla?.target_in_seconds != null ? e.sla.target_in_seconds / 60 : undefined);
    if (target != null && target > 0) s.target = target;
    else if (!e.sla) delete s.target;
    return key;
  }
  if (!s) return undefined; // no SLA on this metric
  switch (e.type) {
    case 'breach':
      s.breachedAt = at;
      return key;
    case 'fulfill':
      s.fulfilledAt = at;
      return key;
    case 'update_status':
      if (typeof e.status?.calendar === 'number') s.measured = e.status.calendar;
      return key;
    default:
      return undefined;
  }
}

/** The outcome record of one target state. */
export function toSlaOutcome(key: string, s: TargetState): SlaOutcome {
  const status =
    s.breachedAt !== undefined ? 'breached' : s.fulfilledAt !== undefined ? 'met' : 'active';
  const completed = s.fulfilledAt ?? s.breachedAt;
  return {
    sourceId: key,
    ticketId: s.ticket,
    metric: s.metric,
    ...(s.target ? { targetMinutes: s.target } : {}),
    status,
    ...(s.measured !== undefined ? { measuredMinutes: s.measured } : {}),
    ...(status !== 'active' && completed !== undefined ? { completedAt: iso(completed) } : {}),
  };
}
