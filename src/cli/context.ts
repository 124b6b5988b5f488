import { loadConfig, type Config } from '../config.js';
import { loadDefaultRules, type RuleSet } from '../engine/index.js';
import { MaturityError } from '../errors.js';
import { secretBoxFor, type SecretBox } from '../store/secrets.js';
import { Store } from '../store/store.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal (progress bars only then). */
  isTty: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTty: Boolean(process.stderr.isTTY),
};

/** What every command gets: env-derived config, a lazily opened store, the rules. */
export class CliContext {
  private store?: Store;
  readonly config: Config;

  constructor(
    readonly io: Io,
    env: Record<string, string | undefined>,
  ) {
    try {
      this.config = loadConfig(env);
    } catch (err) {
      throw new MaturityError('E_CONFIG', (err as Error).message);
    }
  }

  async openStore(): Promise<Store> {
    this.store ??= await Store.open(
      this.config.DATABASE_URL ? { url: this.config.DATABASE_URL } : { dir: this.config.dbDir },
    );
    return this.store;
  }

  secretBox(): SecretBox {
    return secretBoxFor(this.config.MATURITY_SECRET, this.config.MATURITY_HOME);
  }

  rules(dir?: string): RuleSet {
    return loadDefaultRules(dir);
  }

  async close(): Promise<void> {
    await this.store?.close();
  }
}
