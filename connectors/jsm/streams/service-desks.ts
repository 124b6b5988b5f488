import { z } from 'zod';
import { Automation } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { JsmApi } from '../client.js';
import type { JsmConfig } from '../config.js';
import { RequestType } from '../schemas.js';
import { serviceDesks } from './site.js';

/** The next service desk (its index in project-key order) whose lists are not stored yet. */
export const DeskCursor = z.object({ desk: z.number().int().min(0) });
export type DeskCursor = z.infer<typeof DeskCursor>;

/** A request type is a form customers fill in: ids are per site (`requesttype-<id>`). */
export const fromRequestType = (r: RequestType): Automation => ({
  sourceId: `requesttype-${r.id}`,
  kind: 'form',
  name: r.name,
  active: true,
});

/**
 * Each service desk's request types, as the intake forms the team set up
 * (https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/). One
 * commit per desk; a complete pass sweeps what is gone. Queues are not read: a queue is a saved
 * list of issues (JQL) that agents work from, like a Zendesk view, not a rule that does any work,
 * and every new project comes with several, so counting them would pass the five-automation bar
 * for a project nobody configured. JSM's automation rules are not in its REST API.
 */
export const serviceDeskSetup = defineStream<JsmConfig, DeskCursor>({
  name: 'service-desks',
  kinds: ['automations'],
  cursor: DeskCursor,
  fullRefresh: true,
  async sync(ctx) {
    const api = new JsmApi(ctx.client);
    const desks = await serviceDesks(api, ctx.config);
    for (let i = ctx.cursor?.desk ?? 0; i < desks.length; i++) {
      const desk = desks[i]!;
      const base = `/rest/servicedeskapi/servicedesk/${encodeURIComponent(desk.id)}`;
      const types = await api.deskAll(`${base}/requesttype`, RequestType);
      const forms = mapPage(types, recordOrSkip(fromRequestType), { domain: Automation });
      await ctx.commit({
        records: { automations: forms.records },
        quarantined: forms.quarantined,
        cursor: i + 1 < desks.length ? { desk: i + 1 } : null,
      });
    }
  },
});
