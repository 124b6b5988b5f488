import { SatisfactionRating } from '../../../src/domain/records.js';
import { SourceUnavailable, defineStream, type PageResult } from '../../shared/define-connector.js';
import { mapPage, type Invalid } from '../../shared/map-page.js';
import { JsmApi, type ListedIssue } from '../client.js';
import type { JsmConfig } from '../config.js';
import type { Feedback, FieldIds, JiraIssue } from '../schemas.js';
import { ByUpdatedCursor, syncByUpdated } from './issue-pages.js';
import { readSite } from './site.js';

/**
 * A request's feedback ► a rating. JSM asks customers for one to five stars: four and five are
 * good, one to three bad. The rating is dated by the issue's "Satisfaction date", else its
 * resolution, else its last update. One rating per request: its id is the issue's.
 */
export function toSatisfactionRating(
  issue: JiraIssue,
  feedback: Feedback,
  ids: FieldIds,
): SatisfactionRating {
  const f = issue.fields as Record<string, unknown> & JiraIssue['fields'];
  const dated = ids.satisfactionDate
    ? (f[ids.satisfactionDate] as string | null | undefined)
    : undefined;
  return {
    sourceId: issue.id,
    ticketId: issue.id,
    score: feedback.rating >= 4 ? 'good' : 'bad',
    createdAt: dated ?? f.resolutiondate ?? f.updated,
  };
}

/** One search page ► the ratings of its rated requests, and the removal of the others'. */
async function readPage(
  api: JsmApi,
  issues: ListedIssue[],
  ids: FieldIds,
): Promise<Omit<PageResult, 'cursor'>> {
  const rated: { issue: JiraIssue; feedback: Feedback }[] = [];
  const bad: Invalid[] = [];
  const none: string[] = [];
  for (const item of issues) {
    if (!('issue' in item)) {
      bad.push(item.invalid);
      continue;
    }
    const value = (item.issue.fields as Record<string, unknown>)[ids.satisfaction!];
    if (value === null || value === undefined) {
      none.push(item.issue.id);
      continue;
    }
    const got = await api.feedback(item.issue.id);
    if (got.invalid) bad.push(got.invalid);
    else if (got.feedback) rated.push({ issue: item.issue, feedback: got.feedback });
    else none.push(item.issue.id);
  }
  const { records, quarantined } = mapPage(
    { items: rated, invalid: bad },
    ({ issue, feedback }) => ({ ok: true, record: toSatisfactionRating(issue, feedback, ids) }),
    { domain: SatisfactionRating, id: (r) => r.issue.id, payload: (r) => r.feedback },
  );
  return {
    records: { satisfactionRatings: records },
    ...(none.length ? { deletes: { satisfactionRatings: none } } : {}),
    quarantined,
  };
}

/**
 * Request feedback (CSAT): the issues updated since the last read, with their "Satisfaction"
 * field, and for each one that carries a rating the service desk API's
 * GET /rest/servicedeskapi/request/{id}/feedback — one request per rated request. Incremental by
 * `updated` like tickets (a rating updates its issue). Without a Satisfaction field on the site,
 * ratings stay unknown.
 */
export const satisfactionRatings = defineStream<JsmConfig, ByUpdatedCursor>({
  name: 'satisfaction-ratings',
  kinds: ['satisfactionRatings'],
  // Only feedback given is listed: no `offered` family, so the response rate stays unknown.
  fields: () => ({ satisfactionRatings: [] }),
  cursor: ByUpdatedCursor,
  async sync(ctx) {
    const api = new JsmApi(ctx.client);
    const site = await readSite(api, ctx.config);
    const { ids } = site;
    if (!ids.satisfaction)
      throw new SourceUnavailable(
        'the site has no Satisfaction field (customer satisfaction is off in every service project): ratings stay unknown',
      );
    return syncByUpdated(ctx, {
      api,
      site,
      fields: [
        'updated',
        'resolutiondate',
        ids.satisfaction,
        ...(ids.satisfactionDate ? [ids.satisfactionDate] : []),
      ],
      page: (issues) => readPage(api, issues, ids),
    });
  },
});
