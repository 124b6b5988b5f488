import { SlaOutcome } from '../../../src/domain/records.js';
import { ticketCheck } from '../../../src/domain/ticket-check.js';
import { defineStream, type PageResult } from '../../shared/define-connector.js';
import { mapPage, type Invalid } from '../../shared/map-page.js';
import { JsmApi, type ListedIssue } from '../client.js';
import type { JsmConfig } from '../config.js';
import type { FieldIds, JiraHistory, JiraIssue } from '../schemas.js';
import { ByUpdatedCursor, syncByUpdated } from './issue-pages.js';
import { staleOutcomeIds, toSlaOutcomes, toTicket, type Statuses } from './map-issue.js';
import { readSite } from './site.js';

/** What every issue vouches for whatever the site's fields (src/domain/fields.ts). */
const FAMILIES = ['priority', 'tags', 'assignee', 'solved', 'reopens'] as const;

/** The issue fields asked for: the system ones read, and the site's custom ones that exist. */
export function ticketFields(ids: FieldIds): string[] {
  return [
    'created',
    'updated',
    'resolutiondate',
    'status',
    'priority',
    'assignee',
    'labels',
    ...[ids.firstResponse, ids.resolution, ids.team, ids.organisations, ids.requestType].filter(
      (id): id is string => !!id,
    ),
  ];
}

/** The families the site's custom fields add, delivered on every page once the field exists. */
const siteFamilies = (ids: FieldIds) => [
  ...(ids.team ? ['group'] : []),
  ...(ids.organisations ? ['organisation'] : []),
  ...(ids.requestType ? ['category'] : []),
  ...(ids.firstResponse ? ['firstResponse'] : []),
];

/**
 * The issue's whole changelog: the entries the search inlined (expand=changelog), or, when the
 * search cut them short (`total` above what it sent), the issue's changelog read page by page.
 */
async function historiesOf(api: JsmApi, issue: JiraIssue): Promise<JiraHistory[] | undefined> {
  const c = issue.changelog;
  if (!c) return undefined;
  if (c.total !== undefined && c.total > c.histories.length) return api.changelog(issue.id);
  return c.histories;
}

/** One search page ► tickets and their SLA outcomes (and the outcomes of cycles gone). */
async function readPage(
  api: JsmApi,
  issues: ListedIssue[],
  ids: FieldIds,
  statuses: Statuses,
  now: Date,
): Promise<Omit<PageResult, 'cursor'>> {
  const parsed: { issue: JiraIssue; histories: JiraHistory[] | undefined }[] = [];
  const bad: Invalid[] = [];
  for (const item of issues) {
    if ('invalid' in item) bad.push(item.invalid);
    else parsed.push({ issue: item.issue, histories: await historiesOf(api, item.issue) });
  }
  const tickets = mapPage(
    { items: parsed, invalid: bad },
    ({ issue, histories }) => ({ ok: true, record: toTicket(issue, ids, histories, statuses) }),
    { domain: ticketCheck, id: (p) => p.issue.id, payload: (p) => p.issue },
  );
  const kept = new Set(tickets.records.map((t) => t.sourceId));
  const live = parsed.filter((p) => kept.has(p.issue.id));
  const outcomes = mapPage(
    { items: live.flatMap((p) => toSlaOutcomes(p.issue, ids, now)) },
    (o) => ({ ok: true, record: o }),
    { domain: SlaOutcome, id: (o) => o.sourceId },
  );
  const stale = live.flatMap((p) =>
    staleOutcomeIds(
      p.issue,
      ids,
      outcomes.records.filter((o) => o.ticketId === p.issue.id),
    ),
  );
  return {
    records: { tickets: tickets.records, slaOutcomes: outcomes.records },
    ...(stale.length ? { deletes: { slaOutcomes: stale } } : {}),
    quarantined: [...tickets.quarantined, ...outcomes.quarantined],
    fields: { tickets: siteFamilies(ids) },
  };
}

/**
 * Issues of the service projects as tickets, with their SLA outcomes, read by `updated` through
 * the enhanced JQL search (issue-pages.ts), asking only for the fields they need and for the
 * changelog (reopens). Status categories come from /rest/api/3/status, read once per run.
 */
export const tickets = defineStream<JsmConfig, ByUpdatedCursor>({
  name: 'tickets',
  kinds: ['tickets', 'slaOutcomes'],
  cursor: ByUpdatedCursor,
  fields: () => ({ tickets: FAMILIES }),
  async sync(ctx) {
    const api = new JsmApi(ctx.client);
    const site = await readSite(api, ctx.config);
    const list = await api.statuses();
    const statuses: Statuses = {
      byId: new Map(list.flatMap((s) => (s.statusCategory ? [[s.id, s.statusCategory.key]] : []))),
      byName: new Map(
        list.flatMap((s) =>
          s.statusCategory ? [[s.name.toLowerCase(), s.statusCategory.key]] : [],
        ),
      ),
    };
    const now = ctx.now();
    return syncByUpdated(ctx, {
      api,
      site,
      fields: ticketFields(site.ids),
      changelog: true,
      page: (issues) => readPage(api, issues, site.ids, statuses, now),
    });
  },
});
