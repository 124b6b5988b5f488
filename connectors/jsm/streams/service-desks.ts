import { z } from 'zod';
import { Automation } from '../../../src/domain/records.js';
import { defineStream } from '../../shared/define-connector.js';
import { mapPage, recordOrSkip } from '../../shared/map-page.js';
import { JsmApi } from '../client.js';
import type { JsmConfig } from '../config.js';
import { Queue, RequestType, type ServiceDesk } from '../schemas.js';
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

/** A queue is a saved JQL routing of work to a team: ids are per desk (`queue-<desk>-<id>`). */
export const fromQueue = (desk: ServiceDesk, q: Queue): Automation => ({
  sourceId: `queue-${desk.id}-${q.id}`,
  kind: 'workflow',
  name: q.name,
  active: true,
});

/**
 * Each service desk's request types and queues, as the forms and routing the team set up
 * (https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-servicedesk/). One
 * commit per desk; a complete pass sweeps what is gone.
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
      const queues = await api.deskAll(`${base}/queue`, Queue, { optional: true });
      const a = mapPage(types, recordOrSkip(fromRequestType), { domain: Automation });
      const b = mapPage(
        queues,
        recordOrSkip((q) => fromQueue(desk, q)),
        { domain: Automation },
      );
      await ctx.commit({
        records: { automations: [...a.records, ...b.records] },
        quarantined: [...a.quarantined, ...b.quarantined],
        cursor: i + 1 < desks.length ? { desk: i + 1 } : null,
      });
    }
  },
});
