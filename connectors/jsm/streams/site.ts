import { MaturityError } from '../../../src/errors.js';
import { SourceUnavailable } from '../../shared/define-connector.js';
import type { JsmApi } from '../client.js';
import type { JsmConfig } from '../config.js';
import type { FieldIds, JiraField, ServiceDesk } from '../schemas.js';
import { usableZone } from './jql.js';

/** Custom field types of Jira Service Management and of teams, as /rest/api/3/field names them. */
const TYPES = {
  organisations: 'com.atlassian.servicedesk:sd-customer-organizations',
  requestType: 'com.atlassian.servicedesk:vp-origin',
  satisfaction: 'com.atlassian.servicedesk:sd-request-feedback',
  satisfactionDate: 'com.atlassian.servicedesk:sd-request-feedback-date',
  team: /atlassian-team|rm-teams-custom-field-team/,
};

const byName = (fields: JiraField[], name: RegExp) => fields.find((f) => name.test(f.name.trim()));
const byType = (fields: JiraField[], type: string | RegExp) =>
  fields.find((f) =>
    typeof type === 'string' ? f.schema?.custom === type : type.test(f.schema?.custom ?? ''),
  );

/**
 * The ids of the issue fields the connector reads, found in the site's field list by their
 * documented names (the SLA fields "Time to first response" and "Time to resolution") or types
 * (organisations, request type, satisfaction), and the team field named with `--team-field` (its
 * name or id), else a field named Team. Absent fields leave what they feed unknown.
 */
export function findFields(fields: JiraField[], teamField: string | undefined): FieldIds {
  const custom = fields.filter((f) => f.custom !== false);
  const pick = (f: JiraField | undefined) => f?.id;
  let team: JiraField | undefined;
  if (teamField) {
    const want = teamField.toLowerCase();
    team = fields.find((f) => f.id.toLowerCase() === want || f.name.trim().toLowerCase() === want);
    if (!team)
      throw new MaturityError(
        'E_INPUT',
        `Jira has no issue field named or numbered "${teamField}": check --team-field (a field's name, e.g. Team, or id, e.g. customfield_10001)`,
      );
  } else team = byType(custom, TYPES.team) ?? byName(custom, /^team$/i);
  const ids: FieldIds = {};
  const set = (k: keyof FieldIds, id: string | undefined) => id && (ids[k] = id);
  set('firstResponse', pick(byName(custom, /^time to first response$/i)));
  set('resolution', pick(byName(custom, /^time to resolution$/i)));
  set('team', pick(team));
  set(
    'organisations',
    pick(byType(custom, TYPES.organisations) ?? byName(custom, /^organi[sz]ations$/i)),
  );
  set(
    'requestType',
    pick(byType(custom, TYPES.requestType) ?? byName(custom, /^(customer )?request type$/i)),
  );
  set(
    'satisfaction',
    pick(byType(custom, TYPES.satisfaction) ?? byName(custom, /^satisfaction$/i)),
  );
  set(
    'satisfactionDate',
    pick(byType(custom, TYPES.satisfactionDate) ?? byName(custom, /^satisfaction date$/i)),
  );
  return ids;
}

/**
 * The service desks a sync covers: every one the account sees
 * (/rest/servicedeskapi/servicedesk), or the one of `--project`. None visible leaves the evidence
 * unknown; a `--project` that is not among them is a sentence naming the flag.
 */
export async function serviceDesks(api: JsmApi, config: JsmConfig): Promise<ServiceDesk[]> {
  const all = (await api.serviceDesks()).items;
  if (config.project) {
    const one = all.filter((d) => d.projectKey.toUpperCase() === config.project);
    if (!one.length)
      throw new MaturityError(
        'E_INPUT',
        `Jira Service Management has no service desk with the project key ${config.project} that this account sees (it sees ${
          all
            .map((d) => d.projectKey)
            .sort()
            .join(', ') || 'none'
        }): check --project`,
      );
    return one;
  }
  if (!all.length)
    throw new SourceUnavailable(
      'the account sees no Jira Service Management service desk (it must be an agent of at least one)',
    );
  return [...all].sort((a, b) => a.projectKey.localeCompare(b.projectKey));
}

/** What a search-based stream needs: the projects, the field ids and the zone JQL dates use. */
export interface Site {
  desks: ServiceDesk[];
  projects: string[];
  ids: FieldIds;
  zone: string;
}

export async function readSite(api: JsmApi, config: JsmConfig): Promise<Site> {
  const desks = await serviceDesks(api, config);
  const ids = findFields(await api.fields(), config.teamField);
  const zone = usableZone((await api.myself()).timeZone);
  return { desks, projects: desks.map((d) => d.projectKey), ids, zone };
}
