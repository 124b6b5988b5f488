import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultRules } from '../src/engine/index.js';
import { renderHtml } from '../src/report/render-html.js';
import { chromiumHere, launchChromium } from './e2e/browser.js';
import { metric, snapshot } from './review/helpers.js';

// Without Chromium: fails under CI=true, skips loudly elsewhere (test/e2e/browser.ts).
const rules = loadDefaultRules();

/** A busy account: every model judged, many layers moving, many actions, advice and groups. */
function busyReport(): string {
  const evidence = (f: number, n: number) => [
    metric('tickets.count', 4000 * n, 4000 * n),
    metric('people.count', 24, 24),
    metric('agents.count', 24, 24),
    metric('sla.policies.count', n - 1, n - 1),
    metric('sla.measured.count', 900 * n, 900 * n),
    metric('sla.attainment', 0.8 + 0.05 * n, 900 * n),
    metric('sla.coverage', 0.3 + 0.2 * n, 4000 * n),
    metric('automations.count', 20 * n, 20 * n),
    metric('kb.articles.count', 120, 120),
    metric('kb.freshness', f, 120),
    metric('kb.linked_ticket_share', 0.05 * n, 4000 * n),
    metric('csat.answered.count', 300, 2000),
    metric('csat.response_rate', 0.15, 2000),
    metric('groups.count', 12, 12),
    metric('groups.tier_levels.count', n, 12),
    metric('groups.ops.count', n - 1, 12),
    metric('plans.count', n, n),
    metric('tickets.channels.count', n, 4000),
  ];
  const months = ['2026-04-30', '2026-05-31', '2026-06-30'];
  const history = [0.42, 0.58, 0.76].map((f, i) => ({
    id: i + 1,
    stored: {
      ...snapshot(rules, evidence(f, i + 1), { asOf: `${months[i]}T23:59:59.999Z` }),
      groups: Array.from({ length: 12 }, (_, g) => ({
        id: `g${g}`,
        name: `Team ${g}`,
        roles: g % 3 ? ['tier1'] : [],
        by: 'name' as const,
      })),
    },
  }));
  const body = history[2]!.stored;
  return renderHtml(body, { rules, previous: history[1]!.stored, history });
}

/** Pages in a PDF: its /Type /Page objects (not the /Pages tree). */
const pages = (pdf: Buffer) =>
  pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;

describe.skipIf(!chromiumHere)('the printed report (Chromium, A4)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => browser?.close());

  it('fits the summary on two pages and starts the detail on a page of its own', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
    });
    await page.setContent(busyReport());
    const whole = pages(await page.pdf({ format: 'A4' }));
    await page.addStyleTag({ content: '@media print { .detail { display: none } }' });
    const summary = pages(await page.pdf({ format: 'A4' }));
    expect(summary).toBeGreaterThanOrEqual(1);
    expect(summary).toBeLessThanOrEqual(2);
    // The detail follows on pages of its own (so the page count above is the summary's).
    expect(whole).toBeGreaterThan(summary);
    // Nothing was fetched: the report stands alone.
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows the whole report at 390 px wide without horizontal scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.setContent(busyReport());
    const width = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    await page.close();
  }, 60_000);
});
