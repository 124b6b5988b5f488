import { describe, expect, it } from 'vitest';
import type { SnapshotBody } from '../src/domain/evidence.js';
import { renderHtml } from '../src/report/render-html.js';

const snapshot = (account: string, statement: string): SnapshotBody => ({
  account,
  asOf: '2026-06-30T23:59:59.999Z',
  window: 'P90D',
  rulesVersion: '1.0.0',
  rulesHash: 'abcdef0123456789',
  partial: false,
  metrics: [
    {
      id: 'tickets.count',
      value: 1200,
      unit: 'count',
      sampleSize: 1200,
      window: 'P90D',
      sources: ['tickets'],
    },
  ],
  layers: [
    {
      model: 'ftworks',
      modelName: 'FT Works Support Maturity Model',
      layer: 'offerings',
      layerName: 'Offerings',
      level: 2,
      levelName: 'Structured',
      possibleLevel: 2,
      possibleLevelName: 'Structured',
      awaiting: { data: 0, review: 0 },
      nextLevelName: 'Managed',
      criteria: [
        {
          id: 'plan-portfolio',
          statement,
          level: 3,
          status: 'unmet',
          gap: 'plans.count 1, needs >= 2',
        },
      ],
      blockers: [
        {
          id: 'plan-portfolio',
          statement,
          level: 3,
          status: 'unmet',
          gap: 'plans.count 1, needs >= 2',
        },
      ],
      unknowns: [],
    },
  ],
});

describe('HTML report', () => {
  it('is one page with the levels table and the blockers', () => {
    const html = renderHtml(snapshot('acme', 'Two or more plans are defined'));
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>Support maturity: acme</title>');
    expect(html).toMatch(/<table>[\s\S]*<td>Offerings<\/td>[\s\S]*<td>2 · Structured<\/td>/);
    expect(html).toContain('plans.count 1, needs &gt;= 2');
  });

  it('escapes text that comes from the data instead of rendering it as markup', () => {
    const html = renderHtml(snapshot('acme', 'Plans <script>alert(1)</script> defined'));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});

describe('HTML report: advice and groups', () => {
  it('shows advice as a quote and lists how groups were read, data text escaped', () => {
    const html = renderHtml({
      ...snapshot('acme', 'Two or more plans are defined'),
      advice: [
        {
          id: 'team-outgrew-bootstrap',
          model: 'ftworks',
          layer: 'people',
          severity: 'urgent',
          text: '20 people work tickets',
          values: { 'people.count': 20 },
        },
      ],
      groups: [{ id: 'g1', name: '> <b>L2</b> team', roles: ['tier2'], by: 'name' }],
    });
    expect(html).toMatch(/<blockquote>\s*<p><strong>Urgent:<\/strong> 20 people work tickets/);
    expect(html).toContain('&gt; &lt;b&gt;L2&lt;/b&gt; team');
    expect(html).not.toContain('<b>L2</b>');
  });
});
