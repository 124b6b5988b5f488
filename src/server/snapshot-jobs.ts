import { randomUUID } from 'node:crypto';
import { Job as BullJob, type Queue } from 'bullmq';
import type { HttpClientOptions } from '../../connectors/shared/http-client.js';
import type { RuleSet } from '../engine/index.js';
import { loadConnector } from '../../connectors/index.js';
import { MaturityError, errorCatalogue, zodSentence } from '../errors.js';
import { snapshotJobData } from '../jobs/handlers.js';
import {
  QUEUES,
  checkRedis,
  closeQuietly,
  enqueueSnapshot,
  queue,
  type QueueSetup,
} from '../jobs/queues.js';
import { syncAndSnapshot } from '../jobs/sync-and-snapshot.js';
import type { SecretBox } from '../store/secrets.js';
import type { Account, ApiJobRow, Store } from '../store/store.js';
import { conflict } from './problem.js';
import type { Job } from './schemas.js';

export interface TriggerOptions {
  asOf?: string;
  window?: string;
  /** False: judge the records already stored, without syncing first. */
  sync?: boolean;
}

export interface JobsDeps {
  store: Store;
  rules: RuleSet;
  box: SecretBox;
  /** Queued mode: BullMQ flows on `maturity worker`s; without it, jobs run in this process. */
  queue?: QueueSetup;
  clientOptions?: Partial<HttpClientOptions>;
  /** Where a job is polled: `${jobsPath}/${encodeURIComponent(id)}`. */
  jobsPath: string;
  log?: (o: object, msg: string) => void;
}

export interface QueueHealth {
  mode: 'inline' | 'queued';
  redis?: 'up' | 'down';
  queues: {
    name: string;
    counts: Record<string, number>;
    workers?: number;
    /** The sync queue pauses while a helpdesk asks it to wait (a rate limit). */
    paused?: boolean;
  }[];
}

type Stored = Omit<Job, 'location'>;

const INLINE_PREFIX = 'inline-';
/** Finished in-process jobs kept for polling (the oldest go first). */
const KEEP_FINISHED = 500;

/**
 * Snapshots asked for through the API. With a queue (REDIS_URL and DATABASE_URL), a snapshot is
 * the same BullMQ flow `maturity snapshot` adds, run by the workers, and its job is the flow's
 * evaluate job. Without one (and for a snapshot without sync), it runs here in the background,
 * one at a time, its record kept in the store (api_jobs) to poll: after a restart, `resume` runs
 * the jobs still waiting and fails, saying so, the one the stop cut short. One server per store
 * runs such jobs.
 */
export class SnapshotJobs {
  private chain: Promise<void> = Promise.resolve();
  private evaluate?: Queue;

  constructor(private readonly deps: JobsDeps) {}

  get mode(): 'inline' | 'queued' {
    return this.deps.queue ? 'queued' : 'inline';
  }

  private located(j: Stored): Job {
    return { ...j, location: `${this.deps.jobsPath}/${encodeURIComponent(j.id)}` };
  }

  async trigger(accountName: string, o: TriggerOptions = {}): Promise<Job> {
    const { store } = this.deps;
    const account = await store.getAccount(accountName);
    if (o.sync !== false) await this.checkAddresses(account);
    if (this.deps.queue && o.sync !== false) {
      const setup = this.deps.queue;
      await checkRedis(setup);
      const data = await snapshotJobData(store, account.name, {
        ...(o.window ? { window: o.window } : {}),
        ...(o.asOf ? { asOf: o.asOf } : {}),
      });
      const day = new Date().toISOString().slice(0, 10);
      // Asked for by hand: always runs (the nightly triggers share one id per day instead).
      const { id } = await enqueueSnapshot(setup, data, day, `|api-${Date.now().toString(36)}`);
      return (await this.get(id)) ?? this.located(queuedView(id, account.name, 'queued'));
    }
    const job: ApiJobRow = {
      id: `${INLINE_PREFIX}${randomUUID()}`,
      account: account.name,
      state: 'queued',
      request: { ...o },
      createdAt: new Date().toISOString(),
    };
    await store.saveApiJob(job);
    this.enqueue(job);
    return this.located(inlineView(job));
  }

  /**
   * After a restart: runs the jobs a stopped server left waiting, in the order they were asked
   * for, and fails the one it was running (a snapshot cut short is not resumed: ask again).
   */
  async resume(): Promise<void> {
    for (const job of await this.deps.store.unfinishedApiJobs()) {
      if (job.state === 'running') {
        await this.deps.store.saveApiJob({
          ...job,
          state: 'failed',
          finishedAt: new Date().toISOString(),
          error: {
            code: null,
            message: 'the server stopped while this snapshot ran; ask for it again',
          },
        });
      } else this.enqueue(job);
    }
  }

  private enqueue(job: ApiJobRow): void {
    this.chain = this.chain.then(() => this.run(job, job.request as TriggerOptions));
  }

  /**
   * The server syncs only hosts its address policy allows, whoever connected the account (the
   * command line allows the operator's private hosts): the account's settings are checked again
   * under the policy before a sync starts. (What a host name resolves to is checked on connect.)
   */
  private async checkAddresses(account: Account): Promise<void> {
    const policy = this.deps.clientOptions?.addresses;
    const connector = policy && (await loadConnector(account.connector));
    if (!policy || !connector) return;
    const r = connector.configSchemaFor(policy).safeParse(account.config);
    if (!r.success)
      throw conflict(
        `account "${account.name}" cannot be synced by this server: its settings.${zodSentence(r.error, { top: 'settings' })} (start the server with --allow-private-addresses to sync it)`,
      );
  }

  private async run(job: ApiJobRow, o: TriggerOptions): Promise<void> {
    const { store } = this.deps;
    job.state = 'running';
    try {
      await store.saveApiJob(job);
      const account = await store.getAccount(job.account);
      const made = await syncAndSnapshot(store, account, {
        box: this.deps.box,
        rules: this.deps.rules,
        ...(o.window ? { window: o.window } : {}),
        ...(o.asOf ? { asOf: o.asOf } : {}),
        sync: o.sync !== false,
        ...(this.deps.clientOptions ? { clientOptions: this.deps.clientOptions } : {}),
      });
      job.result = await resultOf(store, account.id, made.body, made.stored);
      job.state = 'done';
    } catch (err) {
      job.state = 'failed';
      job.error = {
        code: err instanceof MaturityError ? err.code : null,
        message: err instanceof MaturityError ? err.message : 'the snapshot failed unexpectedly',
      };
      this.deps.log?.({ job: job.id, account: job.account, err }, 'snapshot job failed');
    }
    job.finishedAt = new Date().toISOString();
    try {
      await store.saveApiJob(job);
      await store.pruneApiJobs(KEEP_FINISHED);
    } catch (err) {
      this.deps.log?.({ job: job.id, err }, 'could not store the end of a snapshot job');
    }
  }

  /** The job, or undefined when there is none of that id (or it has been forgotten). */
  async get(id: string): Promise<Job | undefined> {
    if (id.startsWith(INLINE_PREFIX)) {
      const j = await this.deps.store.findApiJob(id);
      return j && this.located(inlineView(j));
    }
    if (!this.deps.queue) return undefined;
    this.evaluate ??= queue(this.deps.queue, QUEUES.evaluate);
    // The state first, then the job (as waitForSnapshot does): a job read before it completed
    // holds no result or finishing time.
    const state = await this.evaluate.getJobState(id);
    if (state === 'unknown') return undefined;
    const job = await BullJob.fromId(this.evaluate, id);
    if (!job) return undefined;
    const data = job.data as { account?: string; accountId?: number };
    const view = queuedView(id, data.account ?? '', stateOf(state), job.timestamp);
    if (state === 'completed') {
      // What the evaluate worker returns (src/jobs/worker.ts).
      const value = job.returnvalue as { asOf?: string; partial?: boolean; stored?: boolean };
      if (value?.asOf && data.accountId !== undefined)
        view.result = await resultOf(
          this.deps.store,
          data.accountId,
          { asOf: value.asOf, partial: value.partial === true },
          value.stored !== false,
        );
      if (job.finishedOn) view.finishedAt = new Date(job.finishedOn).toISOString();
    }
    if (state === 'failed') {
      const coded = /^(E_[A-Z_]+): (.*)$/s.exec(job.failedReason ?? '');
      view.error =
        coded && coded[1]! in errorCatalogue
          ? { code: coded[1]!, message: coded[2]! }
          : { code: null, message: job.failedReason || 'the snapshot failed' };
      if (job.finishedOn) view.finishedAt = new Date(job.finishedOn).toISOString();
    }
    return this.located(view);
  }

  async health(): Promise<QueueHealth> {
    if (!this.deps.queue)
      return { mode: 'inline', queues: [{ name: 'inline', counts: await this.inlineCounts() }] };
    const setup = this.deps.queue;
    try {
      await checkRedis(setup, 2000);
    } catch {
      return { mode: 'queued', redis: 'down', queues: [] };
    }
    const queues = await Promise.all(
      Object.values(QUEUES).map(async (name) => {
        const q = queue(setup, name);
        try {
          const counts = await q.getJobCounts(
            'waiting',
            'waiting-children',
            'active',
            'delayed',
            'completed',
            'failed',
            'prioritized',
          );
          return { name, counts, workers: await q.getWorkersCount(), paused: await q.isPaused() };
        } finally {
          await closeQuietly(q);
        }
      }),
    );
    return { mode: 'queued', redis: 'up', queues };
  }

  private async inlineCounts(): Promise<Record<string, number>> {
    return { queued: 0, running: 0, done: 0, failed: 0, ...(await this.deps.store.apiJobCounts()) };
  }

  /** Waits for the in-process jobs (up to `ms`), then lets go of the queue client. */
  async close(ms = 30_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.chain,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
    ]).finally(() => clearTimeout(timer));
    if (this.evaluate) await closeQuietly(this.evaluate);
  }
}

/** A stored in-process job as the API shows it. */
function inlineView(j: ApiJobRow): Stored {
  return {
    id: j.id,
    kind: 'snapshot',
    account: j.account,
    mode: 'inline',
    state: j.state,
    createdAt: j.createdAt,
    ...(j.finishedAt ? { finishedAt: j.finishedAt } : {}),
    ...(j.result ? { result: j.result as Job['result'] } : {}),
    ...(j.error ? { error: j.error } : {}),
  };
}

function stateOf(state: string): Job['state'] {
  if (state === 'completed') return 'done';
  if (state === 'failed') return 'failed';
  if (state === 'active' || state === 'waiting-children') return 'running';
  return 'queued';
}

function queuedView(id: string, account: string, state: Job['state'], at?: number): Stored {
  return {
    id,
    kind: 'snapshot',
    account,
    mode: 'queued',
    state,
    createdAt: new Date(at ?? Date.now()).toISOString(),
  };
}

/** What a finished snapshot job made: the stored snapshot's id when it was kept. */
async function resultOf(
  store: Store,
  accountId: number,
  body: { asOf: string; partial: boolean },
  stored: boolean,
): Promise<NonNullable<Job['result']>> {
  const asOf = new Date(body.asOf).getTime();
  const entry = stored
    ? (await store.listSnapshots(accountId)).find((s) => new Date(s.asOf).getTime() === asOf)
    : undefined;
  return {
    stored,
    asOf: new Date(body.asOf).toISOString(),
    partial: body.partial,
    ...(entry ? { snapshotId: entry.id } : {}),
  };
}
