import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHome } from '../helpers/cli.js';

/** `maturity serve` and other commands as real processes on one MATURITY_HOME (embedded store). */

const REPO = path.resolve(import.meta.dirname, '../..');

interface Exit {
  code: number | null;
  out: string;
  err: string;
}

function maturity(home: string, args: string[], env: Record<string, string> = {}) {
  const {
    DATABASE_URL: _db,
    REDIS_URL: _redis,
    MATURITY_API_TOKEN: _t,
    ...inherited
  } = process.env;
  const child = spawn(process.execPath, [path.join(REPO, 'bin/maturity.js'), ...args], {
    cwd: REPO,
    env: { ...inherited, MATURITY_HOME: home, LOG_LEVEL: 'silent', ...env },
  });
  let out = '';
  let err = '';
  const waiting: { re: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of waiting.splice(0)) (w.re.test(out) ? w.resolve : () => waiting.push(w))();
  };
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    check();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<Exit>((resolve) =>
    child.on('close', (code) => resolve({ code, out, err })),
  );
  return {
    child,
    done,
    /** Resolves when stdout matches (or rejects when the process ends first). */
    stdout: (re: RegExp) =>
      Promise.race([
        new Promise<void>((resolve) => (re.test(out) ? resolve() : waiting.push({ re, resolve }))),
        done.then((e) => {
          throw new Error(`ended (${e.code}) before ${re}: ${e.err}`);
        }),
      ]),
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

const home = () => mkdtempSync(path.join(tmpdir(), 'maturity-serve-'));

/** Each test starts real processes (tsx compiles on start): slow on a loaded machine. */
const SLOW = { timeout: 300_000 };

describe('maturity serve', () => {
  it(
    'refuses to start with no token configured, unless --insecure-local on loopback',
    SLOW,
    async () => {
      const h = home();
      const none = await maturity(h, ['serve', '--port', String(await freePort())]).done;
      expect(none.code).toBe(2);
      expect(none.err).toMatch(/no API token is configured: set MATURITY_API_TOKEN, or create one/);
      const wide = await maturity(h, ['serve', '--insecure-local', '--host', '0.0.0.0']).done;
      expect(wide.code).toBe(2);
      expect(wide.err).toMatch(
        /--insecure-local serves without tokens, so only on a loopback --host/,
      );
    },
  );

  it(
    'owns the embedded store while it runs: another command points at the API at once; SIGTERM stops it cleanly',
    SLOW,
    async () => {
      const h = home();
      const port = await freePort();
      const server = maturity(h, ['serve', '--insecure-local', '--port', String(port)]);
      await server.stdout(/API at http:\/\/127\.0\.0\.1:\d+\/api\/v1/);
      const api = `http://127.0.0.1:${port}/api/v1`;
      expect(((await (await fetch(`${api}/accounts`)).json()) as unknown[]).length).toBe(0);
      // The first line names the review page, and it answers there.
      await server.stdout(new RegExp(`review page at http://127\\.0\\.0\\.1:${port}/,`));
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);

      // Even a command told to wait a minute does not wait for a server, which does not finish: its
      // one line is the refusal, with no "waiting up to 60 s" before it.
      const other = await maturity(h, ['accounts', 'list'], { MATURITY_STORE_WAIT: '60' }).done;
      expect(other.code).toBe(1);
      expect(other.err.trim()).toBe(
        `maturity: the store at ${path.join(h, 'db')} is in use by \`maturity serve\` (pid ${server.child.pid}); use the API at ${api} or stop the server`,
      );

      server.child.kill('SIGTERM');
      const end = await server.done;
      expect(end.code).toBe(0);
      expect(end.err).toMatch(/stopping/);
      expect(existsSync(path.join(h, 'db.lock'))).toBe(false);
      expect((await maturity(h, ['accounts', 'list']).done).code).toBe(0);
    },
  );

  it('takes MATURITY_API_TOKEN as an admin token, and nothing else', SLOW, async () => {
    const h = home();
    const port = await freePort();
    const token = 'env-token-for-the-serve-test-0123456789';
    const server = maturity(h, ['serve', '--port', String(port)], { MATURITY_API_TOKEN: token });
    try {
      await server.stdout(/API at/);
      const url = `http://127.0.0.1:${port}/api/v1/tokens`;
      expect((await fetch(url)).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      expect((await server.done).code).toBe(0);
    }
  });
});

describe('maturity serve refuses bad settings in one line, before opening anything', () => {
  it.each([
    [['serve', '--port', '0'], {}, /--port must be a whole number from 1 to 65535/],
    [['serve', '--port', 'http'], {}, /--port must be a whole number/],
    [['serve', '--host', 'a b'], {}, /--host must be a host name or IP address/],
    [
      ['serve'],
      { MATURITY_ALLOW_PRIVATE_ADDRESSES: 'maybe' },
      /environment variable MATURITY_ALLOW_PRIVATE_ADDRESSES must be true or false/,
    ],
    [
      ['serve'],
      { REDIS_URL: 'redis://127.0.0.1:6379' },
      /REDIS_URL is set but DATABASE_URL is not/,
    ],
  ])('%j %j', async (args, env, message) => {
    const cli = cliHome(env as Record<string, string>, { fresh: true });
    const r = await cli.run(...args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
    expect(existsSync(path.join(cli.home, 'db'))).toBe(false);
  });
});
