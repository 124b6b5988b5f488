import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zendesk } from '../../connectors/zendesk/index.js';
import { connectAccount } from '../../src/jobs/connect-account.js';
import { secretBoxFor } from '../../src/store/secrets.js';
import { cliHome } from '../helpers/cli.js';
import { memoryStore } from '../helpers/store-template.js';

const root = path.resolve(import.meta.dirname, '../..');
const SECRET = 'S3cret-0f-the-day';
const ME = { user: { id: 7, name: 'Ada', email: 'ada@acme.example', role: 'admin' } };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** The seven spellings of 169.254.169.254 the issue tried, and its neighbours. */
const SPELLINGS: [string, RegExp][] = [
  ['169.254.169.254', /a cloud metadata address \(169\.254\.169\.254\)/],
  ['2852039166', /a cloud metadata address \(169\.254\.169\.254\)/],
  ['0xa9fea9fe', /a cloud metadata address \(169\.254\.169\.254\)/],
  ['0251.0376.0251.0376', /a cloud metadata address \(169\.254\.169\.254\)/],
  ['169.254.43518', /a cloud metadata address \(169\.254\.169\.254\)/],
  [
    '[::ffff:169.254.169.254]',
    /a cloud metadata address \(\[::ffff:a9fe:a9fe\], that is 169\.254\.169\.254\)/,
  ],
  [
    '[::ffff:a9fe:a9fe]',
    /a cloud metadata address \(\[::ffff:a9fe:a9fe\], that is 169\.254\.169\.254\)/,
  ],
  ['[fd00:ec2::254]', /a cloud metadata address \(\[fd00:ec2::254\]\)/],
  ['metadata.google.internal', /a cloud metadata address \(metadata\.google\.internal\)/],
  ['[fe80::1]', /a link-local address \(\[fe80::1\]\)/],
];

/** A valid command line but for the address flag, which gets `url(host)`. */
const FLAGS: [string, string, (host: string) => string, string[]][] = [
  ['zendesk', '--base-url', (h) => `http://${h}`, ['--subdomain', 'acme', '--oauth-token', 'o']],
  ['zendesk', '--subdomain', (h) => `https://${h}`, ['--oauth-token', 'o']],
  ['servicenow', '--instance', (h) => `https://${h}`, ['--user', 'u', '--password', 'p']],
  [
    'servicenow',
    '--base-url',
    (h) => `http://${h}:8080`,
    ['--instance', 'https://acme.service-now.com', '--user', 'u', '--password', 'p'],
  ],
];

const cases = FLAGS.flatMap(([connector, flag, url, rest]) =>
  SPELLINGS.map(([host, said]) => ({ connector, flag, value: url(host), rest, said })),
);

describe('maturity connect: the addresses it will call', () => {
  const cli = cliHome();

  it.each(cases)(
    'refuses $flag $value of $connector in one line naming the flag, exit 2, storing nothing',
    async ({ connector, flag, value, rest, said }) => {
      const r = await cli.run('connect', connector, '--name', 'acme', ...rest, flag, value);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`^maturity: ${flag}: must not point at ${said.source}\\n$`));
    },
  );

  it('stored nothing for any of them', async () => {
    expect(JSON.parse((await cli.run('accounts', 'list', '--json')).out)).toEqual([]);
  });

  it('connects through a loopback --base-url from the CLI (a test server, the demo)', async () => {
    nock('http://127.0.0.1:9').get('/api/v2/users/me.json').reply(200, ME);
    const r = await cli.run(
      'connect',
      'zendesk',
      '--name',
      'loop',
      '--subdomain',
      'acme',
      '--oauth-token',
      'o',
      '--base-url',
      'http://0x7f.1:9/',
    );
    expect(r.code, r.err).toBe(0);
    const show = JSON.parse((await cli.run('accounts', 'show', 'loop', '--json')).out) as {
      config: { baseUrl: string };
    };
    expect(show.config.baseUrl).toBe('http://127.0.0.1:9'); // the host that was checked
  });

  it('refuses a loopback --base-url for an account created with allowPrivate: false', async () => {
    const store = await memoryStore();
    try {
      const box = secretBoxFor('k'.repeat(40), mkdtempSync(path.join(tmpdir(), 'maturity-')));
      await expect(
        connectAccount(store, zendesk, {
          name: 'api-made',
          config: { subdomain: 'acme', baseUrl: 'http://127.0.0.1:9' },
          secret: { oauthToken: 'o' },
          box,
          addresses: { allowPrivate: false },
        }),
      ).rejects.toMatchObject({
        code: 'E_INPUT',
        message:
          '--base-url: must not point at a private or loopback address (127.0.0.1): this server does not allow them',
      });
      expect(await store.findAccount('api-made')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it.each([
    [
      'zendesk',
      [
        '--subdomain',
        'acme',
        '--oauth-token',
        'o',
        '--base-url',
        `https://admin:${SECRET}@127.0.0.1:9`,
      ],
    ],
    ['zendesk', ['--subdomain', `https://admin:${SECRET}@acme.zendesk.com`, '--oauth-token', 'o']],
    ['zendesk', ['--subdomain', `admin:${SECRET}@acme.zendesk.com`, '--oauth-token', 'o']],
    [
      'servicenow',
      [
        '--instance',
        `https://admin:${SECRET}@acme.service-now.com`,
        '--user',
        'u',
        '--password',
        'p',
      ],
    ],
    [
      'servicenow',
      ['--instance', `https://admin:${SECRET}@[acme`, '--user', 'u', '--password', 'p'],
    ],
  ])('never repeats the user name or password of a %s URL %j', async (connector, args) => {
    const r = await cli.run('connect', connector, '--name', 'userinfo', ...args);
    expect(r.code).toBe(2);
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.out + r.err).not.toContain(SECRET);
    expect(r.out + r.err).not.toContain('admin:');
    expect((await cli.run('accounts', 'list', '--json')).out).not.toContain('userinfo');
  });
});

describe('maturity connect: secrets kept off the command line', () => {
  const me = (token: string) =>
    nock('https://acme.zendesk.com', {
      reqheaders: { authorization: basic('ada@acme.example/token', token) },
    })
      .get('/api/v2/users/me.json')
      .reply(200, ME);
  const zendeskArgs = (name: string) => [
    'connect',
    'zendesk',
    '--name',
    name,
    '--subdomain',
    'acme',
    '--email',
    'ada@acme.example',
  ];

  it('reads --token from MATURITY_ZENDESK_TOKEN and never prints it', async () => {
    const cli = cliHome({ MATURITY_ZENDESK_TOKEN: SECRET });
    me(SECRET);
    const r = await cli.run(...zendeskArgs('env'));
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    const show = await cli.run('accounts', 'show', 'env', '--json');
    for (const out of [r.out, r.err, show.out, show.err]) expect(out).not.toContain(SECRET);
  });

  it('reads --token from --token-file, without its final newline', async () => {
    const cli = cliHome();
    const file = path.join(cli.home, 'token');
    writeFileSync(file, `${SECRET}\n`, { mode: 0o600 });
    me(SECRET);
    const r = await cli.run(...zendeskArgs('file'), '--token-file', file);
    expect(r.code, r.err).toBe(0);
    expect(r.out + r.err).not.toContain(SECRET);
  });

  it('a --token typed on the command line works, with a warning that names the other ways', async () => {
    const cli = cliHome();
    me(SECRET);
    const r = await cli.run(...zendeskArgs('typed'), '--token', SECRET);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe(
      'warning: --token on the command line can be read by other users of this machine (ps, shell history); next time use --token-file, --token-stdin or MATURITY_ZENDESK_TOKEN\n',
    );
    expect(r.out + r.err).not.toContain(SECRET);
  });

  it.each([
    [
      ['--token-file', '/nonexistent/token'],
      '--token-file: cannot read /nonexistent/token (ENOENT)',
    ],
    [['--token', 'a', '--token-file', '/x'], 'give --token once (got --token and --token-file)'],
    [
      ['--token-stdin', '--oauth-token-stdin'],
      'only one secret can come from standard input (got --token-stdin and --oauth-token-stdin)',
    ],
  ])('refuses %j in one line, exit 2', async (args, message) => {
    const cli = cliHome();
    const r = await cli.run(...zendeskArgs('bad'), ...args);
    expect(r).toEqual({ code: 2, out: '', err: `maturity: ${message}\n` });
  });

  it('reads --password from standard input in a real process (nothing in ps)', async () => {
    const seen: IncomingMessage['headers'][] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ result: [] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const home = mkdtempSync(path.join(tmpdir(), 'maturity-'));
      const child = spawn(
        process.execPath,
        [
          path.join(root, 'bin/maturity.js'),
          'connect',
          'servicenow',
          '--name',
          'piped',
          '--instance',
          'https://acme.service-now.com',
          '--base-url',
          `http://127.0.0.1:${port}`,
          '--user',
          'reader',
          '--password-stdin',
        ],
        { env: { ...process.env, MATURITY_HOME: home, LOG_LEVEL: 'silent' } },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.stdin.end(`${SECRET}\n`);
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code, out).toBe(0);
      expect(out).toMatch(/connected "piped" as reader on acme.service-now.com/);
      expect(out).not.toContain(SECRET);
      expect(seen.map((h) => h.authorization)).toEqual([basic('reader', SECRET)]);
    } finally {
      server.close();
    }
  }, 120_000);
});
