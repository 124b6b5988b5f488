import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { cliHome, type CliRun } from './helpers/cli.js';

/**
 * The bad-input catalogue: inputs a careful operator might feed the CLI by mistake (or a hostile
 * file might carry), each refused with one line on stderr naming the input, exit 2, and the store
 * exactly as it was — accounts, records, coverage, settings, snapshots and attestations.
 */

// The store stays open between the cases (cliHome keepOpen); a case with its own environment
// opens it itself, as a command does.
const cli = cliHome({}, { keepOpen: true });
const f = (name: string) => path.join(cli.home, 'in', name);
const put = (name: string, body: string | Buffer) => {
  writeFileSync(f(name), body);
  return f(name);
};

const ticket = { sourceId: '1', createdAt: '2026-06-01T10:00:00Z', status: 'open' };
const good = {
  tickets: [
    { ...ticket, status: 'solved', priority: 'high', groupId: 'g1' },
    { ...ticket, sourceId: '2', createdAt: '2026-06-02T10:00:00Z' },
  ],
  groups: [{ sourceId: 'g1', name: 'Tier 1' }],
};
const records = (doc: unknown) => JSON.stringify(doc);
const oneTicket = (fields: Record<string, unknown>) =>
  records({ tickets: [{ ...ticket, ...fields }] });

const csvHeader =
  'number,sys_mod_count,opened_at,sys_updated_at,incident_state,priority,assignment_group,assigned_to';
const csvRows = (n: number, from = 0) =>
  Array.from(
    { length: n },
    (_, i) =>
      `INC${from + i},0,${(i % 28) + 1}/3/2016 09:00,${(i % 28) + 1}/3/2016 10:00,Active,3 - Moderate,Group ${i % 4},Person ${i % 7}`,
  );
const csv = (...rows: string[]) => [csvHeader, ...rows].join('\n');

/** An alias that doubles at each of 9 levels: 10^9 nodes once expanded. */
const aliasBomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
  ...'bcdefghi'
    .split('')
    .map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
  'j: [*i,*i,*i,*i,*i,*i,*i,*i,*i,*i]',
].join('\n');

/** The fixtures the cases read: written once, before the store is set up. */
function writeInputs(): void {
  mkdirSync(f(''), { recursive: true });
  mkdirSync(f('a-directory'));
  put('good.json', records(good));
  put('good-incidents.csv.gz', gzipSync(csv(...csvRows(40))));
  put('roles.yaml', '"Tier 1": [tier1]\n');
  // import records
  put('nul.json', oneTicket({ sourceId: 'a\u0000b' }));
  put(
    'nul-nested.json',
    records({ slaPolicies: [{ sourceId: 'p', name: 'Std', conditions: [{ tier: 'x\u0000' }] }] }),
  );
  put('surrogate.json', '{"groups": [{"sourceId": "g", "name": "Tier \\ud800"}]}');
  put('int-range.json', oneTicket({ reopenCount: 3_000_000_000 }));
  put(
    'int-negative.json',
    records({
      kbArticles: [
        {
          sourceId: 'k',
          state: 'published',
          createdAt: '2026-01-01T00:00:00Z',
          votes: -3_000_000_000,
        },
      ],
    }),
  );
  put('int-fraction.json', oneTicket({ reassignmentCount: 1.5 }));
  put(
    'infinity.json',
    '{"tickets": [{"sourceId": "1", "createdAt": "2026-06-01T10:00:00Z", "status": "open", "firstResponseMinutes": 1e400}]}',
  );
  put('year-0000.json', oneTicket({ createdAt: '0000-06-01T10:00:00Z' }));
  put('year-past-2100.json', oneTicket({ createdAt: '2100-12-31T23:59:59-14:00' }));
  put('feb-30.json', oneTicket({ createdAt: '2026-02-30T10:00:00Z' }));
  put('offset-16h.json', oneTicket({ createdAt: '2026-06-01T10:00:00+16:00' }));
  put('no-zone.json', oneTicket({ createdAt: '2026-06-01T10:00:00' }));
  put('latin1.json', Buffer.from('{"groups": [{"sourceId": "g", "name": "Caf\xe9"}]}', 'latin1'));
  put('truncated.json', '{"tickets": [');
  put('array.json', '[]');
  put('empty-object.json', '{}');
  put('unknown-kind.json', records({ tikets: [] }));
  put('not-array.json', records({ tickets: { sourceId: '1' } }));
  put('bad-status.json', oneTicket({ status: 'exploded' }));
  put('bomb.yaml', aliasBomb);
  // import servicenow-incidents
  const gz = gzipSync(csv(...csvRows(20_000, 100)));
  put('truncated.csv.gz', gz.subarray(0, Math.floor(gz.length / 2)));
  put('no-columns.csv', 'Incident ID,Created,State\n1,2026-01-01,New\n');
  put('binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]));
  put('one-long-line.csv', 'x'.repeat(10 * 1024 * 1024));
  put('records.csv', records(good));
  put(
    'latin1.csv',
    Buffer.from(csv('INC1,0,13/3/2016 09:00,13/3/2016 10:00,Active,3,Caf\xe9,P'), 'latin1'),
  );
  put('empty.csv', '');
  put('header-only.csv', `${csvHeader}\n`);
  put('dmy.csv', csv(...csvRows(300)));
  put(
    'some-bad.csv',
    csv(
      ...csvRows(90),
      ...Array.from({ length: 10 }, (_, i) => `BAD${i},0,someday,someday,Active,3,G,P`),
    ),
  );
  put('nul.csv', csv('INC1,0,13/3/2016 09:00,13/3/2016 10:00,Active,3,Group\u00001,P'));
  put('year-0070.csv', csv('INC1,0,13/3/0070 09:00,13/3/0070 10:00,Active,3,Group 1,P'));
  put(
    'open-quote.csv',
    csv(
      'INC1,0,13/3/2016 09:00,13/3/2016 10:00,Active,"3,G,P',
      ...csvRows(20_000).map((r) => r.replace(/,/g, ';')),
    ).padEnd(5 * 1024 * 1024, 'y'),
  );
  // rules check: copies of the valid fixture, each broken once
  const rules = (name: string, file: string, body: string | Buffer) => {
    cpSync(path.resolve(import.meta.dirname, 'fixtures/rules/valid'), f(name), { recursive: true });
    writeFileSync(path.join(f(name), file), body);
  };
  rules('rules-bomb', 'rules.yaml', `version: 1.0.0\nmodels: [tiny]\n${aliasBomb}\n`);
  rules('rules-latin1', 'tiny/model.yaml', Buffer.from('id: tiny\nname: Caf\xe9\n', 'latin1'));
  rules('rules-syntax', 'rules.yaml', 'version: 1.0.0\nmodels: [tiny\n');
  rules('rules-unknown-key', 'rules.yaml', 'version: 1.0.0\nmodels: [tiny]\nextra: 1\n');
  cpSync(path.resolve(import.meta.dirname, 'fixtures/rules/valid'), f('rules-dir-as-file'), {
    recursive: true,
  });
  cpSync(
    path.resolve(import.meta.dirname, 'fixtures/rules/invalid-unknown-metric'),
    f('rules-unknown-metric'),
    { recursive: true },
  );
  mkdirSync(f('rules-dir-as-file/tiny/offerings.yaml.d'));
  // group roles
  put('roles-unknown.yaml', '"Tier 1": [tier9]\n');
  put('roles-not-yaml.yaml', '"Tier 1": [tier1\n');
  put('roles-latin1.yaml', Buffer.from('"Caf\xe9": [tier1]\n', 'latin1'));
  put('roles-list.yaml', '- tier1\n- tier2\n');
}

/** `maturity connect servicenow` for a well-formed instance, with these flags. */
const snConnect = (...flags: string[]) => [
  'connect',
  'servicenow',
  '--name',
  'sn',
  '--instance',
  'https://acme.service-now.com',
  ...flags,
];

type Case = [area: string, argv: string[], stderr: string | RegExp, env?: Record<string, string>];

// [area, command line, the one line on stderr (after "maturity: "), extra environment]
const cases: Case[] = [
  // import records: every value is checked before anything is stored
  [
    'records',
    ['import', 'records', f('nul.json'), '--name', 'acme'],
    `${f('nul.json')}: tickets[0] (sourceId "a\\u0000b") field sourceId: contains a NUL character (\\u0000) at position 2; nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('nul-nested.json'), '--name', 'acme'],
    `${f('nul-nested.json')}: slaPolicies[0] (sourceId p) field conditions.0: tier contains a NUL character (\\u0000) at position 2; nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('surrogate.json'), '--name', 'acme'],
    `${f('surrogate.json')}: groups[0] (sourceId g) field name: contains a lone surrogate (\\ud800) at position 6, which is not a character; nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('int-range.json'), '--name', 'acme'],
    `${f('int-range.json')}: tickets[0] (sourceId 1) field reopenCount: must be a whole number from 0 to 2147483647 (got 3000000000); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('int-negative.json'), '--name', 'acme'],
    `${f('int-negative.json')}: kbArticles[0] (sourceId k) field votes: must be a whole number from -2147483648 to 2147483647 (got -3000000000); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('int-fraction.json'), '--name', 'acme'],
    `${f('int-fraction.json')}: tickets[0] (sourceId 1) field reassignmentCount: must be a whole number (got 1.5); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('infinity.json'), '--name', 'acme'],
    `${f('infinity.json')}: tickets[0] (sourceId 1) field firstResponseMinutes: must be a number of minutes (got Infinity); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('year-0000.json'), '--name', 'acme'],
    `${f('year-0000.json')}: tickets[0] (sourceId 1) field createdAt: must be a date from 1970 to 2100 (got "0000-06-01T10:00:00Z"); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('year-past-2100.json'), '--name', 'acme'],
    `${f('year-past-2100.json')}: tickets[0] (sourceId 1) field createdAt: must be a date from 1970 to 2100 (got "2100-12-31T23:59:59-14:00"); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('offset-16h.json'), '--name', 'acme'],
    `${f('offset-16h.json')}: tickets[0] (sourceId 1) field createdAt: must have a zone offset from -15:59 to +15:59 (got "2026-06-01T10:00:00+16:00"); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('feb-30.json'), '--name', 'acme'],
    `${f('feb-30.json')}: tickets[0] (sourceId 1) field createdAt: must be an ISO-8601 date-time with a zone on a real calendar day, like 2026-06-01T09:12:00Z (got "2026-02-30T10:00:00Z"); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('no-zone.json'), '--name', 'acme'],
    `${f('no-zone.json')}: tickets[0] (sourceId 1) field createdAt: must be an ISO-8601 date-time with a zone on a real calendar day, like 2026-06-01T09:12:00Z (got "2026-06-01T10:00:00"); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('bad-status.json'), '--name', 'new-account'],
    /bad-status\.json: tickets\[0\] \(sourceId 1\) field status: .+; nothing was stored$/,
  ],
  [
    'records',
    ['import', 'records', f('latin1.json'), '--name', 'acme'],
    `${f('latin1.json')}: not UTF-8 text at line 1 (byte 43: 0xE9); save it as UTF-8 JSON; nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('truncated.json'), '--name', 'acme'],
    `${f('truncated.json')}: not valid JSON (Unexpected end of JSON input); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('array.json'), '--name', 'acme'],
    `${f('array.json')}: expected a JSON object with keys like "tickets"; nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('empty-object.json'), '--name', 'new-account'],
    `${f('empty-object.json')}: holds no record kinds (expected keys like "tickets": [...]); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('unknown-kind.json'), '--name', 'acme'],
    `${f('unknown-kind.json')}: unknown key "tikets" (expected one of: tickets, slaPolicies, slaOutcomes, plans, organisations, agents, groups, automations, kbArticles, satisfactionRatings); nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('not-array.json'), '--name', 'acme'],
    `${f('not-array.json')}: tickets: must be an array of records; nothing was stored`,
  ],
  [
    'records',
    ['import', 'records', f('a-directory'), '--name', 'acme'],
    `cannot read ${f('a-directory')}: is a directory, not a file`,
  ],
  [
    'records',
    ['import', 'records', f('missing.json'), '--name', 'acme'],
    `cannot read ${f('missing.json')}: no such file`,
  ],
  [
    'records',
    ['import', 'records', f('good.json'), '--name', 'snow'],
    'account "snow" is a servicenow-csv connection; import records into another name',
  ],
  [
    'records',
    ['import', 'records', f('good.json'), '--name', 'acme', '--group-roles', f('bomb.yaml')],
    new RegExp(
      `^${escape(f('bomb.yaml'))}: YAML aliases expand too far \\(more than 100 nodes\\): .+$`,
    ),
  ],
  // import servicenow-incidents: refused whole, an earlier import of "snow" untouched
  [
    'csv',
    ['import', 'servicenow-incidents', f('truncated.csv.gz'), '--name', 'snow'],
    new RegExp(
      `^${escape(f('truncated.csv.gz'))}: the gzip data ends early \\(the file is truncated\\) after line \\d+; nothing was stored$`,
    ),
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('no-columns.csv'), '--name', 'snow'],
    `${f('no-columns.csv')}: the header has no number column (found: Incident ID, Created, State): not a ServiceNow incident export; nothing was stored`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('binary.csv'), '--name', 'new-account'],
    `${f('binary.csv')}: not UTF-8 text at line 1 (byte 1: 0x89); export it again as UTF-8 CSV; nothing was stored`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('one-long-line.csv'), '--name', 'new-account'],
    `${f('one-long-line.csv')}:1: a record runs past 4 MiB (a quote left open, or not a CSV export); nothing was stored`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('open-quote.csv'), '--name', 'snow'],
    new RegExp(
      `^${escape(f('open-quote.csv'))}:2: a record runs past 4 MiB \\(a quote left open, or not a CSV export\\); nothing was stored$`,
    ),
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('records.csv'), '--name', 'new-account'],
    /records\.csv: not a CSV export \(line 1: Invalid Opening Quote: a quote is found on field 0 at line 1, value is "\{"\); nothing was stored$/,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('latin1.csv'), '--name', 'snow'],
    `${f('latin1.csv')}: not UTF-8 text at line 2 (byte 151: 0xE9); export it again as UTF-8 CSV; nothing was stored`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('empty.csv'), '--name', 'new-account'],
    `${f('empty.csv')}: is empty (no header line); nothing was stored`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('header-only.csv'), '--name', 'snow'],
    `${f('header-only.csv')}: has a header but no incident rows; nothing was stored`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('dmy.csv'), '--name', 'snow', '--date-format', 'mdy'],
    `${f('dmy.csv')}: 168 of 300 rows are bad (more than the 5% allowed); nothing was stored. First: line 14: opened_at: "13/3/2016 09:00" is not a date (mdy); line 15: opened_at: "14/3/2016 09:00" is not a date (mdy); line 16: opened_at: "15/3/2016 09:00" is not a date (mdy); is --date-format mdy right?`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('dmy.csv'), '--name', 'snow', '--date-format', 'ymd'],
    `${f('dmy.csv')}: 300 of 300 rows are bad (no row could be read); nothing was stored. First: line 2: opened_at: "1/3/2016 09:00" is not a date (ymd); line 3: opened_at: "2/3/2016 09:00" is not a date (ymd); line 4: opened_at: "3/3/2016 09:00" is not a date (ymd); is --date-format ymd right?`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('some-bad.csv'), '--name', 'snow'],
    `${f('some-bad.csv')}: 10 of 100 rows are bad (more than the 5% allowed); nothing was stored. First: line 92: opened_at: "someday" is not a date (dmy); line 93: opened_at: "someday" is not a date (dmy); line 94: opened_at: "someday" is not a date (dmy); are the dates in one format?`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('nul.csv'), '--name', 'snow'],
    `${f('nul.csv')}: 1 of 1 rows are bad (no row could be read); nothing was stored. First: line 2: groupId: contains a NUL character (\\u0000) at position 6`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('year-0070.csv'), '--name', 'snow'],
    `${f('year-0070.csv')}: 1 of 1 rows are bad (no row could be read); nothing was stored. First: line 2: createdAt: must be a date from 1970 to 2100 (got "0070-03-13T09:00:00.000Z")`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('a-directory'), '--name', 'snow'],
    `cannot read ${f('a-directory')}: is a directory, not a file`,
  ],
  [
    'csv',
    ['import', 'servicenow-incidents', f('good-incidents.csv.gz'), '--name', 'acme'],
    'account "acme" is a records account; import the export into another name',
  ],
  // rules check
  [
    'rules',
    ['rules', 'check', f('rules-bomb')],
    /^rules-bomb\/rules\.yaml:1:1 YAML aliases expand too far \(more than 100 nodes\): .+$/,
  ],
  [
    'rules',
    ['rules', 'check', f('rules-latin1')],
    'rules-latin1/tiny/model.yaml:2:1 not UTF-8 text (byte 19: 0xE9); save it as UTF-8',
  ],
  [
    'rules',
    ['rules', 'check', f('rules-syntax')],
    /^rules-syntax\/rules\.yaml:\d+:\d+ YAML syntax error: .+$/,
  ],
  [
    'rules',
    ['rules', 'check', f('rules-unknown-key')],
    'rules-unknown-key/rules.yaml:1:1 Unrecognized key: "extra"',
  ],
  [
    'rules',
    ['rules', 'check', f('rules-unknown-metric')],
    'rules-unknown-metric/tiny/offerings.yaml:9:25 unknown metric "people.cout" (known people.* metrics: people.count)',
  ],
  [
    'rules',
    ['rules', 'check', f('no-such-rules')],
    `rules directory ${f('no-such-rules')} does not exist`,
  ],
  [
    'rules',
    ['snapshot', 'acme', '--rules', f('rules-bomb'), '--no-sync'],
    /^rules-bomb\/rules\.yaml:1:1 YAML aliases expand too far \(more than 100 nodes\): .+$/,
  ],
  // accounts group-roles
  [
    'group-roles',
    ['accounts', 'group-roles', 'acme', f('bomb.yaml')],
    new RegExp(
      `^${escape(f('bomb.yaml'))}: YAML aliases expand too far \\(more than 100 nodes\\): .+$`,
    ),
  ],
  [
    'group-roles',
    ['accounts', 'group-roles', 'acme', f('roles-unknown.yaml')],
    /^.*roles-unknown\.yaml: group "Tier 1": .+ \(roles: tier1, .+, or "none"\)$/,
  ],
  [
    'group-roles',
    ['accounts', 'group-roles', 'acme', f('roles-not-yaml.yaml')],
    /^.*roles-not-yaml\.yaml: not valid YAML or JSON \(.+\)$/,
  ],
  [
    'group-roles',
    ['accounts', 'group-roles', 'acme', f('roles-latin1.yaml')],
    `${f('roles-latin1.yaml')}: not UTF-8 text at line 1 (byte 5: 0xE9); save it as UTF-8`,
  ],
  [
    'group-roles',
    ['accounts', 'group-roles', 'acme', f('roles-list.yaml')],
    /^.*roles-list\.yaml: the file: .+ \(roles: tier1, .+, or "none"\)$/,
  ],
  [
    'group-roles',
    ['accounts', 'group-roles', 'acme', f('a-directory')],
    `cannot read ${f('a-directory')}: is a directory, not a file`,
  ],
  // connect: flags are checked before anything is reached or stored
  [
    'connect',
    snConnect('--oauth-client-id', 'cid', '--oauth-refresh-token', 'r'),
    '--oauth-refresh-token needs --oauth-client-id and --oauth-client-secret (all three)',
  ],
  [
    'connect',
    snConnect('--oauth-token', 'o', '--oauth-refresh-token', 'r'),
    'give one way to sign in, not --oauth-token and --oauth-refresh-token',
  ],
  [
    'connect',
    [
      'connect',
      'zendesk',
      '--name',
      'bad/name',
      '--subdomain',
      'acme',
      '--email',
      'a@b.example',
      '--token',
      't',
    ],
    '--name must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit (got "bad/name")',
  ],
  [
    'connect',
    [
      'connect',
      'zendesk',
      '--name',
      'zd',
      '--subdomain',
      'acme corp',
      '--email',
      'a@b.example',
      '--token',
      't',
    ],
    /^--subdomain: "acme corp" is not a Zendesk subdomain/,
  ],
  [
    'connect',
    [
      'connect',
      'servicenow',
      '--name',
      'sn',
      '--instance',
      'notaurl',
      '--user',
      'u',
      '--password',
      'p',
    ],
    /^--instance: .*\(got "notaurl"\)$/,
  ],
  [
    'connect',
    ['connect', 'zendesk', '--name', 'zd', '--subdomain', 'acme', '--email', 'a@b.example'],
    /^--email and --token are required/,
  ],
  // environment variables
  [
    'env',
    ['accounts', 'list'],
    'environment variable DATABASE_URL must start with postgres:// or postgresql://',
    { DATABASE_URL: 'mysql://x' },
  ],
  [
    'env',
    ['accounts', 'list'],
    'environment variable REDIS_URL must start with redis:// or rediss://',
    { REDIS_URL: 'http://x' },
  ],
  ['env', ['accounts', 'list'], /^environment variable PORT .+/, { PORT: '99999' }],
  ['env', ['accounts', 'list'], /^environment variable LOG_LEVEL .+/, { LOG_LEVEL: 'loud' }],
  [
    'env',
    ['import', 'records', f('good.json'), '--name', 'new-account'],
    'environment variable MATURITY_SECRET must be at least 32 characters',
    { MATURITY_SECRET: 'short' },
  ],
  // dates
  [
    'dates',
    ['snapshot', 'acme', '--as-of', '1', '--no-sync'],
    '--as-of must be a date like 2026-06-30 (got "1")',
  ],
  [
    'dates',
    ['snapshot', 'acme', '--as-of', '2026-02-30', '--no-sync'],
    '--as-of must be a real calendar day (got "2026-02-30")',
  ],
  [
    'dates',
    ['snapshot', 'acme', '--as-of', '0000-01-01', '--no-sync'],
    '--as-of must be a date from 1970 to 2100 (got "0000-01-01")',
  ],
  [
    'dates',
    ['snapshot', 'acme', '--as-of', '2101-01-01', '--no-sync'],
    '--as-of must be a date from 1970 to 2100 (got "2101-01-01")',
  ],
  [
    'dates',
    ['snapshot', 'acme', '--as-of', '2026-06-30T25:00:00Z', '--no-sync'],
    '--as-of must be a date-time like 2026-06-30T18:00:00Z (got "2026-06-30T25:00:00Z")',
  ],
  [
    'dates',
    [
      'attest',
      'acme',
      'post-sales-leadership-at-top',
      '--by',
      'Ann',
      '--reason',
      'minutes',
      '--expires',
      '2026-02-30',
    ],
    '--expires must be a real calendar day (got "2026-02-30")',
  ],
  [
    'dates',
    [
      'attest',
      'acme',
      'post-sales-leadership-at-top',
      '--by',
      'Ann',
      '--reason',
      'minutes',
      '--expires',
      '1',
    ],
    '--expires must be a date like 2026-06-30 (got "1")',
  ],
  [
    'dates',
    ['snapshot', 'acme', '--window', '99999m', '--no-sync'],
    '--window must be at most 36500d or 1200m, or all (got "99999m")',
  ],
  [
    'dates',
    ['snapshot', 'acme', '--window', '0d', '--no-sync'],
    '--window must be at least 1d (got "0d")',
  ],
  [
    'dates',
    ['snapshot', 'acme', '--window', '90y', '--no-sync'],
    '--window must be like 90d, 6m or all (got "90y")',
  ],
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Runs the CLI in-process on the same home, with extra environment variables. */
async function runWith(extra: Record<string, string>, argv: string[]): Promise<CliRun> {
  if (!Object.keys(extra).length) return cli.run(...argv);
  await cli.release();
  let out = '';
  let err = '';
  const code = await main(
    ['node', 'maturity', ...argv],
    {
      out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`),
      err: (t) => (err += t.endsWith('\n') ? t : `${t}\n`),
      isTty: false,
    },
    { MATURITY_HOME: cli.home, LOG_LEVEL: 'silent', ...extra },
  );
  return { code, out, err };
}

/** Everything a command could have stored, read straight from the store. */
async function storeState() {
  const store = await cli.store();
  const accounts = await store.listAccounts();
  return Promise.all(
    accounts.map(async (a) => {
      const coverage = await store.coverage(a.id);
      return {
        ...a,
        records: await store.countRecords(a.id),
        kinds: [...coverage.kinds].sort(),
        fields: [...coverage.fields].map(([k, v]) => [k, [...v].sort()]).sort(),
        derived: [...coverage.derived].sort(),
        sources: [...coverage.sources].sort(),
        settings: await store.accountSettings(a.id),
        snapshots: await store.listSnapshots(a.id),
        decisions: await store.decisions(a.id),
      };
    }),
  );
}

describe('the bad-input catalogue', () => {
  let before: Awaited<ReturnType<typeof storeState>>;
  let listed: string;

  beforeAll(async () => {
    writeInputs();
    const imported = await cli.run('import', 'records', f('good.json'), '--name', 'acme');
    expect(imported.code, imported.err).toBe(0);
    expect((await cli.run('accounts', 'group-roles', 'acme', f('roles.yaml'))).code).toBe(0);
    const snap = await cli.run('snapshot', 'acme', '--as-of', '2026-06-30', '--no-sync');
    expect(snap.code, snap.err).toBe(0);
    const csvImport = await cli.run(
      'import',
      'servicenow-incidents',
      f('good-incidents.csv.gz'),
      '--name',
      'snow',
    );
    expect(csvImport.code, csvImport.err).toBe(0);
    before = await storeState();
    expect(before.map((a) => [a.name, a.records.tickets])).toEqual([
      ['acme', 2],
      ['snow', 40],
    ]);
    listed = (await cli.run('accounts', 'list', '--json')).out;
  }, 120_000);

  it('holds at least 40 cases over every area', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const areas = new Set(cases.map((c) => c[0]));
    expect([...areas].sort()).toEqual(
      ['connect', 'csv', 'dates', 'env', 'group-roles', 'records', 'rules'].sort(),
    );
  });

  it.each(cases)(
    '%s: refuses %j in one line, exit 2, storing nothing',
    async (_, argv, stderr, env) => {
      const r = await runWith(env ?? {}, argv);
      const lines = r.err.split('\n').filter(Boolean);
      expect(lines, r.err).toHaveLength(1);
      const line = lines[0]!.replace(/^maturity: /, '');
      if (typeof stderr === 'string') expect(line).toBe(stderr);
      else expect(line).toMatch(stderr);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(await storeState()).toEqual(before);
    },
  );

  it('leaves the account list as it was', async () => {
    expect((await cli.run('accounts', 'list', '--json')).out).toBe(listed);
  });
});
