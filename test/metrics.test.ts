import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric } from '../src/domain/evidence.js';
import type { RecordBatch, Ticket } from '../src/domain/records.js';
import { wilson } from '../src/metrics/helpers.js';
import { computeMetrics } from '../src/metrics/index.js';
import { parseWindow } from '../src/metrics/window.js';
import { importRecords, parseRecordsDocument } from '../src/jobs/import-records.js';
import type { Store } from '../src/store/store.js';
import { backends } from './helpers/backends.js';

let store: Store;
let n = 0;

const AS_OF = '2026-06-30';

async function metricsFor(
  doc: Record<string, unknown[]>,
  window = '90d',
): Promise<Map<string, Metric>> {
  const batch: RecordBatch = parseRecordsDocument(doc);
  const { account } = await importRecords(store, `m${n++}`, batch);
  const coverage = await store.coverage(account.id);
  const ms = await computeMetrics({
    db: store.db,
    accountId: account.id,
    window: parseWindow(window, AS_OF),
    covered: coverage.kinds,
    fields: coverage.fields,
    derived: coverage.derived,
  });
  return new Map(ms.map((m) => [m.id, m]));
}

const t = (i: number, extra: Partial<Ticket> = {}) => ({
  sourceId: String(i),
  createdAt: '2026-06-01T10:00:00Z',
  status: 'solved',
  ...extra,
});

describe.each(backends)('evidence metrics on $name', (backend) => {
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => store.close());

  it('counts only the tickets created inside the window', async () => {
    const m = await metricsFor({
      tickets: [
        t(1),
        t(2, { createdAt: '2026-04-02T00:00:00Z' }),
        t(3, { createdAt: '2026-03-01T00:00:00Z' }),
        t(4, { createdAt: '2026-07-02T00:00:00Z' }),
      ],
    });
    expect(m.get('tickets.count')).toMatchObject({ value: 2, sampleSize: 2, window: 'P90D' });
  });

  it('is absent, not zero, when a kind of record was never delivered', async () => {
    const m = await metricsFor({ tickets: [t(1)] });
    expect(m.has('kb.articles.count')).toBe(false);
    expect(m.has('sla.policies.count')).toBe(false);
    expect(m.has('csat.score')).toBe(false);
  });

  it('is zero when the kind was delivered and holds nothing', async () => {
    const m = await metricsFor({ tickets: [t(1)], slaPolicies: [], kbArticles: [] });
    expect(m.get('sla.policies.count')?.value).toBe(0);
    expect(m.get('kb.articles.count')?.value).toBe(0);
  });

  it('computes the reopen rate over tickets that report reopens, with a Wilson interval', async () => {
    const tickets = Array.from({ length: 40 }, (_, i) => t(i, { reopenCount: i < 10 ? 1 : 0 }));
    tickets.push(t(99)); // reopen count unknown: not in the denominator
    const m = await metricsFor({ tickets });
    const r = m.get('tickets.reopen_rate')!;
    expect(r.value).toBe(0.25);
    expect(r.sampleSize).toBe(40);
    expect(r.interval).toEqual(wilson(10, 40));
    expect(r.interval![0]).toBeLessThan(0.25);
    expect(r.interval![1]).toBeGreaterThan(0.25);
  });

  it('computes SLA attainment from per-target outcomes completed in the window', async () => {
    const m = await metricsFor({
      tickets: [t(1)],
      slaOutcomes: [
        {
          sourceId: 'a',
          ticketId: '1',
          metric: 'first_reply_time',
          status: 'met',
          completedAt: '2026-06-01T11:00:00Z',
        },
        {
          sourceId: 'b',
          ticketId: '1',
          metric: 'resolution_time',
          status: 'breached',
          completedAt: '2026-06-03T11:00:00Z',
        },
        {
          sourceId: 'c',
          ticketId: '2',
          metric: 'first_reply_time',
          status: 'met',
          completedAt: '2026-06-04T11:00:00Z',
        },
        { sourceId: 'd', ticketId: '3', metric: 'first_reply_time', status: 'active' },
        {
          sourceId: 'e',
          ticketId: '4',
          metric: 'first_reply_time',
          status: 'breached',
          completedAt: '2025-01-01T00:00:00Z',
        },
      ],
    });
    const a = m.get('sla.attainment')!;
    expect(a.value).toBeCloseTo(2 / 3, 4);
    expect(a.sampleSize).toBe(3);
    expect(a.sources).toEqual(['sla_outcomes']);
    expect(a.breakdown).toEqual({ first_reply_time: 1, resolution_time: 0 });
  });

  it('falls back to the made-SLA flag when there are no per-target outcomes, and says so', async () => {
    const m = await metricsFor({
      tickets: [t(1, { madeSla: true }), t(2, { madeSla: true }), t(3, { madeSla: false }), t(4)],
    });
    const a = m.get('sla.attainment')!;
    expect(a.value).toBeCloseTo(2 / 3, 4);
    expect(a.sources[0]).toMatch(/made_sla/);
  });

  it('takes medians of first response and resolution time', async () => {
    const m = await metricsFor({
      tickets: [
        t(1, { firstResponseMinutes: 10, solvedAt: '2026-06-01T12:00:00Z' }),
        t(2, { firstResponseMinutes: 20, solvedAt: '2026-06-01T14:00:00Z' }),
        t(3, { firstResponseMinutes: 90, solvedAt: '2026-06-02T10:00:00Z' }),
        t(4, { status: 'open' }),
      ],
    });
    expect(m.get('tickets.first_response_minutes.median')).toMatchObject({
      value: 20,
      sampleSize: 3,
    });
    expect(m.get('tickets.resolution_hours.median')).toMatchObject({ value: 4, sampleSize: 3 });
  });

  it('reads the tightest urgent first-reply target across SLA policies, and whether it runs 24x7', async () => {
    const m = await metricsFor({
      slaPolicies: [
        {
          sourceId: 's1',
          name: 'Std',
          targets: [
            {
              priority: 'urgent',
              metric: 'first_reply_time',
              targetMinutes: 120,
              businessHours: true,
            },
          ],
        },
        {
          sourceId: 's2',
          name: 'Prem',
          targets: [
            {
              priority: 'urgent',
              metric: 'first_reply_time',
              targetMinutes: 30,
              businessHours: false,
            },
          ],
        },
        {
          sourceId: 'o1',
          name: 'OLA',
          kind: 'ola',
          targets: [
            {
              priority: 'urgent',
              metric: 'first_reply_time',
              targetMinutes: 5,
              businessHours: false,
            },
          ],
        },
      ],
    });
    expect(m.get('sla.first_response_target_minutes.urgent')).toMatchObject({
      value: 30,
      breakdown: { urgent: 30, calendar: 1 },
    });
    expect(m.get('sla.policies.count')?.value).toBe(2);
    expect(m.get('sla.ola.count')?.value).toBe(1);
  });

  it('measures KB freshness as the share of published articles touched in the last 12 months', async () => {
    const m = await metricsFor({
      kbArticles: [
        {
          sourceId: '1',
          state: 'published',
          createdAt: '2024-01-01T00:00:00Z',
          updatedAt: '2026-01-01T00:00:00Z',
        },
        {
          sourceId: '2',
          state: 'published',
          createdAt: '2024-01-01T00:00:00Z',
          updatedAt: '2024-06-01T00:00:00Z',
        },
        { sourceId: '3', state: 'published', createdAt: '2026-05-01T00:00:00Z' },
        { sourceId: '4', state: 'draft', createdAt: '2026-05-01T00:00:00Z' },
      ],
    });
    expect(m.get('kb.articles.count')?.value).toBe(3);
    expect(m.get('kb.freshness')?.value).toBeCloseTo(2 / 3, 4);
  });

  it('classifies groups by name: tiers, ops, escalation, success, partner', async () => {
    const m = await metricsFor({
      groups: [
        { sourceId: '1', name: 'Tier 1' },
        { sourceId: '2', name: 'L2 Support' },
        { sourceId: '3', name: 'Support Operations' },
        { sourceId: '4', name: 'Escalations' },
        { sourceId: '5', name: 'Customer Success' },
        { sourceId: '6', name: 'Acme BPO Manila' },
        { sourceId: '7', name: 'Billing' },
      ],
    });
    expect(m.get('groups.count')?.value).toBe(7);
    expect(m.get('groups.tiered.count')?.value).toBe(2);
    expect(m.get('groups.ops.count')?.value).toBe(1);
    expect(m.get('groups.escalation.count')?.value).toBe(1);
    expect(m.get('groups.success.count')?.value).toBe(1);
    expect(m.get('groups.partner.count')?.value).toBe(1);
  });

  it('computes CSAT response rate and score over surveys sent in the window', async () => {
    const ratings = [
      ...Array.from({ length: 6 }, (_, i) => ({
        sourceId: `o${i}`,
        score: 'offered',
        createdAt: '2026-06-01T00:00:00Z',
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        sourceId: `g${i}`,
        score: 'good',
        createdAt: '2026-06-01T00:00:00Z',
      })),
      { sourceId: 'b', score: 'bad', createdAt: '2026-06-01T00:00:00Z' },
      { sourceId: 'old', score: 'bad', createdAt: '2025-01-01T00:00:00Z' },
    ];
    const m = await metricsFor({ satisfactionRatings: ratings });
    expect(m.get('csat.response_rate')).toMatchObject({ value: 0.4, sampleSize: 10 });
    expect(m.get('csat.score')).toMatchObject({ value: 0.75, sampleSize: 4 });
  });

  it('counts channels that carry at least 5% of tickets', async () => {
    const tickets = [
      ...Array.from({ length: 70 }, (_, i) => t(i, { channel: 'email' })),
      ...Array.from({ length: 28 }, (_, i) => t(100 + i, { channel: 'web' })),
      ...Array.from({ length: 2 }, (_, i) => t(200 + i, { channel: 'phone' })),
    ];
    const m = await metricsFor({ tickets });
    expect(m.get('tickets.channels.count')).toMatchObject({
      value: 2,
      breakdown: { email: 0.7, web: 0.28, phone: 0.02 },
    });
  });

  it('takes every ticket with --window all, up to the as-of date', async () => {
    const m = await metricsFor(
      {
        tickets: [
          t(1, { createdAt: '2010-01-01T00:00:00Z' }),
          t(2),
          t(3, { createdAt: '2027-01-01T00:00:00Z' }),
        ],
      },
      'all',
    );
    expect(m.get('tickets.count')).toMatchObject({ value: 2, window: 'all' });
  });
});

describe('window parsing', () => {
  it.each([
    ['90d', 'P90D', 90],
    ['30d', 'P30D', 30],
    ['P7D', 'P7D', 7],
  ])('reads %s as %s', (spec, iso, days) => {
    const w = parseWindow(spec, '2026-06-30');
    expect(w.spec).toBe(iso);
    expect((w.to.getTime() - w.from!.getTime()) / 86_400_000).toBe(days);
  });

  it.each(['ninety', '0d', '-3d', '90y'])('rejects --window %s with a clear message', (spec) => {
    expect(() => parseWindow(spec, undefined)).toThrow(/--window must/);
  });

  it('rejects an --as-of that is not a date', () => {
    expect(() => parseWindow('90d', 'yesterday')).toThrow(/--as-of must be a date/);
  });
});
