import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { incidentToTicket } from '../connectors/servicenow/map-incident.js';
import { flattenRow } from '../connectors/servicenow/values.js';
import { parseItems } from '../connectors/shared/map-page.js';
import { ZendeskTicket } from '../connectors/zendesk/schemas.js';
import { toTicket } from '../connectors/zendesk/streams/map-ticket.js';
import { INT_MAX, Ticket } from '../src/domain/records.js';
import { plainTicket, safeParseTicket } from '../src/domain/ticket-check.js';
import {
  fixture as snFixture,
  hasFixtures as snFixtures,
  incidentRow,
  type Row,
} from './servicenow/helpers.js';
import { fixture as zdFixture, hasFixtures as zdFixtures } from './zendesk/helpers.js';

type Page = { tickets?: unknown[] };

/**
 * The quick way through the Ticket check must never let through what the schema refuses, nor
 * what it would change: generated candidates, valid and invalid in every field, each checked
 * both ways.
 */
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Mostly valid values, now and then one from an edge or past it. */
const mostly = <T>(valid: fc.Arbitrary<T>, edge: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: edge });

/** Date-times around every edge the schema has: calendar days, leap years, 1970 and 2100. */
const edgeDateTime = fc
  .record({
    y: fc.oneof(fc.integer({ min: 1968, max: 1972 }), fc.integer({ min: 2096, max: 2104 })),
    mo: fc.oneof(fc.constantFrom(0, 1, 2, 12, 13), fc.integer({ min: 1, max: 12 })),
    d: fc.oneof(fc.constantFrom(0, 1, 28, 29, 30, 31, 32), fc.integer({ min: 1, max: 28 })),
    h: fc.constantFrom(0, 23, 24, 9),
    mi: fc.constantFrom(0, 59, 60, 30),
    s: fc.constantFrom(0, 59, 60, 1),
    tail: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('Z', '.000Z', '.999Z') },
      {
        weight: 2,
        arbitrary: fc.constantFrom('.5Z', '.123456Z', '+01:00', '-00:00', '', 'z', ' Z', '.12Z'),
      },
    ),
    sep: fc.oneof({ weight: 6, arbitrary: fc.constant('T') }, fc.constantFrom(' ', 't')),
  })
  .map(
    ({ y, mo, d, h, mi, s, tail, sep }) =>
      `${pad(y, 4)}-${pad(mo)}-${pad(d)}${sep}${pad(h)}:${pad(mi)}:${pad(s)}${tail}`,
  );
const validDateTime = fc
  .date({
    min: new Date('1970-01-01'),
    max: new Date('2100-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  })
  .chain((d) => fc.constantFrom(d.toISOString(), `${d.toISOString().slice(0, 19)}Z`));
const dateTime = mostly(
  validDateTime,
  fc.oneof(
    edgeDateTime,
    fc
      .date({ min: new Date('1960-01-01'), max: new Date('2110-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc.stringMatching(/^[0-9T:.Z+-]{20,24}$/),
  ),
);

const oddTexts = fc.oneof(
  fc.constantFrom('', 'a\0b', 'x\uD800', '\uDC00y', '\uD83D\uDE00', 'Ü', 'ÉCOLE', 'İ', 'ß'),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.string({ minLength: 45, maxLength: 55 }),
  fc.string({ minLength: 195, maxLength: 205 }),
);
const text = (max: number) => mostly(fc.string({ minLength: 1, maxLength: max }), oddTexts);
const oddNumbers = fc.oneof(
  fc.constantFrom(INT_MAX, INT_MAX + 1, -1, -0, 0.5, Number.NaN, Infinity, -Infinity, 2 ** 53),
  fc.double(),
);
const anything = fc.oneof(
  oddTexts,
  oddNumbers,
  fc.boolean(),
  fc.constantFrom(null, undefined, 'true', [], {}, new Date()),
);
const count = mostly(fc.integer({ min: 0, max: 1000 }), fc.oneof(oddNumbers, anything));
const minutes = mostly(
  fc.double({ min: 0, max: 1e6, noNaN: true }),
  fc.oneof(oddNumbers, anything),
);
const bool = mostly(fc.boolean(), anything);
const tags = mostly(
  fc.array(
    fc.string({ maxLength: 6 }).map((t) => t.toLowerCase()),
    { maxLength: 4 },
  ),
  fc.oneof(
    fc.array(fc.oneof(fc.string({ maxLength: 6 }), oddTexts), { minLength: 1, maxLength: 4 }),
    fc.constant(Array.from({ length: 501 }, (_, i) => `t${i}`)),
    fc.constant(Array.from({ length: 500 }, (_, i) => `t${i}`)),
    anything,
  ),
);

const field = {
  sourceId: text(200),
  createdAt: dateTime,
  updatedAt: dateTime,
  solvedAt: dateTime,
  closedAt: dateTime,
  priority: mostly(
    fc.constantFrom('urgent', 'high', 'normal', 'low'),
    fc.constantFrom('Urgent', 'p1', 1),
  ),
  status: mostly(
    fc.constantFrom('new', 'open', 'pending', 'hold', 'solved', 'closed'),
    fc.constantFrom('x', 'Open', undefined),
  ),
  channel: text(50),
  groupId: text(200),
  assigneeId: text(200),
  organisationId: text(200),
  category: text(200),
  region: text(200),
  reopenCount: count,
  reassignmentCount: count,
  knowledgeLinked: bool,
  problemLinked: bool,
  tags,
  firstResponseMinutes: minutes,
  agentReplies: count,
  madeSla: bool,
  slaPolicyId: text(200),
  unknownKey: anything,
} satisfies Record<keyof Ticket | 'unknownKey', fc.Arbitrary<unknown>>;

/**
 * Candidates: the required fields nearly always there, a few optional ones, rarely an unknown
 * key, each value drawn as above.
 */
const candidate = fc
  .tuple(
    fc.record(field, { requiredKeys: [] }),
    fc.subarray(Object.keys(field) as (keyof typeof field)[], { maxLength: 6 }),
    fc.subarray(['sourceId', 'createdAt', 'status', 'tags'] as const, { maxLength: 1 }),
    fc.integer({ min: 0, max: 9 }),
  )
  .map(([values, optional, dropped, dice]) => {
    const keys = new Set<string>(['sourceId', 'createdAt', 'status', 'tags', ...optional]);
    if (dice === 0) for (const k of dropped) keys.delete(k);
    if (dice > 1) keys.delete('unknownKey');
    const out: Record<string, unknown> = {};
    for (const k of keys) if (k in values) out[k] = values[k as keyof typeof values];
    return out;
  });

describe('the quick Ticket check', () => {
  it('lets through only what the schema accepts, and returns it unchanged', () => {
    let quick = 0;
    fc.assert(
      fc.property(candidate, (c) => {
        if (!plainTicket(c)) return;
        quick++;
        const r = Ticket.safeParse(c);
        expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
        expect(r.data).toStrictEqual(c);
      }),
      { numRuns: 20_000 },
    );
    // The property says nothing if nothing went the quick way.
    expect(quick).toBeGreaterThan(2_000);
  });

  it('answers as the schema does, error and all, when the quick way does not apply', () => {
    fc.assert(
      fc.property(candidate, (c) => {
        const quick = safeParseTicket(c);
        const schema = Ticket.safeParse(c);
        expect(quick.success).toBe(schema.success);
        if (quick.success) expect(quick.data).toStrictEqual(schema.data);
        else expect(quick.error.issues).toStrictEqual(schema.error!.issues);
      }),
      { numRuns: 5_000 },
    );
  });

  it('sends to the schema a ticket with a field it cannot see or an extra it cannot count', () => {
    const base = () => ({
      sourceId: 'INC1',
      createdAt: '2024-02-29T10:00:00Z',
      status: 'open',
      tags: ['a'],
    });
    const hidden = (o: Record<string, unknown>) =>
      Object.defineProperty(o, 'channel', { value: 'email', enumerable: false });
    // A hidden field and an extra key, or a field set to undefined, would count the same.
    for (const c of [hidden({ ...base(), extra: 1 }), hidden({ ...base(), region: undefined })]) {
      expect(plainTicket(c)).toBe(false);
      const quick = safeParseTicket(c);
      const schema = Ticket.safeParse(c);
      expect(quick.success).toBe(schema.success);
      if (quick.success) expect(quick.data).toStrictEqual(schema.data);
    }
    // A field inherited from a polluted prototype is not the ticket's own.
    Object.defineProperty(Object.prototype, 'channel', {
      value: 'email',
      enumerable: false,
      configurable: true,
    });
    try {
      expect(plainTicket({ ...base(), extra: 1 })).toBe(false);
    } finally {
      delete (Object.prototype as Record<string, unknown>).channel;
    }
    expect(plainTicket(base())).toBe(true);
  });

  it.skipIf(!snFixtures || !zdFixtures)(
    'takes the quick way for the tickets the connectors map from real samples',
    () => {
      // A sync maps ten thousand tickets a page and relies on it: if a mapper's tickets stopped
      // being plain (an offset date, a key set to undefined), every one would go through zod.
      const { result } = snFixture<{ result: Row }>('table_incident_get_by_sys_id.json');
      const rows = [
        result,
        incidentRow(1, '2026-01-05 10:00:00'),
        incidentRow(2, '2026-01-06 10:00:00', {
          resolved_at: '2026-01-06 09:00:00',
          closed_at: '2026-01-07 09:00:00',
          incident_state: '7',
          assigned_to: 'u1',
          company: 'c1',
          location: 'l1',
        }),
      ];
      const incidents = rows.map((r) => incidentToTicket(flattenRow(r)));
      expect(incidents.every((t) => t.ok && plainTicket(t.record))).toBe(true);
      const tickets = parseItems(ZendeskTicket, zdFixture<Page>('tickets.json').tickets!).items;
      expect(tickets.length).toBeGreaterThan(0);
      for (const t of tickets) expect(plainTicket(toTicket(t, undefined))).toBe(true);
    },
  );
});
