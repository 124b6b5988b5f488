import type { SnapshotBody } from '../../domain/evidence.js';
import { MaturityError } from '../../errors.js';
import { listDecisions, pendingIn, type PendingCriterion } from '../../review/decisions.js';
import type { HistoryEntry } from '../../review/history.js';
import { loadReview } from '../../review/load.js';
import { reviewedSnapshot, type ReviewedSnapshot } from '../../review/reviewed.js';
import { summarise, type Summary } from '../../review/summary.js';
import type { ReviewView } from '../../review/view.js';
import type { ListedDecision } from '../../domain/decisions.js';
import type { Account, SnapshotEntry } from '../../store/store.js';
import type { PageDeps } from './deps.js';

/** A snapshot older than this is marked stale: a nightly run has been missed. */
export const STALE_HOURS = 36;

export interface Freshness {
  /** fresh: recent and complete; stale: older than 36 h; partial: some sources failed; none. */
  states: ('fresh' | 'stale' | 'partial' | 'none')[];
  words: string[];
}

/** One account of the portfolio: its latest snapshot, read with the decisions as they stand. */
export interface PortfolioEntry {
  account: Account;
  body?: ReviewedSnapshot;
  summary?: Summary;
  pending?: number;
  freshness: Freshness;
}

export async function portfolio(deps: PageDeps): Promise<PortfolioEntry[]> {
  const now = deps.now?.() ?? new Date();
  const accounts = await deps.store.listAccounts();
  const out: PortfolioEntry[] = [];
  for (const account of accounts) {
    const body = await latestReviewed(deps, account.name, now);
    if (!body) {
      out.push({ account, freshness: { states: ['none'], words: ['No snapshot yet'] } });
      continue;
    }
    out.push({
      account,
      body,
      summary: summarise({ body, rules: deps.rules }),
      pending: pendingIn(body, deps.rules).length,
      freshness: freshness(body, now),
    });
  }
  return out;
}

/** The latest snapshot judged with the decisions as they stand; none before the first one. */
async function latestReviewed(
  deps: PageDeps,
  name: string,
  now: Date,
): Promise<ReviewedSnapshot | undefined> {
  try {
    return await reviewedSnapshot(deps.store, name, { rules: deps.rules, now });
  } catch (err) {
    if (err instanceof MaturityError && err.code === 'E_NO_SNAPSHOT') return undefined;
    throw err;
  }
}

/** "1 day old (a nightly snapshot was missed)", "Partial: tickets failed to sync". */
export function freshness(body: SnapshotBody, now: Date): Freshness {
  const states: Freshness['states'] = [];
  const words: string[] = [];
  const hours = (now.getTime() - Date.parse(body.asOf)) / 3_600_000;
  if (hours > STALE_HOURS) {
    states.push('stale');
    words.push(
      `Stale: ${hours < 48 ? `${Math.floor(hours)} h` : `${Math.floor(hours / 24)} days`} old`,
    );
  }
  if (body.partial) {
    states.push('partial');
    const failed = body.failedSources?.length ? body.failedSources.join(', ') : 'some sources';
    words.push(`Partial: ${failed} failed to sync`);
  }
  if (!states.length) {
    states.push('fresh');
    words.push(hours < 1 ? 'Fresh: under an hour old' : `Fresh: ${Math.floor(hours)} h old`);
  }
  return { states, words };
}

/** Everything the account page shows. */
export interface AccountPage {
  account: Account;
  snapshots: SnapshotEntry[];
  body?: ReviewedSnapshot;
  view?: ReviewView;
  pending: PendingCriterion[];
  decisions: ListedDecision[];
  freshness?: Freshness;
}

/**
 * The account's latest snapshot with the decisions as they stand and the one before it judged
 * the same way (for the change since), the criteria awaiting review and the decisions.
 */
export async function accountPage(deps: PageDeps, name: string): Promise<AccountPage> {
  const now = deps.now?.() ?? new Date();
  const { store, rules } = deps;
  const account = await store.getAccount(name);
  const snapshots = await store.listSnapshots(account.id);
  const decisions = await listDecisions(store, name, { includeRevoked: true, rules, now });
  if (!snapshots.length) return { account, snapshots, pending: [], decisions };
  const { body, view } = await loadReview(store, name, { rules, now, historyLimit: 2 });
  return {
    account,
    snapshots,
    body,
    view,
    pending: pendingIn(body, rules),
    decisions,
    freshness: freshness(body, now),
  };
}

/** The stored snapshots as the history entries of the review view (no re-judging). */
export async function storedHistory(
  deps: PageDeps,
  account: Account,
  entries: SnapshotEntry[],
): Promise<HistoryEntry[]> {
  const out: HistoryEntry[] = [];
  for (const e of entries) {
    const found = await deps.store.findSnapshot(account.id, { id: e.id });
    if (found) out.push({ id: e.id, stored: found.body });
  }
  return out;
}
