import { SlaOutcome, type SlaMetric } from '../../../src/domain/records.js';
import type { StreamDefinition } from '../../shared/define-connector.js';
import { invalid, ZendeskApi, type Invalid } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { ZendeskMetricEvent } from '../schemas.js';
import { exportStart } from './tickets.js';

/** A time-based export page this full may have more behind it (when end_of_stream is absent). */
const FULL_PAGE = 1000;
/** Open SLA targets remembered between pages; the oldest are dropped past this (memory bound). */
const MAX_OPEN = 50_000;

/** What we know about one SLA target on one ticket, between its events. */
export interface TargetState {
  ticket: string;
  metric: SlaMetric;
  /** Target in minutes (from apply_sla). */
  target?: number;
  /** Epoch seconds of the breach, if breached. */
  breachedAt?: number;
  /** Epoch seconds of the fulfilment, once fulfilled. */
  fulfilledAt?: number;
  measured?: number;
}

export interface OutcomeCursor {
  /** start_time of the next request (the previous page's end_time). */
  startTime: number;
  /** SLA targets seen but not yet settled, by `${ticket}:${metric}:${instance}`. */
  open: Record<string, TargetState>;
}

/**
 * Zendesk metric names ► ours. `reply_time` instance 1 is the first reply, later instances are
 * next replies; group SLA metrics (group_ownership_time) have no equivalent and are skipped.
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
    case 'pausable_update_time':
      return 'periodic_update_time';
    default:
      return undefined;
  }
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const iso = (s: number) => new Date(s * 1000).toISOString();

/**
 * Folds one metric event into the target states. Idempotent: reading an event twice (the
 * time-based export repeats the boundary second) leaves the same state. Only targets an SLA
 * applies to (an apply_sla or breach event) become outcomes.
 */
export function applyEvent(
  open: Record<string, TargetState>,
  e: ZendeskMetricEvent,
): string | undefined {
  const metric = slaMetricOf(e.metric, e.instance_id);
  if (!metric) return undefined;
  const key = `${e.ticket_id}:${metric}:${e.instance_id ?? 1}`;
  const at = seconds(e.time);
  let s = open[key];
  if (e.type === 'apply_sla') {
    s ??= open[key] = { ticket: e.ticket_id, metric };
    const target =
      e.sla?.target ??
      (e.sla?.target_in_seconds != null ? e.sla.target_in_seconds / 60 : undefined);
    if (target != null && target > 0) s.target = target;
    return key;
  }
  if (!s) return undefined; // no SLA on this metric
  switch (e.type) {
    case 'breach':
      if (e.deleted) delete s.breachedAt;
      else s.breachedAt = at;
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

export const slaOutcomes: StreamDefinition<ZendeskConfig> = {
  name: 'sla-outcomes',
  kinds: ['slaOutcomes'],
  async sync(ctx) {
    const api = new ZendeskApi(ctx.client);
    const state: OutcomeCursor = (ctx.cursor as OutcomeCursor | undefined) ?? {
      startTime: exportStart(ctx.config, ctx.now()),
      open: {},
    };
    for (;;) {
      const page = await api.metricEvents(state.startTime);
      const touched = new Set<string>();
      const bad: Invalid[] = [];
      for (const raw of page.ticket_metric_events) {
        const e = ZendeskMetricEvent.safeParse(raw);
        if (!e.success || Number.isNaN(Date.parse(e.data.time))) {
          bad.push(invalid(raw, e.success ? new Error('time is not a date') : e.error));
          continue;
        }
        const key = applyEvent(state.open, e.data);
        if (key) touched.add(key);
      }
      const records: SlaOutcome[] = [];
      for (const key of touched) {
        const r = SlaOutcome.safeParse(toSlaOutcome(key, state.open[key]!));
        if (r.success) records.push(r.data);
        else bad.push(invalid(state.open[key], r.error));
      }
      const count = page.count ?? page.ticket_metric_events.length;
      // end_of_stream is the documented end; older answers only say it with a short page.
      const finished =
        page.end_of_stream === true ||
        !page.next_page ||
        (page.end_of_stream == null && count < FULL_PAGE);
      const end = page.end_time ?? state.startTime;
      // A page that does not move time forward would be read forever: step past its second.
      const next = end > state.startTime || finished ? end : state.startTime + 1;
      prune(state.open, next);
      state.startTime = next;
      await ctx.commit({ records: { slaOutcomes: records }, quarantined: bad, cursor: state });
      if (finished) return;
    }
  },
};

/**
 * Forgets targets fulfilled before the next start time (the export will not show them again) and,
 * past the memory bound, the oldest open ones.
 */
function prune(open: Record<string, TargetState>, startTime: number): void {
  for (const [k, s] of Object.entries(open)) {
    if (s.fulfilledAt !== undefined && s.fulfilledAt < startTime) delete open[k];
  }
  const keys = Object.keys(open);
  for (let i = 0; i < keys.length - MAX_OPEN; i++) delete open[keys[i]!];
}
