import { describe, expect, it } from 'vitest';
import { startZendeskSimulator } from '../../src/simulator/index.js';
import { cliHome } from '../helpers/cli.js';

interface Snapshot {
  layers: { model: string; layer: string; level: number }[];
  metrics: { id: string; value: number }[];
}

/** The FT Works levels each demo profile was built to show. */
const LEVELS = {
  bootstrap: { offerings: 1, processes: 1, people: 1, tools: 1, metrics: 1, strategy: 1 },
  structured: { offerings: 2, processes: 2, people: 2, tools: 2, metrics: 2, strategy: 1 },
  managed: { offerings: 3, processes: 3, people: 2, tools: 3, metrics: 3, strategy: 1 },
  holistic: { offerings: 4, processes: 4, people: 2, tools: 4, metrics: 4, strategy: 1 },
};

describe('maturity demo: simulator ► Zendesk connector ► sync ► snapshot', () => {
  it.each(Object.entries(LEVELS))(
    'shows the %s profile at the levels it was built for',
    async (profile, levels) => {
      const cli = cliHome({ MATURITY_SECRET: 'e2e-secret-e2e-secret-e2e-secret-42' });
      const run = await cli.run('demo', '--profile', profile, '--json');
      expect(run.err).not.toMatch(/failed|error/i);
      expect(run.code).toBe(0);
      const body = JSON.parse(run.out) as Snapshot;
      const got = Object.fromEntries(
        body.layers.filter((l) => l.model === 'ftworks').map((l) => [l.layer, l.level]),
      );
      expect(got).toEqual(levels);
      expect(body.metrics.find((m) => m.id === 'tickets.count')!.value).toBeGreaterThan(1000);
      expect(run.err).toMatch(/synced \d+ records in \d+ pages/);
    },
  );

  it('prints the Markdown report, and survives faults and rate limits on the way', async () => {
    const cli = cliHome({ MATURITY_SECRET: 'e2e-secret-e2e-secret-e2e-secret-42' });
    const run = await cli.run(
      'demo',
      '--profile',
      'structured',
      '--tickets',
      '800',
      '--faults',
      '0.1',
      '--rate-limit',
      '50',
    );
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/offerings/i);
    expect(run.err).toMatch(/faults survived/);
  });
});

describe('maturity connect zendesk', () => {
  const env = { MATURITY_SECRET: 'e2e-secret-e2e-secret-e2e-secret-42' };

  it('connects to a Zendesk (the simulator) and syncs it, never printing the token', async () => {
    const sim = await startZendeskSimulator({ profile: 'bootstrap', tickets: 50 });
    try {
      const cli = cliHome(env);
      const c = sim.credentials;
      const connect = await cli.run(
        'connect',
        'zendesk',
        '--name',
        'acme',
        '--subdomain',
        'acme',
        '--email',
        c.email,
        '--token',
        c.token,
        '--base-url',
        sim.url,
      );
      expect(connect.code).toBe(0);
      expect(connect.out).toMatch(/connected "acme" as .*\(admin\)/);
      const sync = await cli.run('sync', 'acme');
      expect(sync.code).toBe(0);
      expect(sync.out).toMatch(/synced "acme": \d+ records from 9\/9 streams/);
      for (const r of [connect, sync]) expect(r.out + r.err).not.toContain(c.token);
    } finally {
      await sim.close();
    }
  });

  it.each([
    [
      'a wrong token (Zendesk answers as the anonymous user)',
      ['--email', 'admin@demo.example', '--token', 'wrong-token'],
      1,
      /did not accept the credentials.*--email and --token/,
    ],
    [
      'a subdomain that is not a label',
      ['--subdomain', 'acme corp', '--email', 'admin@demo.example', '--token', 't'],
      2,
      /--subdomain: "acme corp" is not a Zendesk subdomain/,
    ],
    ['no token', ['--email', 'admin@demo.example'], 2, /--email and --token are required/],
  ])('refuses %s with one line and stores nothing', async (_, args, code, message) => {
    const sim = await startZendeskSimulator({ profile: 'bootstrap', tickets: 1 });
    try {
      const cli = cliHome(env);
      const argv = ['connect', 'zendesk', '--name', 'acme', '--base-url', sim.url];
      if (!args.includes('--subdomain')) argv.push('--subdomain', 'acme');
      const run = await cli.run(...argv, ...args);
      expect(run.code).toBe(code);
      expect(run.err.trim().split('\n')).toHaveLength(1);
      expect(run.err).toMatch(message);
      expect(run.err).not.toContain('wrong-token');
      const list = await cli.run('accounts', 'list', '--json');
      expect(JSON.parse(list.out)).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
