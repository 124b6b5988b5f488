import type { Io } from './io.js';
import { loadConfig, type Config } from '../config.js';
import { loadDefaultRules, type RuleSet } from '../engine/index.js';
import { MaturityError } from '../errors.js';
import { secretBoxFor, type SecretBox } from '../store/secrets.js';
import { Store } from '../store/store.js';
import { redisConnection, type QueueSetup } from '../jobs/queues.js';

/** What every command gets: env-derived config, a lazily opened store, the rules. */
export type { Io } from './io.js';

/**
 * Tests only: a store the caller opened and keeps open across commands (the command neither opens
 * nor closes the embedded store itself), so a test of many commands pays PGlite's start once.
 */
export interface CliDeps {
  store?: () => Promise<Store>;
}

export class CliContext {
  private store?: Store;
  readonly config: Config;

  constructor(
    readonly io: Io,
    private readonly env: Record<string, string | undefined>,
    /** The command line after `maturity` (its words name this command to another that waits). */
    private readonly args: readonly string[] = [],
    private readonly deps: CliDeps = {},
  ) {
    try {
      this.config = loadConfig(env);
    } catch (err) {
      throw new MaturityError('E_CONFIG', (err as Error).message);
    }
  }

  /**
   * The store, opened on first use. The embedded store is held by one command at a time: another
   * command that holds it is named once on stderr while this one waits MATURITY_STORE_WAIT
   * seconds, then fails with E_STORE_BUSY (src/store/lock-store.ts). `serving`: this command is
   * `maturity serve` answering there; another command then fails at once, pointing at the API.
   */
  async openStore(o: { serving?: string } = {}): Promise<Store> {
    if (this.deps.store) {
      if (this.config.DATABASE_URL)
        throw new Error('a lent store (tests only) and DATABASE_URL cannot be used together');
      return this.deps.store();
    }
    this.store ??= await Store.open(
      this.config.DATABASE_URL
        ? { url: this.config.DATABASE_URL }
        : {
            dir: this.config.dbDir,
            lock: {
              command: this.commandWords(),
              waitMs: this.config.MATURITY_STORE_WAIT * 1000,
              onWait: (line) => this.io.err(`maturity: ${line}`),
              ...(o.serving ? { serving: o.serving } : {}),
            },
          },
    );
    return this.store;
  }

  /** `maturity sync acme`: the words before the first flag (flags may carry credentials). */
  private commandWords(): string {
    const first = this.args.findIndex((a) => a.startsWith('-'));
    const words = first === -1 ? this.args : this.args.slice(0, first);
    return ['maturity', ...words].join(' ').slice(0, 200);
  }

  /** Queued mode: Redis for the queues, PostgreSQL for the data every worker process shares. */
  queueSetup(): QueueSetup {
    if (!this.config.REDIS_URL)
      throw new MaturityError('E_CONFIG', 'REDIS_URL is not set: queued mode needs Redis');
    if (!this.config.DATABASE_URL) {
      throw new MaturityError(
        'E_CONFIG',
        'REDIS_URL is set but DATABASE_URL is not: workers in several processes must share PostgreSQL (the embedded store serves one process)',
      );
    }
    return {
      connection: redisConnection(this.config.REDIS_URL),
      ...(this.queuePrefix ? { prefix: this.queuePrefix } : {}),
    };
  }

  /** Tests run several deployments on one Redis: MATURITY_QUEUE_PREFIX keeps them apart. */
  get queuePrefix(): string | undefined {
    return this.env.MATURITY_QUEUE_PREFIX;
  }

  /**
   * After a successful connect: in queued mode the account gets its nightly schedule at once;
   * otherwise `maturity worker` gives it one when it starts. Returns a line for the user.
   */
  async scheduleNewAccount(accountName: string): Promise<string> {
    if (!this.config.REDIS_URL || !this.config.DATABASE_URL) return '';
    const { ensureDefaultSchedule } = await import('../jobs/schedules.js');
    const s = await ensureDefaultSchedule(await this.openStore(), this.queueSetup(), accountName);
    return s
      ? `; nightly snapshots on "${s.cron}" (${s.tz}), change with: maturity schedule ${accountName}`
      : '';
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
