import { loadConnector } from '../../connectors/index.js';
import type { SyncProgress } from '../../connectors/shared/run-sync.js';
import type { HttpClientOptions } from '../../connectors/shared/http-client.js';
import type { RuleSet } from '../engine/index.js';
import type { SecretBox } from '../store/secrets.js';
import type { Account, Store } from '../store/store.js';
import { historyNeeded } from './history-needed.js';
import { syncAccount } from './sync-account.js';
import { snapshotAndSave, type EvaluatedSnapshot, type FailedStream } from './take-snapshot.js';

export interface SyncAndSnapshotOptions {
  box: SecretBox;
  rules: RuleSet;
  asOf?: string;
  window?: string;
  /** False: snapshot the stored records without syncing first. */
  sync?: boolean;
  onProgress?: (p: SyncProgress) => void;
  onWait?: HttpClientOptions['onWait'];
  clientOptions?: Partial<HttpClientOptions>;
  now?: Date;
}

/**
 * The inline snapshot: sync every stream of a connected account (backfilling the history the
 * window needs), then records ► metrics ► levels ► stored snapshot. A stream that fails leaves
 * its stored records as evidence and the snapshot partial; when every stream failed, it throws
 * E_SYNC_FAILED and stores nothing.
 */
export async function syncAndSnapshot(
  store: Store,
  account: Account,
  o: SyncAndSnapshotOptions,
): Promise<EvaluatedSnapshot & { failed: FailedStream[] }> {
  const connector = await loadConnector(account.connector);
  let streams: string[] | undefined;
  let failed: FailedStream[] = [];
  if (connector && o.sync !== false) {
    const outcomes = await syncAccount(store, account, {
      box: o.box,
      historyFrom: historyNeeded(o.window, o.asOf, o.now),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.onWait ? { onWait: o.onWait } : {}),
      ...(o.clientOptions ? { clientOptions: o.clientOptions } : {}),
    });
    streams = outcomes.map((s) => s.stream);
    failed = outcomes
      .filter((s) => !s.ok)
      .map((s) => ({
        stream: s.stream,
        kinds: connector.streams.find((d) => d.name === s.stream)?.kinds ?? [],
        ...(s.error ? { error: s.error.message } : {}),
      }));
  }
  const made = await snapshotAndSave(store, account, {
    rules: o.rules,
    ...(o.asOf ? { asOf: o.asOf } : {}),
    ...(o.window ? { window: o.window } : {}),
    ...(o.now ? { now: o.now } : {}),
    ...(streams ? { streams } : {}),
    failed,
  });
  return { ...made, failed };
}
