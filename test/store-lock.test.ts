import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaturityError } from '../src/errors.js';
import { lockStore } from '../src/store/lock-store.js';
import { Store } from '../src/store/store.js';

const REPO = path.resolve(import.meta.dirname, '..');
const fresh = () => path.join(mkdtempSync(path.join(tmpdir(), 'store-lock-')), 'db');
const holderOf = (dir: string) =>
  JSON.parse(readFileSync(`${dir}.lock`, 'utf8')) as Record<string, unknown>;
const mode = (p: string) => statSync(p).mode & 0o777;

/** The pid of a process that has exited (so surely not alive). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

function staleLock(dir: string, holder: Record<string, unknown>): void {
  writeFileSync(
    `${dir}.lock`,
    JSON.stringify({
      command: 'maturity sync acme',
      host: hostname(),
      startedAt: '2026-01-01T00:00:00.000Z',
      token: 'stale',
      ...holder,
    }),
  );
}

async function busyError(p: Promise<unknown>): Promise<MaturityError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MaturityError);
  return err as MaturityError;
}

describe('the store lock', () => {
  it('holds <dir>.lock, owner-only, naming the pid and command, until released', async () => {
    const dir = fresh();
    const lock = await lockStore(dir, { command: 'maturity sync acme' });
    expect(lock.path).toBe(`${dir}.lock`);
    expect(holderOf(dir)).toMatchObject({
      pid: process.pid,
      command: 'maturity sync acme',
      host: hostname(),
    });
    expect(mode(lock.path)).toBe(0o600);
    // Nothing else is left beside it (the private file it was linked from is gone).
    expect(readdirSync(path.dirname(dir))).toEqual(['db.lock']);
    lock.release();
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('makes another taker say once who holds it, wait, then fail with E_STORE_BUSY', async () => {
    const dir = fresh();
    const lock = await lockStore(dir, { command: 'maturity sync acme' });
    const lines: string[] = [];
    const started = Date.now();
    const err = await busyError(
      lockStore(dir, { waitMs: 300, pollMs: 20, onWait: (l) => lines.push(l) }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(lines).toEqual([
      `the store is in use by \`maturity sync acme\` (pid ${process.pid}); waiting up to 0.3 s for it to finish…`,
    ]);
    expect(err.code).toBe('E_STORE_BUSY');
    expect(err.message).toBe(
      `the store at ${dir} is still in use by \`maturity sync acme\` (pid ${process.pid}) after 0.3 s; run this command again when it has finished (MATURITY_STORE_WAIT sets how long to wait)`,
    );
    // The holder keeps it.
    expect(holderOf(dir).command).toBe('maturity sync acme');
    lock.release();
  });

  it('fails at once, without a waiting line, when told not to wait', async () => {
    const dir = fresh();
    const lock = await lockStore(dir);
    const lines: string[] = [];
    const err = await busyError(lockStore(dir, { waitMs: 0, onWait: (l) => lines.push(l) }));
    expect(err.code).toBe('E_STORE_BUSY');
    expect(lines).toEqual([]);
    lock.release();
  });

  it('hands the store to a waiter as soon as the holder lets go', async () => {
    const dir = fresh();
    const first = await lockStore(dir, { command: 'maturity report acme' });
    const lines: string[] = [];
    const second = lockStore(dir, {
      command: 'maturity accounts list',
      waitMs: 10_000,
      pollMs: 20,
      onWait: (l) => lines.push(l),
    });
    await new Promise((r) => setTimeout(r, 100));
    const let_go = Date.now();
    first.release();
    const lock = await second;
    expect(Date.now() - let_go).toBeLessThan(1000);
    expect(lines).toHaveLength(1);
    expect(holderOf(dir).command).toBe('maturity accounts list');
    lock.release();
  });

  /** Linux tells a reused pid by its start time. */
  const ownStart = existsSync('/proc/self/stat');
  const stale: [string, () => Record<string, unknown>][] = [
    ['a dead pid', () => ({ pid: deadPid() })],
  ];
  if (ownStart)
    stale.push([
      'a live pid that started after the lock was taken (reused)',
      () => ({ pid: process.pid, procStart: '1' }),
    ]);
  it.each(stale)('takes over a lock left by %s, without waiting', async (_, holder) => {
    const dir = fresh();
    staleLock(dir, holder());
    const lines: string[] = [];
    const lock = await lockStore(dir, { waitMs: 0, onWait: (l) => lines.push(l) });
    expect(lines).toEqual([]);
    expect(holderOf(dir)).toMatchObject({
      pid: process.pid,
      token: expect.not.stringMatching(/^stale$/),
    });
    lock.release();
  });

  it('takes over an unreadable lock only once it is older than a few seconds', async () => {
    const dir = fresh();
    writeFileSync(`${dir}.lock`, '');
    const err = await busyError(lockStore(dir, { waitMs: 100, pollMs: 20 }));
    expect(err.message).toMatch(/in use by another command \(its lock file does not read\)/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${dir}.lock`, old, old);
    const lock = await lockStore(dir, { waitMs: 0 });
    expect(holderOf(dir).pid).toBe(process.pid);
    lock.release();
  });

  it('never judges a holder on another host stale (it may be alive)', async () => {
    const dir = fresh();
    staleLock(dir, { pid: deadPid(), host: 'elsewhere.example' });
    const err = await busyError(lockStore(dir, { waitMs: 50, pollMs: 10 }));
    expect(err.message).toMatch(/in use by `maturity sync acme` \(pid \d+ on elsewhere\.example\)/);
  });

  it('lets one process at a time take a stale lock that several race for', async () => {
    const dir = fresh();
    staleLock(dir, { pid: deadPid() });
    const script = path.join(path.dirname(dir), 'take.mts');
    // Each holder creates a marker file exclusively while it holds the lock and removes it before
    // letting go: a second holder at the same time would find the marker. No clocks are compared
    // (each process's clock origin differs by a few milliseconds under load).
    const marker = `${dir}.holder`;
    writeFileSync(
      script,
      `import { openSync, closeSync, unlinkSync } from 'node:fs';
import { lockStore } from ${JSON.stringify(path.join(REPO, 'src/store/lock-store.ts'))};
const [dir, at, marker] = process.argv.slice(2);
while (Date.now() < Number(at)) await new Promise((r) => setTimeout(r, 1));
const holds = [];
for (let i = 0; i < 3; i++) {
  const lock = await lockStore(dir, { waitMs: 30_000, pollMs: 5 });
  let alone = true;
  try {
    closeSync(openSync(marker, 'wx'));
  } catch {
    alone = false;
  }
  await new Promise((r) => setTimeout(r, 30));
  if (alone) unlinkSync(marker);
  lock.release();
  holds.push(alone);
}
process.stdout.write(JSON.stringify(holds));
`,
    );
    const at = String(Date.now() + 4000);
    const runs = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<boolean[]>((resolve, reject) => {
            const child = spawn(process.execPath, ['--import', 'tsx', script, dir, at, marker], {
              cwd: REPO,
            });
            let out = '';
            let err = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.stderr.on('data', (d: Buffer) => (err += d.toString()));
            child.on('close', (code) =>
              code === 0 ? resolve(JSON.parse(out) as boolean[]) : reject(new Error(err)),
            );
          }),
      ),
    );
    const holds = runs.flat();
    expect(holds).toHaveLength(12);
    expect(holds.filter((alone) => !alone)).toHaveLength(0);
    expect(existsSync(`${dir}.lock`)).toBe(false);
  }, 30_000);
});

describe('the embedded store on disk', () => {
  let dir: string;
  let store: Store | undefined;
  beforeAll(async () => {
    dir = fresh();
    store = await Store.open({ dir, lock: { command: 'maturity demo' } });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  /** Every path under the store whose group or other bits are set. */
  const shared = (root: string): string[] => {
    const out: string[] = [];
    const walk = (p: string) => {
      if (mode(p) & 0o077) out.push(path.relative(root, p) || '.');
      if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
    };
    walk(root);
    return out;
  };

  it('is held while open: another open waits, then fails with E_STORE_BUSY (not E_STORE)', async () => {
    const err = await busyError(Store.open({ dir, lock: { waitMs: 100, pollMs: 20 } }));
    expect(err.code).toBe('E_STORE_BUSY');
    expect(err.message).toMatch(/in use by `maturity demo` \(pid \d+\)/);
  });

  it('is readable by its owner only: directory 0700, files owner-only, the lock 0600', async () => {
    expect(mode(dir)).toBe(0o700);
    expect(mode(`${dir}.lock`)).toBe(0o600);
    expect(shared(dir)).toEqual([]);
    await store!.close();
    store = undefined;
    expect(shared(dir)).toEqual([]);
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('makes a store that others could read owner-only again when it opens', async () => {
    const loosen = (p: string) => {
      const isDir = statSync(p).isDirectory();
      chmodSync(p, isDir ? 0o777 : 0o666);
      if (isDir) for (const e of readdirSync(p)) loosen(path.join(p, e));
    };
    loosen(dir);
    expect(shared(dir).length).toBeGreaterThan(100);
    store = await Store.open({ dir });
    expect(shared(dir)).toEqual([]);
    expect(await store.listAccounts()).toEqual([]);
  });
});
