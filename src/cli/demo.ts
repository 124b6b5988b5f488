import { z } from 'zod';
import { zendesk } from '../../connectors/zendesk/index.js';
import { profileNames, profiles } from '../demo/profiles.js';
import { MaturityError } from '../errors.js';
import { connectAccount } from '../jobs/connect-account.js';
import { syncAccount } from '../jobs/sync-account.js';
import { takeSnapshot } from '../jobs/take-snapshot.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { startZendeskSimulator } from '../simulator/index.js';
import type { CliContext } from './context.js';
import { oneOf, parseFlags, share, wholeNumber } from './flags.js';
import { syncProgressReporter } from './progress.js';

export const DemoFlags = z.object({
  profile: oneOf(profileNames).default('managed'),
  tickets: wholeNumber(0, 2_000_000).default(5000),
  json: z.boolean().default(false),
  /** Simulate Zendesk's rate limit: one 429 after this many requests per endpoint family. */
  rateLimit: wholeNumber(1, 100_000).optional(),
  /** Share of requests the simulator answers with a fault (5xx, reset, truncated body). */
  faults: share(0, 0.5).default(0),
  seed: wholeNumber(0, 2 ** 31).default(42),
});
export type DemoFlags = z.infer<typeof DemoFlags>;

/**
 * The whole product on the embedded default, no service needed: starts the built-in Zendesk
 * simulator on loopback with the chosen profile's organisation, connects to it through the real
 * Zendesk connector, syncs (with progress), snapshots and prints the report.
 */
export async function demoCommand(ctx: CliContext, rawFlags: unknown): Promise<void> {
  const {
    profile,
    tickets,
    rateLimit: perWindow,
    faults: faultRate,
    seed,
    json,
  } = parseFlags(DemoFlags, rawFlags);
  const rules = ctx.rules();
  const store = await ctx.openStore();
  const name = `demo-${profile}`;
  const now = new Date();
  ctx.io.err(
    `demo: starting a simulated Zendesk with the "${profile}" organisation (${profiles[profile].description}), ${tickets} tickets…`,
  );
  const sim = await startZendeskSimulator({
    profile,
    tickets,
    now,
    seed,
    ...(perWindow ? { rateLimit: { perWindow, retryAfterSeconds: 1 } } : {}),
    ...(faultRate ? { faults: { rate: faultRate } } : {}),
  });
  const reporter = syncProgressReporter(ctx.io);
  let stopped: ReturnType<typeof reporter.stop> | undefined;
  const progress = { ...reporter, stop: () => (stopped ??= reporter.stop()) };
  try {
    // A demo account is rebuilt from scratch each run, so its figures never mix with older runs.
    await store.removeAccount(name);
    const { account, identity } = await connectAccount(store, zendesk, {
      name,
      config: {
        subdomain: 'demo',
        baseUrl: sim.url,
        // The simulator has no export limit unless --rate-limit asks for one.
        incrementalPerMinute: 100_000,
      },
      secret: sim.credentials,
      box: ctx.secretBox(),
    });
    ctx.io.err(`demo: connected to ${identity}; syncing…`);
    const started = Date.now();
    const outcomes = await syncAccount(store, account, {
      box: ctx.secretBox(),
      onProgress: progress.onProgress,
      onWait: progress.onWait,
      clientOptions: { backoffMs: 50 },
    });
    const waited = progress.stop();
    const failed = outcomes.filter((x) => !x.ok);
    if (failed.length) {
      throw new MaturityError(
        'E_CONNECTOR_UNAVAILABLE',
        `demo sync failed: ${failed.map((f) => `${f.stream} (${f.error?.message})`).join('; ')}`,
      );
    }
    const records = outcomes.reduce((n, x) => n + x.records, 0);
    const pages = outcomes.reduce((n, x) => n + x.pages, 0);
    const seconds = (Date.now() - started) / 1000;
    ctx.io.err(
      `demo: synced ${records} records in ${pages} pages over ${sim.stats.requests} requests in ${seconds.toFixed(1)} s` +
        ` (${Math.round(records / Math.max(seconds, 0.001))} records/s; ${waited.waits} waits` +
        `${sim.stats.rateLimited ? `, ${sim.stats.rateLimited} rate-limited` : ''}` +
        `${faultsText(sim.stats.faults)}); computing the snapshot…`,
    );
    const body = await takeSnapshot(store, account, { rules, now });
    ctx.io.out(json ? JSON.stringify(body, null, 2) : renderMarkdown(body, { rules }));
  } finally {
    progress.stop();
    await sim.close();
  }
}

function faultsText(f: Record<string, number>): string {
  const n = Object.values(f).reduce((a, b) => a + b, 0);
  return n
    ? `, ${n} faults survived (${Object.entries(f)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')})`
    : '';
}
