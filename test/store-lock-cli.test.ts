import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZendeskSimulator, type ZendeskSimulator } from '../src/simulator/index.js';
import { SecretBox } from '../src/store/secrets.js';
import { Store } from '../src/store/store.js';
import { startGate } from './helpers/gate.js';

/**
 * Two real `maturity` processes on one MATURITY_HOME. The holder is a sync (or a snapshot that
 * syncs) of an account whose helpdesk sits behind a gate that holds its requests, so it is
 * surely mid-run while the other command starts; the gate then lets it finish.
 */

const REPO = path.resolve(import.meta.dirname, '..');
const SECRET = 'store-lock-cli-secret-'.padEnd(40, 'x');
const root = mkdtempSync(path.join(tmpdir(), 'store-lock-cli-'));
const template = path.join(root, 'template');
const recordsFile = path.join(root, 'records.json');
const csvFile = path.join(root, 'incidents.csv');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** `maturity …` in its own process on `home` (embedded store, inline jobs). */
function maturity(home: string, args: string[], env: Record<string, string> = {}) {
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.join(REPO, 'bin/maturity.js'), ...args], {
    cwd: REPO,
    env: {
      ...inherited,
      MATURITY_HOME: home,
      MATURITY_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      MATURITY_STORE_WAIT: '1',
      ...env,
    },
  });
  let out = '';
  let err = '';
  const seen: { re: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    for (const s of seen.splice(0)) (s.re.test(err) ? s.resolve : () => seen.push(s))();
  });
  const done = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, out, err })),
  );
  return {
    child,
    pid: child.pid!,
    done,
    /** Resolves when stderr matches. */
    stderr: (re: RegExp) =>
      new Promise<void>((resolve) => (re.test(err) ? resolve() : seen.push({ re, resolve }))),
  };
}

const lockOf = (home: string) =>
  JSON.parse(readFileSync(path.join(home, 'db.lock'), 'utf8')) as {
    pid: number;
    command: string;
  };

async function withStore<T>(home: string, f: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open({ dir: path.join(home, 'db') });
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

const waiting = (holder: string, pid: number, s = '1') =>
  `maturity: the store is in use by \`${holder}\` (pid ${pid}); waiting up to ${s} s for it to finish…`;
const gaveUp = (home: string, holder: string, pid: number) =>
  `maturity: the store at ${path.join(home, 'db')} is still in use by \`${holder}\` (pid ${pid}) after 1 s; run this command again when it has finished (MATURITY_STORE_WAIT sets how long to wait)`;

describe('two maturity processes on one embedded store', () => {
  let sim: ZendeskSimulator;
  let gate: Awaited<ReturnType<typeof startGate>>;
  let n = 0;
  /** A copy of the template home: account acme connected to the gated simulator, never synced. */
  const home = () => {
    const h = path.join(root, `home-${n++}`);
    cpSync(template, h, { recursive: true });
    return h;
  };

  beforeAll(async () => {
    sim = await startZendeskSimulator({ profile: 'managed', tickets: 300, seed: 3 });
    gate = await startGate(sim.url);
    const store = await Store.open({ dir: path.join(template, 'db') });
    try {
      const config = { subdomain: 'acme', baseUrl: gate.url, incrementalPerMinute: 100_000 };
      const sealed = new SecretBox(SECRET).seal({
        email: 'admin@demo.example',
        token: 'simulator-token',
      });
      await store.saveConnectedAccount('acme', 'zendesk', config, sealed);
    } finally {
      await store.close();
    }
    writeFileSync(
      recordsFile,
      JSON.stringify({
        tickets: [
          { sourceId: '1', createdAt: '2026-06-01T09:00:00Z', status: 'open', priority: 'high' },
        ],
      }),
    );
    writeFileSync(
      csvFile,
      'number,incident_state,opened_at,sys_updated_at,priority\nINC1,New,29/2/2016 01:16,29/2/2016 01:20,3 - Moderate\n',
    );
  }, 120_000);
  afterAll(async () => {
    gate?.open();
    await gate?.close();
    await sim?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Starts `holder` with the gate shut; resolves once it is mid-sync, holding the store. */
  async function holding(h: string, args: string[], command = `maturity ${args.join(' ')}`) {
    const held = gate.hold();
    const p = maturity(h, args, { MATURITY_STORE_WAIT: '60' });
    await held;
    expect(lockOf(h)).toMatchObject({ pid: p.pid, command });
    return p;
  }

  const contenders: [string, string[]][] = [
    ['sync of the same account', ['sync', 'acme']],
    ['snapshot with its sync', ['snapshot', 'acme']],
    ['snapshot without sync', ['snapshot', 'acme', '--no-sync']],
    ['import records', ['import', 'records', recordsFile, '--name', 'other']],
    ['import servicenow-incidents', ['import', 'servicenow-incidents', csvFile, '--name', 'sn']],
    ['accounts list', ['accounts', 'list']],
    ['accounts show', ['accounts', 'show', 'acme']],
    ['accounts remove', ['accounts', 'remove', 'acme']],
    ['report', ['report', 'acme']],
    [
      'attest',
      ['attest', 'acme', 'post-sales-leadership-at-top', '--by', 'Ann', '--reason', 'minutes'],
    ],
    ['demo', ['demo', '--tickets', '20']],
  ];
  it('makes every other command wait and name the sync: exit 1 with one line after the wait, or run once the sync is done', async () => {
    const h = home();
    const holder = await holding(h, ['sync', 'acme']);
    const patient = maturity(h, ['accounts', 'list', '--json'], { MATURITY_STORE_WAIT: '60' });
    const losers = await Promise.all(contenders.map(([, args]) => maturity(h, args).done));
    losers.forEach((r, i) => {
      const label = contenders[i]![0];
      expect(r.err.trimEnd().split('\n'), label).toEqual([
        waiting('maturity sync acme', holder.pid),
        gaveUp(h, 'maturity sync acme', holder.pid),
      ]);
      expect(r.code, label).toBe(1);
      expect(r.out, label).toBe('');
    });
    gate.open();
    const won = await holder.done;
    expect(won.code, won.err).toBe(0);
    expect(won.out).toMatch(/^synced "acme": \d+ records from \d+\/\d+ streams/);
    const listed = await patient.done;
    expect(listed.code, listed.err).toBe(0);
    expect(listed.err).toBe(`${waiting('maturity sync acme', holder.pid, '60')}\n`);
    expect((JSON.parse(listed.out) as { name: string }[]).map((a) => a.name)).toEqual(['acme']);
    expect(existsSync(path.join(h, 'db.lock'))).toBe(false);
    // The store opens and holds what the sync wrote, and nothing any other command would have.
    await withStore(h, async (store) => {
      expect((await store.listAccounts()).map((a) => a.name)).toEqual(['acme']);
      const acme = await store.getAccount('acme');
      expect(await store.countRecordsOf(acme.id, 'tickets')).toBe(sim.data.tickets.length);
      expect(await store.countRecordsOf(acme.id, 'groups')).toBe(sim.data.groups.length);
      expect(await store.decisions(acme.id)).toEqual([]);
      expect(await store.listSnapshots(acme.id)).toEqual([]);
    });
  }, 120_000);

  it('makes a sync and a listing wait for a snapshot that is syncing', async () => {
    const h = home();
    // Named by its words before the first flag (flags may carry credentials).
    const holder = await holding(
      h,
      ['snapshot', 'acme', '--window', '90d'],
      'maturity snapshot acme',
    );
    const losers = await Promise.all([
      maturity(h, ['sync', 'acme']).done,
      maturity(h, ['accounts', 'list', '--json']).done,
    ]);
    for (const r of losers) {
      expect(r.err.trimEnd().split('\n')).toEqual([
        waiting('maturity snapshot acme', holder.pid),
        gaveUp(h, 'maturity snapshot acme', holder.pid),
      ]);
      expect(r.code).toBe(1);
    }
    gate.open();
    const won = await holder.done;
    expect(won.code, won.err).toBe(0);
    await withStore(h, async (store) => {
      const acme = await store.getAccount('acme');
      expect(await store.listSnapshots(acme.id)).toHaveLength(1);
      // The 90-day window's history: some of the tickets, not all.
      expect(await store.countRecordsOf(acme.id, 'tickets')).toBeGreaterThan(0);
    });
  }, 120_000);

  it('takes over the lock of a sync killed with SIGKILL, and the store opens', async () => {
    const h = home();
    const holder = await holding(h, ['sync', 'acme']);
    holder.child.kill('SIGKILL');
    expect((await holder.done).signal).toBe('SIGKILL');
    gate.open();
    expect(lockOf(h).pid).toBe(holder.pid);
    const next = await maturity(h, ['sync', 'acme'], { MATURITY_STORE_WAIT: '0' }).done;
    expect(next.err).not.toMatch(/in use/);
    expect(next.code, next.err).toBe(0);
    expect(existsSync(path.join(h, 'db.lock'))).toBe(false);
    await withStore(h, async (store) => {
      const acme = await store.getAccount('acme');
      expect(await store.countRecordsOf(acme.id, 'tickets')).toBe(sim.data.tickets.length);
    });
  }, 120_000);

  it('lets two commands started together on a free store both finish, one after the other', async () => {
    const h = home();
    const both = await Promise.all([
      maturity(h, ['import', 'records', recordsFile, '--name', 'other'], {
        MATURITY_STORE_WAIT: '60',
      }).done,
      maturity(h, ['accounts', 'show', 'acme', '--json'], { MATURITY_STORE_WAIT: '60' }).done,
    ]);
    for (const r of both) expect(r.code, r.err).toBe(0);
    await withStore(h, async (store) =>
      expect((await store.listAccounts()).map((a) => a.name).sort()).toEqual(['acme', 'other']),
    );
  }, 120_000);
});
