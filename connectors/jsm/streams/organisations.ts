import { z } from 'zod';
import { Organisation } from '../../../src/domain/records.js';
import { SourceUnavailable, defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip, type Parsed } from '../../shared/map-page.js';
import { JsmApi } from '../client.js';
import type { JsmConfig } from '../config.js';
import { Organization } from '../schemas.js';

/** Where the list read stopped: the `start` of the next page not stored yet. */
export const StartCursor = z.object({ start: z.number().int().min(0) });
export type StartCursor = z.infer<typeof StartCursor>;

export const toOrganisation = (o: Organization): Organisation => ({
  sourceId: o.id,
  name: o.name,
  tags: [],
});

/**
 * The customer organisations (https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-organization/#api-rest-servicedeskapi-organization-get),
 * page by page. JSM has no support plans: organisations carry none, and plans stay unknown.
 */
export const organisations = defineStream<JsmConfig, StartCursor>({
  name: 'organisations',
  kinds: ['organisations'],
  cursor: StartCursor,
  fullRefresh: true,
  async sync(ctx) {
    const api = new JsmApi(ctx.client);
    for (let start: number | undefined = ctx.cursor?.start ?? 0; start !== undefined;) {
      const page: Parsed<Organization> & { next?: number; missing?: true } = await api.deskPage(
        '/rest/servicedeskapi/organization',
        Organization,
        start,
        { optional: true },
      );
      if (page.missing)
        throw new SourceUnavailable(
          'Jira Service Management does not let this account list organisations (HTTP 403/404)',
        );
      const { records, quarantined } = mapPage(page, recordOrSkip(toOrganisation), {
        domain: Organisation,
      });
      start = page.next;
      await ctx.commit({
        records: { organisations: records },
        quarantined,
        cursor: start !== undefined ? { start } : null,
      });
    }
  },
});
