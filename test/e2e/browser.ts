import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumHere = existsSync(CHROMIUM);
if (!chromiumHere) {
  if (process.env.CI)
    throw new Error(`Chromium is required under CI=true but ${CHROMIUM} does not exist`);
  console.warn(
    `\n!!! Chromium not found at ${CHROMIUM} (apt-get install chromium): the review page's end-to-end tests are SKIPPED !!!\n`,
  );
}

/**
 * Headless Chromium with a fresh temporary profile (playwright's default), nothing of its own
 * reaching the network: no sync, no component updates, no background fetches.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
