import { readdirSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mapPage, parseItems, recordOrSkip } from '../../connectors/shared/map-page.js';
import {
  ZendeskGroup,
  ZendeskMetricSet,
  ZendeskOrganization,
  ZendeskOrganizationField,
  ZendeskRule,
  ZendeskSatisfactionRating,
  ZendeskSlaPolicy,
  ZendeskTicket,
} from '../../connectors/zendesk/schemas.js';
import { toAutomation } from '../../connectors/zendesk/streams/automations.js';
import { toGroup } from '../../connectors/zendesk/streams/groups.js';
import { toSatisfactionRating } from '../../connectors/zendesk/streams/satisfaction-ratings.js';
import { toSlaPolicy } from '../../connectors/zendesk/streams/sla-policies.js';
import { toTicket } from '../../connectors/zendesk/streams/map-ticket.js';
import {
  Automation,
  Group,
  SatisfactionRating,
  SlaPolicy,
  Ticket,
} from '../../src/domain/records.js';
import type { Store } from '../../src/store/store.js';
import { FIXTURES, fixture, hasFixtures, ids, syncZendesk } from './helpers.js';
import { memoryStore } from '../helpers/store-template.js';

type Page = Record<string, unknown[]>;

describe.skipIf(!hasFixtures)('the real Zendesk samples', () => {
  it('knows every sample in the fixtures folder (a new one needs a test here)', () => {
    expect(
      readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual([
      'groups.json',
      'macros.json',
      'nock_error_404_record_not_found.json',
      'nock_organizations_cursor_pagination.json',
      'organization_fields.json',
      'satisfaction_ratings.json',
      'sla_policies.json',
      'ticket_metrics.json',
      'tickets.json',
      'triggers.json',
    ]);
  });

  it('maps the sample tickets, with channel, group, organisation and no invented priority', () => {
    const { records, quarantined: invalid } = mapPage(
      parseItems(ZendeskTicket, fixture<Page>('tickets.json').tickets!),
      recordOrSkip((t) => toTicket(t, undefined)),
      { domain: Ticket },
    );
    expect(invalid).toEqual([]);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      sourceId: '2',
      status: 'solved',
      channel: 'email',
      groupId: '360004077472',
      organisationId: '360363695492',
      assigneeId: '377922500012',
      problemLinked: false,
    });
    expect(records[0]).not.toHaveProperty('priority');
    expect(records[1]!.channel).toBe('web');
  });

  it('parses all 100 sample ticket metrics and takes reply time, reopens and reassignments from them', () => {
    const raw = fixture<Page>('ticket_metrics.json').ticket_metrics!;
    const { items, invalid } = parseItems(ZendeskMetricSet, raw);
    expect(invalid).toEqual([]);
    expect(items).toHaveLength(100);
    const m = items[0]!;
    const t = toTicket(
      { id: m.ticket_id, created_at: '2012-09-06T20:17:10Z', status: 'open' } as never,
      { ...m, reopens: 2, group_stations: 3, assignee_stations: 2 },
    );
    expect(t).toMatchObject({
      firstResponseMinutes: 2,
      reopenCount: 2,
      reassignmentCount: 2,
      agentReplies: 1,
    });
    // An unsolved ticket carries no solved date even when the metric set has none either.
    expect(t).not.toHaveProperty('solvedAt');
  });

  it.each([
    ['groups.json', 'groups', ZendeskGroup, toGroup, Group, 1],
    ['macros.json', 'macros', ZendeskRule, (r: never) => toAutomation(r, 'macro'), Automation, 4],
    [
      'triggers.json',
      'triggers',
      ZendeskRule,
      (r: never) => toAutomation(r, 'trigger'),
      Automation,
      8,
    ],
    [
      'sla_policies.json',
      'sla_policies',
      ZendeskSlaPolicy,
      (p: never) => toSlaPolicy(p),
      SlaPolicy,
      3,
    ],
    [
      'satisfaction_ratings.json',
      'satisfaction_ratings',
      ZendeskSatisfactionRating,
      toSatisfactionRating,
      SatisfactionRating,
      65,
    ],
  ] as const)('maps every record of %s', (file, key, vendor, map, domain, n) => {
    const { records, quarantined: invalid } = mapPage(
      parseItems(vendor as never, fixture<Page>(file)[key]!),
      recordOrSkip(map as never),
      { domain: domain as never },
    );
    expect(invalid).toEqual([]);
    expect(records).toHaveLength(n);
  });

  it('keeps SLA targets per priority and metric, and the filter conditions for plans', () => {
    const [p] = fixture<Page>('sla_policies.json').sla_policies!.map((x) =>
      toSlaPolicy(ZendeskSlaPolicy.parse(x)),
    );
    expect(p!.targets).toContainEqual({
      priority: 'urgent',
      metric: 'first_reply_time',
      targetMinutes: 10,
      businessHours: false,
    });
    expect(p!.targets).toHaveLength(6);
    expect(p!.conditions).toEqual([
      { group: 'all', field: 'type', operator: 'is', value: 'incident' },
    ]);
  });

  it('parses the organisation fields sample, lookup relationship and all', () => {
    const { items, invalid } = parseItems(
      ZendeskOrganizationField,
      fixture<Page>('organization_fields.json').organization_fields!,
    );
    expect(invalid).toEqual([]);
    expect(items.map((f) => f.key)).toEqual(['test_key', 'test_external_id']);
  });

  it('counts the satisfaction sample as offered and good answers', () => {
    const rated = fixture<Page>('satisfaction_ratings.json')
      .satisfaction_ratings!.map((r) => toSatisfactionRating(ZendeskSatisfactionRating.parse(r)))
      .map((r) => r?.score);
    expect(new Set(rated)).toEqual(new Set(['offered', 'good']));
  });
});

describe.skipIf(!hasFixtures)('the recorded organisation pages (nock)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await memoryStore();
    nock.disableNetConnect();
  });
  afterAll(async () => {
    nock.enableNetConnect();
    await store.close();
  });
  afterEach(() => nock.cleanAll());

  it('stores the recorded organisations and stops on has_more=false although links.next is set', async () => {
    const recorded = nock.define(
      fixture<nock.Definition[]>('nock_organizations_cursor_pagination.json'),
    );
    const api = nock('https://nodejsapi.zendesk.com');
    api
      .get('/api/v2/organization_fields.json')
      .query(true)
      .reply(200, fixture('organization_fields.json'));
    api
      .get('/api/v2/slas/policies.json')
      .reply(200, { sla_policies: [], next_page: null, count: 0 });
    const account = await store.createAccount('recorded', 'zendesk');
    const [outcome] = await syncZendesk(store, account, {
      baseUrl: 'https://nodejsapi.zendesk.com',
      streams: ['organisations'],
    });
    expect(outcome).toMatchObject({ ok: true, quarantined: 0 });
    const sample = fixture<{ response: { organizations: { id: number }[] } }[]>(
      'nock_organizations_cursor_pagination.json',
    )[0]!.response.organizations.map((o) => String(o.id));
    expect(await ids(store, 'organisations', account.id)).toEqual([...sample].sort());
    // The recorded second (empty) page was never asked for.
    expect(recorded[1]!.isDone()).toBe(false);
    expect(recorded[0]!.isDone()).toBe(true);
  });

  it('maps the recorded organisations with their tags and no plan when none is defined', () => {
    const orgs = fixture<{ response: { organizations: unknown[] } }[]>(
      'nock_organizations_cursor_pagination.json',
    )[0]!.response.organizations;
    expect(parseItems(ZendeskOrganization, orgs).invalid).toEqual([]);
  });
});
