import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOrganisation } from '../../src/demo/generate-org.js';
import { profiles, type ProfileName } from '../../src/demo/profiles.js';
import { defaultRulesDir, loadDefaultRules, type RuleSet } from '../../src/engine/index.js';
import { importRecords } from '../../src/jobs/import-records.js';
import { takeSnapshot, type FailedStream } from '../../src/jobs/take-snapshot.js';
import { recordDecision } from '../../src/review/decisions.js';
import type { Store } from '../../src/store/store.js';

const DAY = 86_400_000;

/**
 * The rules as they were before the current version: the shipped rules under an older version
 * number (loaded by the real rules loader), so the history shows where the rules changed.
 */
export function olderRules(): RuleSet {
  const dir = mkdtempSync(join(tmpdir(), 'maturity-rules-'));
  try {
    cpSync(defaultRulesDir, dir, { recursive: true });
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^version: .*$/m, 'version: 1.9.0'));
    return loadDefaultRules(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function snapshotOf(
  store: Store,
  name: string,
  profile: ProfileName,
  at: Date,
  o: { rules: RuleSet; seed?: number; failed?: FailedStream[] },
) {
  const batch = generateOrganisation(profiles[profile], {
    tickets: 300,
    now: at,
    seed: o.seed ?? 7,
  });
  const { account } = await importRecords(store, name, batch);
  return takeSnapshot(store, account, {
    rules: o.rules,
    asOf: at,
    window: '90d',
    now: at,
    ...(o.failed ? { streams: ['tickets', 'satisfaction_ratings'], failed: o.failed } : {}),
  });
}

/**
 * A small portfolio made through the real code (generated organisations imported as records,
 * snapshots judged by the engine, a decision recorded like any reviewer's):
 * - `acme`: three snapshots — a Structured organisation two months ago under the older rules, the
 *   same a month ago under the current rules, a Managed one now — and an attestation by Dana;
 * - `globex`: a Structured organisation whose only snapshot is three days old (stale);
 * - `initech`: a start-up whose latest snapshot is partial (its ratings failed to sync).
 */
export async function seedDemo(store: Store, rules: RuleSet, now = new Date()): Promise<void> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  await snapshotOf(store, 'acme', 'structured', ago(60), { rules: olderRules() });
  await snapshotOf(store, 'acme', 'structured', ago(30), { rules });
  await recordDecision(
    store,
    'acme',
    {
      kind: 'attest',
      criterion: 'ftworks/yearly-support-goals',
      reason: 'The 2026 support goals are in the team handbook and reviewed each quarter.',
      since: ago(20).toISOString().slice(0, 10),
    },
    { name: 'dana' },
    { rules, now: ago(20) },
  );
  await snapshotOf(store, 'acme', 'managed', now, { rules });
  await snapshotOf(store, 'globex', 'structured', ago(3), { rules, seed: 11 });
  await snapshotOf(store, 'initech', 'bootstrap', now, {
    rules,
    seed: 13,
    failed: [
      {
        stream: 'satisfaction_ratings',
        kinds: ['satisfactionRatings'],
        error: 'the helpdesk answered 503',
      },
    ],
  });
}
