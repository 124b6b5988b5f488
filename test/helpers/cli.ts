import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
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
 */
export function cliHome(extraEnv: Record<string, string> = {}, o: { fresh?: boolean } = {}) {
  const home = mkdtempSync(path.join(tmpdir(), 'maturity-'));
  if (!o.fresh) seedStoreDir(path.join(home, 'db'));
  const env = { MATURITY_HOME: home, LOG_LEVEL: 'silent', ...extraEnv };
  return {
    home,
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
      );
      return { code, out, err };
    },
  };
}
