import { randomUUID } from 'node:crypto';
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { MaturityError } from '../errors.js';

/** What a lock file says about the command holding the embedded store. */
export interface StoreHolder {
  pid: number;
  /** The command line's words before its first flag (no credentials): `maturity sync acme`. */
  command: string;
  host: string;
  startedAt: string;
  /** Linux: the holder's start time in /proc/<pid>/stat, so a reused pid is not taken for it. */
  procStart?: string;
  /** Tells this holding apart from any other (a takeover removes only the lock it judged). */
  token: string;
  /**
   * `maturity serve`: where its API answers. A server holds the store until stopped, so another
   * command does not wait for it: it fails at once, pointing at the API.
   */
  serving?: string;
}

export interface StoreLockOptions {
  /** This command, shown to a command that finds the store in use. Default `maturity`. */
  command?: string;
  /** How long to wait for another command to let go of the store; default 60 s. */
  waitMs?: number;
  /** Called once, when another command holds the store and this one starts waiting. */
  onWait?: (line: string) => void;
  /** How often to try again while waiting; default 200 ms. */
  pollMs?: number;
  /** A server's API address (`maturity serve`): others fail at once instead of waiting. */
  serving?: string;
}

export interface StoreLock {
  readonly path: string;
  /** Lets go of the store (only if this lock is still the one on disk). Idempotent. */
  release(): void;
}

export const DEFAULT_STORE_WAIT_MS = 60_000;
/** A lock file that does not read (only while a fallback `wx` writer is mid-write) is this old at most. */
const UNREADABLE_GRACE_MS = 5_000;

/**
 * Takes the embedded store's directory for this process alone: two PGlite processes on one data
 * directory corrupt it. The lock is the file `<dir>.lock` beside the directory (owner-only),
 * holding the holder's pid, command, host and start; it is created whole and atomically (written
 * to a private file, then hard-linked into place, which fails if a lock exists). A command that
 * finds the store held says so once (`onWait`) and tries again every `pollMs` for `waitMs`, then
 * fails with E_STORE_BUSY naming the holder. A lock whose holder is dead (a SIGKILLed command, a
 * reused pid on Linux) is stale: it is removed under a short takeover lock, after checking that
 * the file is still the one judged stale, so two waiters never both take the store.
 */
export async function lockStore(dir: string, o: StoreLockOptions = {}): Promise<StoreLock> {
  const lockPath = `${dir}.lock`;
  const waitMs = o.waitMs ?? DEFAULT_STORE_WAIT_MS;
  const me: StoreHolder = {
    pid: process.pid,
    command: o.command ?? 'maturity',
    host: hostname(),
    startedAt: new Date().toISOString(),
    ...procStartOf(process.pid),
    token: randomUUID(),
    ...(o.serving ? { serving: o.serving } : {}),
  };
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    const holder = tryCreate(lockPath, me);
    if (holder === 'held') return heldLock(lockPath, me.token);
    if (holder === 'gone') continue;
    if (isStale(holder)) {
      await takeOver(lockPath, holder);
      continue;
    }
    if (!('unreadable' in holder) && typeof holder.serving === 'string') {
      throw new MaturityError(
        'E_STORE_BUSY',
        `the store at ${dir} is in use by ${describe(holder)}; use the API at ${holder.serving} or stop the server`,
      );
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new MaturityError(
        'E_STORE_BUSY',
        `the store at ${dir} is still in use by ${describe(holder)} after ${seconds(waitMs)}; run this command again when it has finished (MATURITY_STORE_WAIT sets how long to wait)`,
      );
    }
    if (!told) {
      told = true;
      o.onWait?.(
        `the store is in use by ${describe(holder)}; waiting up to ${seconds(waitMs)} for it to finish…`,
      );
    }
    await sleep(Math.min(left, (o.pollMs ?? 200) * (0.75 + Math.random() / 2)));
  }
}

type Found = StoreHolder | { unreadable: true; mtimeMs: number };

/** Creates the lock whole, or reads who holds it ('gone': it vanished meanwhile, try again). */
function tryCreate(lockPath: string, me: StoreHolder): 'held' | 'gone' | Found {
  const text = JSON.stringify(me);
  const mine = `${lockPath}.${me.pid}.${me.token}`;
  try {
    writeFileSync(mine, text, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(mine, lockPath);
      return 'held';
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return readHolder(lockPath);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    }
    // A file system without hard links: create exclusively, then write (a reader may see it
    // empty for an instant; an unreadable lock is taken over only after UNREADABLE_GRACE_MS).
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readHolder(lockPath);
      throw err;
    }
    try {
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return 'held';
  } finally {
    unlinkQuietly(mine);
  }
}

function readHolder(lockPath: string): 'gone' | Found {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(lockPath).mtimeMs;
    text = readFileSync(lockPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  try {
    const h = JSON.parse(text) as Partial<StoreHolder>;
    if (Number.isInteger(h.pid) && typeof h.token === 'string' && typeof h.host === 'string')
      return h as StoreHolder;
  } catch {
    // falls through: unreadable
  }
  return { unreadable: true, mtimeMs };
}

/** Whether the lock's holder is surely gone. A holder on another host is never judged stale. */
function isStale(h: Found): boolean {
  if ('unreadable' in h) return Date.now() - h.mtimeMs > UNREADABLE_GRACE_MS;
  if (h.host !== hostname()) return false;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // Alive: the same process only if it started when the holder did (where that can be read).
  const now = procStartOf(h.pid).procStart;
  return h.procStart !== undefined && now !== undefined && now !== h.procStart;
}

/**
 * Removes a stale lock, serialised by `<lock>.takeover` (held for a few microseconds; one left by
 * a process killed inside it is removed once older than the grace period).
 */
async function takeOver(lockPath: string, stale: Found): Promise<void> {
  const guard = `${lockPath}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    try {
      if (Date.now() - statSync(guard).mtimeMs > UNREADABLE_GRACE_MS) unlinkQuietly(guard);
    } catch {
      // gone meanwhile
    }
    await sleep(20 + Math.random() * 30);
    return;
  }
  try {
    closeSync(fd);
    const now = readHolder(lockPath);
    if (now === 'gone') return;
    const same =
      'unreadable' in stale
        ? 'unreadable' in now && now.mtimeMs === stale.mtimeMs
        : !('unreadable' in now) && now.token === stale.token;
    if (same) unlinkQuietly(lockPath);
  } finally {
    unlinkQuietly(guard);
  }
}

function heldLock(lockPath: string, token: string): StoreLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const now = readHolder(lockPath);
    if (now !== 'gone' && !('unreadable' in now) && now.token === token) unlinkQuietly(lockPath);
  };
  // A command that exits without closing the store (process.exit) lets go too.
  process.on('exit', release);
  return { path: lockPath, release };
}

function describe(h: Found): string {
  if ('unreadable' in h) return 'another command (its lock file does not read)';
  const where = h.host === hostname() ? '' : ` on ${h.host}`;
  return `\`${h.command}\` (pid ${h.pid}${where})`;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** Linux: field 22 of /proc/<pid>/stat (start time in clock ticks since boot). */
function procStartOf(pid: number): { procStart?: string } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start ? { procStart: start } : {};
  } catch {
    return {};
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
