import { Group } from '../../../src/domain/records.js';
import { SourceUnavailable, defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip, type Invalid } from '../../shared/map-page.js';
import { JsmApi } from '../client.js';
import type { JsmConfig } from '../config.js';
import type { TeamValue } from '../schemas.js';
import { ByUpdatedCursor, syncByUpdated } from './issue-pages.js';
import { jqlField } from './jql.js';
import { teamOf } from './map-issue.js';
import { readSite } from './site.js';

/** Issues per page of this light search (one field asked for: Jira sends more per page). */
const TEAM_PAGE = 1000;

/**
 * Groups: the teams named in the team field of the issues updated since the history start
 * (`project in (…) AND cf[…] is not EMPTY AND updated >= "…"`, only that field asked for). Jira
 * has no list of the values a team field takes in the REST API, so the teams are those that work
 * the service projects' issues. Without a team field, groups stay unknown. A full pass each sync;
 * teams no issue names any more are swept.
 */
export const groups = defineStream<JsmConfig, ByUpdatedCursor>({
  name: 'groups',
  kinds: ['groups'],
  cursor: ByUpdatedCursor,
  fullRefresh: true,
  async sync(ctx) {
    const api = new JsmApi(ctx.client);
    const site = await readSite(api, ctx.config);
    const field = site.ids.team;
    if (!field)
      throw new SourceUnavailable(
        'the site has no team field (name one with --team-field): groups stay unknown',
      );
    return syncByUpdated(ctx, {
      api,
      site,
      where: `${jqlField(field)} is not EMPTY`,
      fields: ['updated', field],
      maxResults: Math.max(TEAM_PAGE, ctx.config.pageSize),
      full: true,
      page: async (issues) => {
        const seen = new Map<string, Group>();
        const unread: Invalid[] = [];
        for (const i of issues) {
          if (!('issue' in i)) {
            unread.push(i.invalid);
            continue;
          }
          const team = teamOf((i.issue.fields as Record<string, unknown>)[field] as TeamValue);
          if (team) seen.set(team.id, { sourceId: team.id, name: team.name });
        }
        const { records, quarantined } = mapPage(
          { items: [...seen.values()] },
          recordOrSkip((g) => g),
          {
            domain: Group,
            id: (g) => g.sourceId,
          },
        );
        return { records: { groups: records }, quarantined };
      },
    });
  },
});
