import { loadConnector } from '../../connectors/index.js';
import type { HttpClientOptions } from '../../connectors/shared/http-client.js';
import {
  runSync,
  type StreamOutcome,
  type SyncProgress,
} from '../../connectors/shared/run-sync.js';
import { MaturityError } from '../errors.js';
import type { SecretBox } from '../store/secrets.js';
import type { Account, Store } from '../store/store.js';
import { storeSyncSink } from '../store/sync-sink.js';

export interface SyncAccountOptions {
  box: SecretBox;
  streams?: string[];
  onProgress?: (p: SyncProgress) => void;
  onWait?: HttpClientOptions['onWait'];
  clientOptions?: Partial<HttpClientOptions>;
  signal?: AbortSignal;
  /**
   * The history a snapshot's window needs (its start; `null`: all history). Streams that read by
   * start time backfill what the account lacks. Undefined (`maturity sync`): no requirement.
   */
  historyFrom?: Date | null;
  /** Another sync holds a stream of this account: this one waits for it (runSync's onBusy). */
  onBusy?: (stream: string) => void;
  /** Streams run at once (runSync's concurrency; default SYNC_CONCURRENCY). */
  concurrency?: number;
}

/**
 * Streams a sync runs side by side: the queued flow runs them all in parallel; inline, three
 * overlap one stream's rate-limit waits (Zendesk's incremental exports) with the others' requests.
 */
export const SYNC_CONCURRENCY = 3;

/** Pulls every stream of a connected account into the store; marks the account on auth failure. */
export async function syncAccount(
  store: Store,
  account: Account,
  o: SyncAccountOptions,
): Promise<StreamOutcome[]> {
  const connector = await loadConnector(account.connector);
  if (!connector) {
    throw new MaturityError(
      'E_INPUT',
      `account "${account.name}" was ${account.connector === 'records' ? 'imported from files' : `made with connector ${account.connector}`}; there is nothing to sync`,
    );
  }
  const sealed = await store.accountSecret(account.id);
  if (!sealed)
    throw new MaturityError(
      'E_CONNECTOR_AUTH',
      `account "${account.name}" has no stored credentials; run maturity connect … --update`,
    );
  const config = connector.configSchema.parse(account.config);
  const secret = connector.secretSchema.parse(o.box.open(sealed));
  const client = connector.createClient(config, secret, {
    ...o.clientOptions,
    ...(o.onWait ? { onWait: o.onWait } : {}),
  });
  try {
    return await runSync({
      sink: storeSyncSink(store, account.id),
      connector,
      config,
      client,
      ...(o.streams ? { streams: o.streams } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.historyFrom !== undefined ? { historyFrom: o.historyFrom } : {}),
      ...(o.onBusy ? { onBusy: o.onBusy } : {}),
      concurrency: o.concurrency ?? SYNC_CONCURRENCY,
    });
  } catch (err) {
    if (err instanceof MaturityError && err.code === 'E_CONNECTOR_AUTH') {
      await store.setAccountStatus(account.id, 'needs-attention', err.message);
    }
    throw err;
  }
}
