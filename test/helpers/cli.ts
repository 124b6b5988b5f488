import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, onTestFinished } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Store } from '../../src/store/store.js';
import { seedStoreDir } from './store-template.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * A fresh MATURITY_HOME for a series of CLI runs, each run in-process like `maturity …`. Its
 * store starts as a copy of the run's empty migrated one (`fresh: true` leaves no store at all,
 * for tests of what a first command creates).
 *
 * `keepOpen: true` opens the embedded store once and lends it to every run (CliDeps), instead of
 * each command opening and closing it (PGlite's start is most of a command's time). `store()` is
 * that store, for the test to read; `release()` closes it (the next run opens it again), before a
 * run that must open the store itself or another process that needs it. It is released when the
 * test ends (or the file, when the home was made outside a test).
 */
export function cliHome(
  extraEnv: Record<string, string> = {},
  o: { fresh?: boolean; keepOpen?: boolean } = {},
) {
  const home = mkdtempSync(path.join(tmpdir(), 'maturity-'));
  if (!o.fresh) seedStoreDir(path.join(home, 'db'));
  const env = { MATURITY_HOME: home, LOG_LEVEL: 'silent', ...extraEnv };
  let shared: Promise<Store> | undefined;
  const store = () => {
    // Without keepOpen the commands open the store themselves: a second handle would fight them.
    if (!o.keepOpen) throw new Error('cli.store() needs cliHome(env, { keepOpen: true })');
    return (shared ??= Store.open({ dir: path.join(home, 'db') }));
  };
  const release = async () => {
    const s = shared;
    shared = undefined;
    if (s) await (await s).close();
  };
  if (o.keepOpen) {
    try {
      onTestFinished(release);
    } catch {
      afterAll(release);
    }
  }
  return {
    home,
    store,
    release,
    async run(...args: string[]): Promise<CliRun> {
      let out = '';
      let err = '';
      const code = await main(
        ['node', 'maturity', ...args],
        {
          out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`),
          err: (t) => (err += t.endsWith('\n') ? t : `${t}\n`),
          isTty: false,
        },
        env,
        o.keepOpen ? { store } : {},
      );
      return { code, out, err };
    },
  };
}
