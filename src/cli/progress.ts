import cliProgress from 'cli-progress';
import type { SyncProgress } from '../../connectors/shared/run-sync.js';
import type { Io } from './context.js';

/**
 * Sync progress on stderr: a live bar per stream on a terminal, a line every few seconds
 * otherwise (CI logs, pipes). Rate-limit waits are counted and shown.
 */
export function syncProgressReporter(io: Io) {
  let waits = 0;
  let waitedMs = 0;
  const started = Date.now();
  if (io.isTty) {
    const bars = new cliProgress.MultiBar(
      {
        format:
          ' {stream} | {records} records | {pages} pages | {quarantined} quarantined | waits {waits} | {state}',
        hideCursor: true,
        clearOnComplete: false,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_grey,
    );
    const byStream = new Map<string, cliProgress.SingleBar>();
    return {
      onProgress(p: SyncProgress) {
        let bar = byStream.get(p.stream);
        const payload = { ...p, waits, state: p.done ? 'done' : 'syncing' };
        if (!bar) {
          bar = bars.create(1, 0, payload);
          byStream.set(p.stream, bar);
        }
        bar.update(p.done ? 1 : 0, payload);
      },
      onWait(e: { ms: number }) {
        waits++;
        waitedMs += e.ms;
      },
      stop() {
        bars.stop();
        return { waits, waitedMs, seconds: (Date.now() - started) / 1000 };
      },
    };
  }
  let last = 0;
  return {
    onProgress(p: SyncProgress) {
      if (p.done || Date.now() - last > 5000) {
        last = Date.now();
        io.err(
          `sync ${p.stream}: ${p.records} records, ${p.pages} pages${p.quarantined ? `, ${p.quarantined} quarantined` : ''}${p.done ? ' (done)' : ''}`,
        );
      }
    },
    onWait(e: { ms: number }) {
      waits++;
      waitedMs += e.ms;
    },
    stop() {
      return { waits, waitedMs, seconds: (Date.now() - started) / 1000 };
    },
  };
}
