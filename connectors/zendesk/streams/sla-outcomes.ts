import { z } from 'zod';
import { SlaOutcome } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { invalid, type Invalid } from '../../shared/map-page.js';
import { ZendeskApi } from '../client.js';
import type { ZendeskConfig } from '../config.js';
import { exportStart, heldStart, historyDate, neededStart } from './export-start.js';
import {
  applyEvent,
  seconds,
  slaMetricOf,
  targetKey,
  TargetState,
  toSlaOutcome,
} from './map-metric-event.js';

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

/** SLA targets seen but not yet settled, by `${ticket}:${metric}:${instance}`. */
const OpenTargets = z.record(z.string(), TargetState);

export const OutcomeCursor = z.object({
  /** start_time of the next request (the previous page's end_time). */
  startTime: z.number(),
  open: OpenTargets,
  /** Epoch seconds where the events held start (0: all history); absent in older cursors. */
  from: z.number().optional(),
  /** A backfill in progress: reads events from `from` up to `until`, the start held before. */
  backfill: z
    .object({ from: z.number(), until: z.number(), startTime: z.number(), open: OpenTargets })
    .optional(),
});
export type OutcomeCursor = z.infer<typeof OutcomeCursor>;

/**
 * Folds one page of events into `open`. With `until` (a backfill), events from `until` on only
 * update targets already open (the incremental pass owns the targets applied from then on).
 */
function readPage(
  page: MetricEventPage,
  open: Record<string, TargetState>,
  until?: number,
): { records: SlaOutcome[]; bad: Invalid[] } {
  const touched = new Set<string>();
  for (const e of page.events.items) {
    if (until !== undefined && seconds(e.time) >= until) {
      const metric = slaMetricOf(e.metric, e.instance_id);
      if (!metric || !open[targetKey(e, metric)]) continue;
    }
    const key = applyEvent(open, e);
    if (key) touched.add(key);
  }
  const records: SlaOutcome[] = [];
  const bad = [...page.events.invalid];
  for (const key of touched) {
    const r = SlaOutcome.safeParse(toSlaOutcome(key, open[key]!));
    if (r.success) records.push(r.data);
    else bad.push(invalid(open[key], r.error));
  }
  return { records, bad };
}

type MetricEventPage = Awaited<ReturnType<ZendeskApi['metricEvents']>>;

/** Where the next request starts, and whether the export has nothing more. */
function advance(page: MetricEventPage, startTime: number) {
  const count = page.count ?? page.events.items.length + page.events.invalid.length;
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
export const slaOutcomes = defineStream<ZendeskConfig, OutcomeCursor>({
  name: 'sla-outcomes',
  kinds: ['slaOutcomes'],
  cursor: OutcomeCursor,
  async sync(ctx) {
    const api = new ZendeskApi(ctx.client);
    const saved = ctx.cursor;
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
});

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
