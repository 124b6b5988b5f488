import { SlaOutcome, type SlaMetric } from '../../../src/domain/records.js';
import type { StreamDefinition } from '../../shared/define-connector.js';
import { invalid, ZendeskApi, type Invalid } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { ZendeskMetricEvent, type ZendeskMetricEventPage } from '../schemas.js';
import { exportStart, heldStart, historyDate, neededStart } from './export-start.js';

/** A time-based export page this full may have more behind it (when end_of_stream is absent). */
const FULL_PAGE = 1000;
/** Open SLA targets remembered between pages; the oldest are dropped past this (memory bound). */
const MAX_OPEN = 50_000;
/**
 * How far past the start held a backfill reads on to settle the targets it opened: a target
 * applied before that start and fulfilled after it has its fulfilment in the held period, which
 * the incremental pass read without knowing the target. Targets still open then are handed over.
 */
const SETTLE_SECONDS = 14 * 86_400;

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
  /** Epoch seconds where the events held start (0: all history); absent in older cursors. */
  from?: number;
  /** A backfill in progress: reads events from `from` up to `until`, the start held before. */
  backfill?: { from: number; until: number; startTime: number; open: Record<string, TargetState> };
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

const targetKey = (e: ZendeskMetricEvent, metric: SlaMetric) =>
  `${e.ticket_id}:${metric}:${e.instance_id ?? 1}`;
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
  const key = targetKey(e, metric);
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

/**
 * Folds one page of events into `open`. With `until` (a backfill), events from `until` on only
 * update targets already open (the incremental pass owns the targets applied from then on).
 */
function readPage(
  page: ZendeskMetricEventPage,
  open: Record<string, TargetState>,
  until?: number,
): { records: SlaOutcome[]; bad: Invalid[] } {
  const touched = new Set<string>();
  const bad: Invalid[] = [];
  for (const raw of page.ticket_metric_events) {
    const e = ZendeskMetricEvent.safeParse(raw);
    if (!e.success || Number.isNaN(Date.parse(e.data.time))) {
      bad.push(invalid(raw, e.success ? new Error('time is not a date') : e.error));
      continue;
    }
    if (until !== undefined && seconds(e.data.time) >= until) {
      const metric = slaMetricOf(e.data.metric, e.data.instance_id);
      if (!metric || !open[targetKey(e.data, metric)]) continue;
    }
    const key = applyEvent(open, e.data);
    if (key) touched.add(key);
  }
  const records: SlaOutcome[] = [];
  for (const key of touched) {
    const r = SlaOutcome.safeParse(toSlaOutcome(key, open[key]!));
    if (r.success) records.push(r.data);
    else bad.push(invalid(open[key], r.error));
  }
  return { records, bad };
}

/** Where the next request starts, and whether the export has nothing more. */
function advance(page: ZendeskMetricEventPage, startTime: number) {
  const count = page.count ?? page.ticket_metric_events.length;
  // end_of_stream is the documented end; older answers only say it with a short page.
  const finished =
    page.end_of_stream === true ||
    !page.next_page ||
    (page.end_of_stream == null && count < FULL_PAGE);
  const end = page.end_time ?? startTime;
  // A page that does not move time forward would be read forever: step past its second.
  return { finished, next: end > startTime || finished ? end : startTime + 1 };
}

/**
 * The incremental pass reads from the saved start_time to end_of_stream. When the caller needs
 * history from before the start held, a backfill reads from the needed start with its own state
 * in the cursor (a killed one resumes; the incremental position is never disturbed). It stops
 * at the start held, once the targets it opened are settled (at most SETTLE_SECONDS further and
 * never past the incremental position); targets still open go to the incremental pass.
 */
export const slaOutcomes: StreamDefinition<ZendeskConfig> = {
  name: 'sla-outcomes',
  kinds: ['slaOutcomes'],
  async sync(ctx) {
    const api = new ZendeskApi(ctx.client);
    const saved = ctx.cursor as OutcomeCursor | undefined;
    const needed = neededStart(ctx.historyFrom);
    const now = ctx.now();
    const first = exportStart(ctx.config, now, needed);
    const state: OutcomeCursor = saved
      ? { ...saved, from: heldStart(saved.from, ctx.config, now) }
      : { startTime: first, open: {}, from: first };
    for (;;) {
      const page = await api.metricEvents(state.startTime);
      const { records, bad } = readPage(page, state.open);
      const { finished, next } = advance(page, state.startTime);
      prune(state.open, next);
      state.startTime = next;
      await ctx.commit({ records: { slaOutcomes: records }, quarantined: bad, cursor: state });
      if (finished) break;
    }
    while (state.backfill || (needed !== undefined && needed < state.from!)) {
      const bf = (state.backfill ??= {
        from: needed!,
        until: state.from!,
        startTime: needed!,
        open: {},
      });
      const page = await api.metricEvents(bf.startTime);
      const { records, bad } = readPage(page, bf.open, bf.until);
      const { finished, next } = advance(page, bf.startTime);
      prune(bf.open, next);
      bf.startTime = next;
      const done =
        finished ||
        (next >= bf.until &&
          (Object.values(bf.open).every((t) => t.fulfilledAt !== undefined) ||
            next >= bf.until + SETTLE_SECONDS ||
            next >= state.startTime));
      if (done) {
        for (const [key, target] of Object.entries(bf.open)) state.open[key] ??= target;
        prune(state.open, state.startTime);
        state.from = bf.from;
        delete state.backfill;
      }
      await ctx.commit({ records: { slaOutcomes: records }, quarantined: bad, cursor: state });
    }
    return { historyFrom: historyDate(state.from!) };
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
