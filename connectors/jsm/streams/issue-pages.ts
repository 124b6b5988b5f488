import { z } from 'zod';
import type { PageResult, StreamContext } from '../../shared/define-connector.js';
import { MaturityError } from '../../../src/errors.js';
import type { JsmApi, ListedIssue } from '../client.js';
import type { JsmConfig } from '../config.js';
import { EPOCH, firstStart, historyDate, isoMinute, minuteOf, needsEarlier } from './history.js';
import { jqlDate, projectClause } from './jql.js';
import type { Site } from './site.js';

/** Where a read of a search stands: the minute it asks from (ISO), and the page token. */
export const Position = z.object({
  since: z.iso.datetime(),
  token: z.string().min(1).max(10_000).optional(),
});
export type Position = z.infer<typeof Position>;

export const ByUpdatedCursor = Position.extend({
  /** Where the issues held start (ISO; null: all history). */
  from: z.iso.datetime().nullable(),
  /** The service projects the position is for: another set starts again from `from`. */
  projects: z.array(z.string()).max(10_000),
  /** A backfill in progress: reads from an earlier start up to `until`, the start held before. */
  backfill: Position.extend({
    from: z.iso.datetime().nullable(),
    until: z.iso.datetime(),
  }).optional(),
});
export type ByUpdatedCursor = z.infer<typeof ByUpdatedCursor>;

/**
 * Where the next request goes after a page, or `done` when the search is read to its end.
 *
 * The search is ordered by `updated` over issues that keep changing: an issue updated during the
 * read moves to the end, and a page token handed out before it moved may skip or repeat one. So
 * once a page ends in a later minute than the one it was asked from, the read starts a new search
 * from that minute (JQL compares `updated` to the minute, and `>=` includes it): the issues of that
 * minute are read again and upserted, none is lost. Only while every issue of a page shares the
 * minute asked from does it follow `nextPageToken` through the same search. The next sync starts
 * LOOKBACK_MS before the minute of the last issue read.
 */
export function advance(
  at: Position,
  next: string | undefined,
  last: number | undefined,
): { done: boolean; position: Position } {
  const since = Date.parse(at.since);
  const moved = last !== undefined && minuteOf(last) > since;
  if (next === undefined)
    return { done: true, position: { since: moved ? isoMinute(last!) : at.since } };
  if (moved) return { done: false, position: { since: isoMinute(last!) } };
  return { done: false, position: { since: at.since, token: next } };
}

/**
 * How far before the saved minute a later sync starts reading. Jira's issue search is eventually
 * consistent (Atlassian: an update may take seconds to minutes to reach the search index): an
 * issue updated at 10:01 may not be found yet when one updated at 10:03 is, and a next sync
 * starting at 10:03 would never read it. Issues are upserted by id, so the ones read again in
 * this span are stored once.
 */
export const LOOKBACK_MS = 15 * 60_000;

/** The minute a sync resuming from `since` starts at: LOOKBACK_MS earlier, not before `from`. */
export function lookBack(since: string, from: string | null): string {
  const start = Date.parse(since) - LOOKBACK_MS;
  return isoMinute(from === null ? start : Math.max(start, Date.parse(from)));
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * Reads the issues of the service projects by `updated`, ascending, with
 * GET /rest/api/3/search/jql and `project in (…) AND updated >= "…" ORDER BY updated ASC`, and
 * commits each page with its position (`page` makes the records). First the incremental read from
 * the saved position to the end; then, when the caller needs history from before the start held,
 * a backfill from that start up to it (`updated < "…"`), with its own position, after which the
 * start held moves back. A killed sync resumes at the page it had not stored.
 */
export async function syncByUpdated(
  ctx: StreamContext<JsmConfig, ByUpdatedCursor>,
  o: {
    api: JsmApi;
    site: Site;
    /** Another JQL condition (e.g. the team field is set). */
    where?: string;
    fields: string[];
    changelog?: boolean;
    /** Issues per page (default the config's pageSize). */
    maxResults?: number;
    /**
     * A full pass: every sync reads from the history start to the end and commits `null` when
     * done (a full-refresh stream, swept), with no backfill.
     */
    full?: boolean;
    page: (issues: ListedIssue[]) => Promise<Omit<PageResult, 'cursor'>>;
  },
): Promise<{ historyFrom: Date | null }> {
  const { api, site } = o;
  const now = ctx.now();
  const fresh = (): ByUpdatedCursor => {
    const from = firstStart(ctx.config, now, ctx.historyFrom);
    return { since: from ?? EPOCH, from, projects: site.projects };
  };
  let state: ByUpdatedCursor =
    ctx.cursor && sameSet(ctx.cursor.projects, site.projects) ? ctx.cursor : fresh();
  // A sync that carries on from where the last one ended reads a little of it again; one killed
  // mid-search resumes at its page token as it was.
  if (ctx.cursor && state === ctx.cursor && !state.token)
    state = { ...state, since: lookBack(state.since, state.from) };
  const jql = (since: string, until?: string) =>
    [
      projectClause(site.projects),
      ...(o.where ? [o.where] : []),
      `updated >= ${jqlDate(Date.parse(since), site.zone)}`,
      ...(until ? [`updated < ${jqlDate(Date.parse(until), site.zone, 'upper')}`] : []),
    ].join(' AND ') + ' ORDER BY updated ASC';

  const read = async (at: Position, until?: string) => {
    let page = await api.search({
      jql: jql(at.since, until),
      fields: o.fields,
      ids: site.ids,
      maxResults: o.maxResults ?? ctx.config.pageSize,
      ...(o.changelog ? { changelog: true } : {}),
      ...(at.token ? { token: at.token } : {}),
    });
    // A page token Jira no longer takes: the same search again from its first page.
    if (page.expired !== undefined) {
      at = { since: at.since };
      page = await api.search({
        jql: jql(at.since, until),
        fields: o.fields,
        ids: site.ids,
        maxResults: o.maxResults ?? ctx.config.pageSize,
        ...(o.changelog ? { changelog: true } : {}),
      });
      if (page.expired !== undefined)
        throw new MaturityError(
          'E_CONNECTOR_RESPONSE',
          `Jira refused the issue search (${page.expired})`,
        );
    }
    let last: number | undefined;
    for (const i of page.issues)
      if (i.updatedAt !== undefined) last = Math.max(last ?? i.updatedAt, i.updatedAt);
    return { result: await o.page(page.issues), step: advance(at, page.next, last) };
  };

  // The incremental read, always first.
  for (;;) {
    const { result, step } = await read(state);
    const { token: _, ...rest } = state;
    state = { ...rest, ...step.position };
    await ctx.commit({ ...result, cursor: o.full && step.done ? null : state });
    if (step.done) break;
  }
  if (o.full) return { historyFrom: historyDate(state.from) };

  // A backfill of history from before the start held.
  while (state.backfill || needsEarlier(ctx.historyFrom, state.from)) {
    const needed = ctx.historyFrom === null ? null : isoMinute(ctx.historyFrom!.getTime());
    const bf = state.backfill ?? { since: needed ?? EPOCH, from: needed, until: state.from! };
    const { result, step } = await read(bf, bf.until);
    if (step.done) {
      const { backfill: _, ...rest } = state;
      state = { ...rest, from: bf.from };
    } else {
      const { token: _, ...pos } = bf;
      state = { ...state, backfill: { ...pos, ...step.position } };
    }
    await ctx.commit({ ...result, cursor: state });
  }
  return { historyFrom: historyDate(state.from) };
}
