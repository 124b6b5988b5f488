/**
 * Screenshots of the review page for the README: `npx tsx test/e2e/screenshots.ts` writes
 * docs/portfolio.png, docs/account.png and docs/criterion.png (1280×800) from the demo
 * portfolio of demo-data.ts, through the real server and Debian's Chromium. Not a test.
 */
import { fileURLToPath } from 'node:url';
import { loadDefaultRules } from '../../src/engine/index.js';
import { Store } from '../../src/store/store.js';
import { chromiumHere, launchChromium } from './browser.js';
import { seedDemo } from './demo-data.js';
import { startServer } from './server.js';

const docs = (file: string) => fileURLToPath(new URL(`../../docs/${file}`, import.meta.url));

if (!chromiumHere) process.exit(1);
const rules = loadDefaultRules();
const store = await Store.open({});
await seedDemo(store, rules);
const server = await startServer(store, rules);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}/login`);
  await page.fill('#token', server.tokens.reviewer);
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('button[type=submit]')]);
  await page.screenshot({ path: docs('portfolio.png') });
  await page.goto(`${server.url}/accounts/acme`);
  await page.screenshot({ path: docs('account.png') });
  await page.goto(`${server.url}/accounts/acme/criteria/ftworks/kb-articles-refreshed-12m`);
  await page.locator('.uchart canvas').first().waitFor();
  await page.locator('.metric-chart').nth(1).scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: docs('criterion.png') });
  console.log('wrote docs/portfolio.png, docs/account.png, docs/criterion.png');
} finally {
  await browser.close();
  await server.app.close();
  await store.close();
}
