import type { RuleSet } from '../engine/rules-schema.js';
import type { Store } from '../store/store.js';
import type { DecisionMark, HistoryEntry } from './history.js';
import {
  judgeStored,
  reviewedSnapshot,
  type ReviewedOptions,
  type ReviewedSnapshot,
} from './reviewed.js';
import { reviewView, type ReviewView } from './view.js';

/** How many past snapshots the history and the charts read (the most recent ones). */
export const HISTORY_LIMIT = 60;

export interface LoadedReview {
  /** The snapshot shown, judged again with the decisions as they stand. */
  body: ReviewedSnapshot;
  view: ReviewView;
}

/**
 * Reads what a review shows from the store: the snapshot (by id, as of a date, or the latest)
 * judged again with the decisions, the snapshots up to it (each as stored and as judged again
 * under the rules at hand) for the history and the charts, and the decisions for the chart
 * markers. Everything after this is plain functions of the data (view.ts).
 */
export async function loadReview(
  store: Store,
  accountName: string,
  o: ReviewedOptions & { rules: RuleSet; historyLimit?: number },
): Promise<LoadedReview> {
  const body = await reviewedSnapshot(store, accountName, o);
  const account = await store.getAccount(accountName);
  const listed = await store.listSnapshots(account.id);
  const upTo = listed.filter((s) => new Date(s.asOf).getTime() <= Date.parse(body.asOf));
  const recent = upTo.slice(-(o.historyLimit ?? HISTORY_LIMIT));
  const history: HistoryEntry[] = [];
  // One read of the trail for the whole history; each snapshot read once.
  const trail = await store.decisions(account.id);
  const now = o.now ?? new Date();
  for (const s of recent) {
    const stored = await store.findSnapshot(account.id, { id: s.id });
    if (!stored) continue;
    const current =
      s.id === body.reviewed.snapshotId
        ? body
        : await judgeStored(store, account.id, stored, { rules: o.rules, now, trail });
    history.push({ id: s.id, stored: stored.body, current });
  }
  const at = history.findIndex((h) => h.id === body.reviewed.snapshotId);
  const previous = at > 0 ? history[at - 1]?.current : undefined;
  const decisions: DecisionMark[] = (await store.decisions(account.id)).map((d) => ({
    at: d.at,
    kind: d.kind,
    actor: d.actor,
    ...(d.model ? { model: d.model } : {}),
    ...(d.layer ? { layer: d.layer } : {}),
    ...(d.criterionId ? { criterionId: d.criterionId } : {}),
  }));
  const view = reviewView({
    body,
    rules: o.rules,
    ...(previous ? { previous } : {}),
    history,
    decisions,
  });
  return { body, view };
}
