import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliHome } from './helpers/cli.js';

const org = {
  tickets: [
    { sourceId: '1', createdAt: '2026-06-01T10:00:00Z', status: 'solved', priority: 'high' },
    { sourceId: '2', createdAt: '2026-06-02T10:00:00Z', status: 'open' },
  ],
  groups: [{ sourceId: 'g1', name: 'Tier 1' }],
};

const incidents = [
  'number,opened_at,state,priority,assignment_group',
  'INC001,2026-06-01 10:00:00,Closed,2 - High,Service Desk',
].join('\n');

/** An attest-only criterion of the shipped rules, so a good `attest` would store a statement. */
const criterion = 'post-sales-leadership-at-top';

const cli = cliHome({}, { keepOpen: true });
const file = (name: string) => path.join(cli.home, name);

// Each command line is valid but for one flag, so only the flag's check stands between it and
// the store. [command line, the one line on stderr]
const cases: [string[], string][] = [
  [['demo', '--tickets', 'abc'], '--tickets must be a whole number from 0 to 2000000 (got "abc")'],
  [
    ['demo', '--tickets', '2000001'],
    '--tickets must be a whole number from 0 to 2000000 (got "2000001")',
  ],
  [['demo', '--tickets', '1.5'], '--tickets must be a whole number from 0 to 2000000 (got "1.5")'],
  [
    ['demo', '--profile', 'expert'],
    '--profile must be bootstrap, structured, managed or holistic (got "expert")',
  ],
  [['demo', '--faults', '0.9'], '--faults must be a share from 0 to 0.5 (got "0.9")'],
  [['demo', '--faults', 'lots'], '--faults must be a share from 0 to 0.5 (got "lots")'],
  [['demo', '--seed', '-1'], '--seed must be a whole number from 0 to 2147483648 (got "-1")'],
  [['demo', '--rate-limit', '0'], '--rate-limit must be a whole number from 1 to 100000 (got "0")'],
  [['worker', '--concurrency', '0'], '--concurrency must be a whole number from 1 to 64 (got "0")'],
  [
    ['worker', '--concurrency', '65'],
    '--concurrency must be a whole number from 1 to 64 (got "65")',
  ],
  [['worker', '--lock-ms', '500'], '--lock-ms must be a whole number of at least 1000 (got "500")'],
  [
    ['snapshot', 'acme', '--timeout', '0'],
    '--timeout must be a whole number from 1 to 604800 (got "0")',
  ],
  [
    ['snapshot', 'acme', '--window', 'forever'],
    '--window must be like 90d, 6m or all (got "forever")',
  ],
  [['snapshot', 'acme', '--window', '0d'], '--window must be at least 1d (got "0d")'],
  [
    ['snapshot', 'acme', '--as-of', 'yesterday'],
    '--as-of must be a date like 2026-06-30 (got "yesterday")',
  ],
  [['report', 'acme', '--format', 'pdf'], '--format must be md, json or html (got "pdf")'],
  [
    ['import', 'records', file('org.json'), '--name', 'acme corp/<x>'],
    '--name must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit (got "acme corp/<x>")',
  ],
  [
    [
      'import',
      'servicenow-incidents',
      file('incidents.csv'),
      '--name',
      'snow',
      '--date-format',
      'ydm',
    ],
    '--date-format must be dmy, mdy or ymd (got "ydm")',
  ],
  [
    ['attest', 'acme', criterion, '--by', '  ', '--reason', 'minutes'],
    '--by must name who decides (1 to 200 characters)',
  ],
  [
    ['attest', 'acme', criterion, '--by', 'Ann', '--reason', 'minutes', '--expires', 'soon'],
    '--expires must be a date like 2026-06-30 (got "soon")',
  ],
  [
    ['attest', 'acme', criterion, '--by', 'Ann', '--reason', 'minutes', '--model', 'itil'],
    '--model must be ftworks, support-model or engagement (got "itil")',
  ],
  [
    ['schedule', 'acme', '--tz', 'Mars/Base'],
    '--tz must be an IANA time zone like Europe/Paris (got "Mars/Base")',
  ],
  [
    ['schedule', 'acme', '--cron', '61 * * * *'],
    '--cron "61 * * * *" is not a valid cron expression (Constraint error, got value 61 expected range 0-59)',
  ],
];

describe('CLI flags', () => {
  let before: { list: string; show: string };

  beforeAll(async () => {
    writeFileSync(file('org.json'), JSON.stringify(org));
    writeFileSync(file('incidents.csv'), incidents);
    expect((await cli.run('import', 'records', file('org.json'), '--name', 'acme')).code).toBe(0);
    expect((await cli.run('snapshot', 'acme', '--as-of', '2026-06-30')).code).toBe(0);
    before = {
      list: (await cli.run('accounts', 'list', '--json')).out,
      show: (await cli.run('accounts', 'show', 'acme', '--json')).out,
    };
  });

  it.each(cases)('rejects %j in one line, exit 2, storing nothing', async (argv, message) => {
    const r = await cli.run(...argv);
    expect(r.err).toBe(`maturity: ${message}\n`);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect((await cli.run('accounts', 'list', '--json')).out).toBe(before.list);
  });

  it('left the account as it was: records, snapshots, settings, attestations, schedule', async () => {
    expect((await cli.run('accounts', 'show', 'acme', '--json')).out).toBe(before.show);
    const store = await cli.store();
    const acme = await store.getAccount('acme');
    expect(await store.decisions(acme.id)).toEqual([]);
    expect(await store.listSchedules()).toEqual([]);
  });

  it('hands the command typed values: defaults, switches and their --no- forms', async () => {
    const { DemoFlags } = await import('../src/cli/demo.js');
    const { SnapshotFlags } = await import('../src/cli/snapshot.js');
    const { parseFlags } = await import('../src/cli/flags.js');
    expect(parseFlags(DemoFlags, { tickets: '12', faults: '0.1' })).toEqual({
      profile: 'managed',
      tickets: 12,
      json: false,
      faults: 0.1,
      seed: 42,
    });
    expect(parseFlags(SnapshotFlags, { sync: false, wait: false, timeout: '60' })).toEqual({
      window: '90d',
      json: false,
      sync: false,
      wait: false,
      timeout: 60,
    });
  });
});
