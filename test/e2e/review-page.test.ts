import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultRules } from '../../src/engine/index.js';
import type { Store } from '../../src/store/store.js';
import { chromiumHere, launchChromium } from './browser.js';
import { seedDemo } from './demo-data.js';
import { startServer, type Server } from './server.js';
import { memoryStore } from '../helpers/store-template.js';

const rules = loadDefaultRules();
/** The version as the page writes it, for a regular expression. */
const version = rules.version.replaceAll('.', '\\.');

/**
 * The review page in headless Chromium, against the real server (API and page) over an embedded
 * store seeded through the real code: sign in with a token, read the portfolio and an account,
 * attest a criterion and see the queue shrink and the audit row appear, decide a level, read a
 * chart and the history, and fit a phone's width.
 */
describe.skipIf(!chromiumHere)('the review page in Chromium', () => {
  let store: Store;
  let server: Server;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** What each page did that it should not: a script error, a CSP breach, a request elsewhere. */
  const faults: string[] = [];

  beforeAll(async () => {
    store = await memoryStore();
    await seedDemo(store, rules);
    server = await startServer(store, rules);
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.app.close();
    await store?.close();
  });

  /** A browser signed in with the token of `role` through the sign-in form. */
  async function signedIn(
    role: 'viewer' | 'reviewer' | 'admin',
    viewport = { width: 1280, height: 800 },
  ): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    const origin = new URL(server.url).origin;
    page.on('pageerror', (e) => faults.push(`script error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4(01|03|04|22)/.test(m.text()))
        faults.push(`console: ${m.text()}`);
    });
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(origin) && !url.startsWith('data:'))
        faults.push(`request elsewhere: ${url}`);
    });
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#token', server.tokens[role]);
    await Promise.all([page.waitForURL(`${server.url}/`), page.click('button[type=submit]')]);
    return page;
  }

  it('refuses an unknown token at sign-in, in one sentence', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.fill('#token', 'mat_not-a-real-token');
    await page.click('button[type=submit]');
    await expect
      .poll(() => page.textContent('#login-error'))
      .toMatch(/unknown or has been revoked/);
    expect((await context.cookies()).filter((c) => c.name === 'maturity_token')).toEqual([]);
  });

  it('shows every account with its six layer levels, freshness and criteria awaiting review', async () => {
    const page = await signedIn('viewer');
    const cards = page.locator('article.account');
    await expect.poll(() => cards.count()).toBe(3);
    const card = (name: string) => page.locator(`article.account[data-account="${name}"]`);
    expect(await card('acme').locator('ul.levels > li').count()).toBe(6);
    expect(await card('acme').textContent()).toMatch(/✓ Fresh/);
    expect(await card('globex').textContent()).toMatch(/⚠ Stale: 3 days old/);
    expect(await card('initech').textContent()).toMatch(
      /⚠ Partial: satisfaction_ratings failed to sync/,
    );
    for (const name of ['acme', 'globex', 'initech'])
      expect(await card(name).locator('.pending').textContent()).toMatch(
        /\d+ criteri(a|on) awaits? review/,
      );
    // The smaller models are there too, in words.
    expect(await card('acme').textContent()).toMatch(/Support model elements: \d of 5 in place/);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'maturity_token');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect(faults).toEqual([]);
  });

  it("fits an account's first screen in 1280×800: as-of, models, ladders, change, top actions", async () => {
    const page = await signedIn('viewer');
    await page.click('article.account[data-account="acme"] h2 a');
    await page.waitForURL(/\/accounts\/acme$/);
    const first = page.locator('#first-screen');
    const meta = await first.locator('.first-head .meta').first().textContent();
    expect(meta).toMatch(/As of \d+ \w{3} \d{4}/);
    expect(meta).toMatch(/last 90 days/);
    expect(meta).toMatch(new RegExp(`rules ${version}`));
    expect(await first.locator('.sentence').count()).toBe(3);
    expect(await first.locator('.ladder').count()).toBe(12);
    expect(await first.locator('.change li').count()).toBeGreaterThan(0);
    const actions = first.locator('.actions');
    expect(await actions.locator('li').count()).toBeGreaterThan(0);
    const box = await actions.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(faults).toEqual([]);
  });

  it('attests a criterion from the queue: the queue shrinks and the audit row appears', async () => {
    const page = await signedIn('reviewer');
    await page.goto(`${server.url}/accounts/acme`);
    const count = async () => Number(await page.locator('#queue .queue-count').textContent());
    const before = await count();
    expect(before).toBeGreaterThan(0);
    const item = page.locator('#queue ol.queue > li').first();
    const criterion = (await item.getAttribute('data-criterion'))!;
    const auditRows = page.locator('#audit tbody tr');
    const rowsBefore = await auditRows.count();

    // Refused input: one sentence where the form is, nothing recorded.
    await item.locator('summary').click();
    await item.locator('textarea[name=reason]').fill('The handbook says so.');
    await item.locator('input[name=expires]').fill('2020-01-01');
    await item.locator('button[type=submit]').click();
    await expect
      .poll(() => item.locator('.form-error').textContent())
      .toMatch(/^Expiry date must be in the future \(got 2020-01-01\)\.$/);
    expect(await count()).toBe(before);
    expect(await auditRows.count()).toBe(rowsBefore);

    await item.locator('input[name=expires]').fill('');
    await item.locator('button[type=submit]').click();
    await expect.poll(count).toBe(before - 1);
    expect(await page.locator(`#queue li[data-criterion="${criterion}"]`).count()).toBe(0);
    const row = page.locator('#audit tbody tr').first();
    expect(await row.getAttribute('data-kind')).toBe('attest');
    const text = await row.textContent();
    expect(text).toContain(criterion);
    expect(text).toContain('dana');
    expect(text).toContain('The handbook says so.');
    expect(await page.locator('#notice').textContent()).toMatch(/Recorded #\d+: attested/);
    expect(await auditRows.count()).toBe(rowsBefore + 1);
    // What the page says is what the store holds.
    const trail = await store.decisions((await store.getAccount('acme')).id);
    expect(trail.at(-1)).toMatchObject({ kind: 'attest', actor: 'dana', token: 'dana' });
    expect(`${trail.at(-1)!.model}/${trail.at(-1)!.criterionId}`).toBe(criterion);
    expect(faults).toEqual([]);
  });

  it('decides a layer level and shows it beside the suggested one; the chart marks it', async () => {
    const page = await signedIn('reviewer');
    await page.goto(`${server.url}/accounts/acme`);
    const layer = page.locator('#l-ftworks-metrics');
    const suggested = Number(await layer.locator('select[name=level]').inputValue());
    const decided = suggested + 1;
    await layer.locator('summary').click();
    await layer.locator('select[name=level]').selectOption(String(decided));
    await layer.locator('textarea[name=reason]').fill('Targets are reviewed monthly with finance.');
    await layer.locator('button[type=submit]').click();
    const ladder = page.locator('#first-screen .ladder', { hasText: 'Metrics' });
    await expect
      .poll(() => ladder.textContent())
      .toMatch(new RegExp(`Decided: \\w+ \\(${decided}\\) by dana.*suggest.*\\(${suggested}\\)`));
    expect(await page.locator('#audit tbody tr').first().getAttribute('data-kind')).toBe(
      'override',
    );

    // A criterion of that layer shows the decision, and its chart marks when it was made.
    await page.click('#l-ftworks-metrics a[href$="/criteria/ftworks/csat-collected"]');
    await page.waitForURL(/\/criteria\/ftworks\/csat-collected$/);
    expect(await page.locator('#criterion-layer').textContent()).toMatch(
      new RegExp(`Decided: \\w+ \\(${decided}\\)`),
    );
    expect(await page.locator('.chart-words').first().textContent()).toMatch(
      /marked: .*override by dana \(metrics\)/,
    );
    expect(faults).toEqual([]);
  });

  it("attests on a criterion's page: its status, the header count and its decisions follow", async () => {
    const page = await signedIn('reviewer');
    await page.goto(`${server.url}/accounts/acme`);
    await page.locator('#queue ol.queue > li').nth(1).locator('a').first().click();
    await page.waitForURL(/\/criteria\//);
    const head = page.locator('#criterion-head');
    expect(await head.textContent()).toMatch(/\? undecided/);
    const before = Number(await head.locator('.queue-count').textContent());
    const form = page.locator('form[data-kind="attest"]');
    await form.locator('textarea[name=reason]').fill('The three-year plan was approved in March.');
    await form.locator('input[name=evidence]').fill('https://wiki.example/support-plan');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => head.textContent()).toMatch(/✓ met/);
    expect(await head.textContent()).toMatch(/Attested in place by dana/);
    expect(Number(await head.locator('.queue-count').textContent())).toBe(before - 1);
    const row = page.locator('#criterion-decisions tbody tr').first();
    expect(await row.textContent()).toContain('The three-year plan was approved in March.');
    expect(await row.locator('a[href="https://wiki.example/support-plan"]').count()).toBe(1);
    expect(await form.locator('textarea[name=reason]').inputValue()).toBe('');
    expect(faults).toEqual([]);
  });

  it('draws a metric over the snapshots with uPlot: the threshold as its own series', async () => {
    const page = await signedIn('viewer');
    await page.goto(`${server.url}/accounts/acme/criteria/ftworks/kb-articles-refreshed-12m`);
    await page.locator('.uchart canvas').first().waitFor();
    const series = await page.evaluate(() =>
      (
        window as unknown as { maturityCharts: { series: { label?: string }[] }[] }
      ).maturityCharts.map((u) => u.series.map((s) => s.label ?? '')),
    );
    const freshness = series.find((labels) => labels.includes('Knowledge freshness'));
    expect(freshness).toBeDefined();
    expect(freshness!.some((l) => /^Threshold 60% \(Processes L3\)$/.test(l))).toBe(true);
    expect(await page.locator('.u-legend').first().textContent()).toMatch(/Threshold/);
    // The rules changed between the first two snapshots: the chart says so in words too.
    expect(await page.locator('.chart-words').allTextContents()).toContainEqual(
      expect.stringMatching(new RegExp(`over 3 snapshots: .*marked: .*rules ${version}`)),
    );
    expect(await page.locator('#criterion-evidence').textContent()).toMatch(
      /95% interval [\d.]+%–[\d.]+%/,
    );
    expect(faults).toEqual([]);
  });

  it('draws no chart of a single snapshot, and says its value and threshold in words', async () => {
    const page = await signedIn('viewer');
    await page.goto(`${server.url}/accounts/globex/criteria/ftworks/kb-articles-refreshed-12m`);
    const figure = page.locator('figure.metric-chart', { hasText: 'Knowledge freshness' });
    expect(await figure.locator('figcaption').textContent()).toMatch(
      /on the only snapshot so far \(a chart over time follows from the second\)/,
    );
    expect(await page.locator('.uchart').count()).toBe(0);
    expect(await figure.locator('.chart-words').textContent()).toMatch(
      /^Knowledge freshness on the only snapshot: [\d.]+% on \d+ \w+ \d{4}; threshold 60% \(Processes L3\)/,
    );
    expect(faults).toEqual([]);
  });

  it('lists the history with its diff in words and where the rules changed', async () => {
    const page = await signedIn('viewer');
    await page.goto(`${server.url}/accounts/acme`);
    await page.click('a[href$="/history"]');
    await page.waitForURL(/\/history$/);
    const snapshots = page.locator('li.snapshot');
    expect(await snapshots.count()).toBe(3);
    const newest = (await snapshots.nth(0).textContent())!;
    expect(newest).toMatch(/Processes 2→3: knowledge freshness [\d.]+%→[\d.]+% crossed 60%/);
    expect(newest).toMatch(/Strategy 1→2: attested by dana/);
    expect(await snapshots.nth(1).textContent()).toMatch(/⟳ Rules changed/);
    expect(await snapshots.nth(2).textContent()).toMatch(/rules 1\.9\.0/);
    expect(faults).toEqual([]);
  });

  it('needs no horizontal scrolling at 390 px', async () => {
    const page = await signedIn('reviewer', { width: 390, height: 844 });
    for (const path of [
      '/',
      '/accounts/acme',
      '/accounts/acme/criteria/ftworks/kb-articles-refreshed-12m',
      '/accounts/acme/history',
    ]) {
      await page.goto(`${server.url}${path}`);
      if (path.includes('/criteria/')) await page.locator('.uchart canvas').first().waitFor();
      const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(390);
    }
    expect(faults).toEqual([]);
  });

  it('lets a viewer read but not decide', async () => {
    const page = await signedIn('viewer');
    await page.goto(`${server.url}/accounts/acme`);
    expect(await page.locator('form.decision-form').count()).toBe(0);
    expect(await page.locator('#queue').textContent()).toMatch(/reviewer token to decide/);
    const res = await page.request.post(`${server.url}/accounts/acme/decide/attest`, {
      form: { criterion: 'ftworks/yearly-support-goals', reason: 'no' },
      headers: { origin: new URL(server.url).origin },
    });
    expect(res.status()).toBe(403);
    expect(await res.text()).toMatch(/viewer token; this needs a reviewer token/);
  });
});
