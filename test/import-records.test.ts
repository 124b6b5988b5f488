import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHome } from './helpers/cli.js';

const good = {
  tickets: [
    { sourceId: '1', createdAt: '2026-06-01T10:00:00Z', status: 'solved', priority: 'high' },
    { sourceId: '2', createdAt: '2026-06-02T10:00:00Z', status: 'open' },
  ],
  groups: [{ sourceId: 'g1', name: 'Tier 1' }],
};

describe('maturity import records', () => {
  it('loads a valid file and reports what it stored', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const file = path.join(cli.home, 'org.json');
    writeFileSync(file, JSON.stringify(good));
    const r = await cli.run('import', 'records', file, '--name', 'acme');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/imported into "acme": 2 tickets, 1 groups/);
    const snap = await cli.run('snapshot', 'acme', '--as-of', '2026-06-30', '--json');
    expect(snap.code).toBe(0);
    const body = JSON.parse(snap.out);
    expect(body.metrics.find((m: { id: string }) => m.id === 'tickets.count').value).toBe(2);
  });

  it('names the record and field of a bad record, and stores nothing at all', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const file = path.join(cli.home, 'bad.json');
    const bad = {
      ...good,
      tickets: [...good.tickets, { sourceId: '3', createdAt: 'last tuesday', status: 'open' }],
    };
    writeFileSync(file, JSON.stringify(bad));
    const r = await cli.run('import', 'records', file, '--name', 'acme');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/tickets\[2\] \(sourceId 3\) field createdAt: .*nothing was stored/);
    const list = await cli.run('accounts', 'list', '--json');
    expect(JSON.parse(list.out)).toEqual([]);
  });

  it('rejects a file that is not JSON in one line', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const file = path.join(cli.home, 'x.json');
    writeFileSync(file, '{"tickets": [');
    const r = await cli.run('import', 'records', file, '--name', 'acme');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^maturity: .*x\.json: not valid JSON .*nothing was stored\n$/);
  });

  it('rejects an account name that would not survive a command line or a job id', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const file = path.join(cli.home, 'org.json');
    writeFileSync(file, JSON.stringify(good));
    const r = await cli.run('import', 'records', file, '--name', 'acme corp/<x>');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^maturity: --name must be 1-63 letters, digits/);
  });

  it('rejects an unknown record kind', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const file = path.join(cli.home, 'x.json');
    writeFileSync(file, JSON.stringify({ tikets: [] }));
    const r = await cli.run('import', 'records', file, '--name', 'acme');
    expect(r.err).toMatch(/unknown key "tikets"/);
  });

  it('keeps earlier data intact when a later import fails', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const file = path.join(cli.home, 'org.json');
    writeFileSync(file, JSON.stringify(good));
    await cli.run('import', 'records', file, '--name', 'acme');
    writeFileSync(
      file,
      JSON.stringify({
        tickets: [{ sourceId: '1', createdAt: '2026-06-01T10:00:00Z', status: 'exploded' }],
      }),
    );
    const r = await cli.run('import', 'records', file, '--name', 'acme');
    expect(r.code).toBe(2);
    const snap = JSON.parse(
      (await cli.run('snapshot', 'acme', '--as-of', '2026-06-30', '--json')).out,
    );
    expect(snap.metrics.find((m: { id: string }) => m.id === 'tickets.count').value).toBe(2);
  });
});

describe('CLI errors', () => {
  it('gives one line and a non-zero exit for an unknown account', async () => {
    const r = await cliHome().run('snapshot', 'nobody');
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'maturity: no account named "nobody" (list them with: maturity accounts list)\n',
    );
  });

  it('asks for a snapshot first when reporting on an account without one', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const file = path.join(cli.home, 'org.json');
    writeFileSync(file, JSON.stringify(good));
    await cli.run('import', 'records', file, '--name', 'acme');
    const r = await cli.run('report', 'acme');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/has no snapshot yet \(take one with: maturity snapshot acme\)/);
  });

  it('rejects a bad --window in one line', async () => {
    const cli = cliHome({}, { keepOpen: true });
    const file = path.join(cli.home, 'org.json');
    writeFileSync(file, JSON.stringify(good));
    await cli.run('import', 'records', file, '--name', 'acme');
    const r = await cli.run('snapshot', 'acme', '--window', 'forever');
    expect(r.code).toBe(2);
    expect(r.err).toBe('maturity: --window must be like 90d, 6m or all (got "forever")\n');
  });

  it('rejects an invalid environment variable by name', async () => {
    const r = await cliHome({ DATABASE_URL: 'mysql://x' }).run('accounts', 'list');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/DATABASE_URL must start with postgres/);
  });
});
