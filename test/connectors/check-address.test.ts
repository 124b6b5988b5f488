import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkAddress,
  classifyHost,
  cliAddresses,
  withoutUserinfo,
} from '../../connectors/shared/check-address.js';
import { HttpClient } from '../../connectors/shared/http-client.js';
import { METADATA_SPELLINGS } from '../helpers/addresses.js';

const strict = { allowPrivate: false };
const problem = (url: string, policy = cliAddresses) => {
  const r = checkAddress(url, { policy });
  return 'problem' in r ? r.problem : undefined;
};

describe('the address check', () => {
  it.each(METADATA_SPELLINGS)(
    'refuses %s as a cloud metadata address, whatever the policy',
    (host) => {
      for (const policy of [cliAddresses, strict])
        expect(problem(`http://${host}/latest/meta-data`, policy)).toMatch(
          /^must not point at a cloud metadata address \(/,
        );
    },
  );

  it.each(['169.254.1.1', '[fe80::1]', '[fe80::a9fe:a9fe]', '[febf::1]'])(
    'refuses the link-local %s, whatever the policy',
    (host) => {
      for (const policy of [cliAddresses, strict])
        expect(problem(`https://${host}:8443`, policy)).toMatch(
          /^must not point at a link-local address/,
        );
    },
  );

  it('names the IPv4 address an IPv6 spelling carries', () => {
    expect(problem('http://[::ffff:169.254.169.254]')).toBe(
      'must not point at a cloud metadata address ([::ffff:a9fe:a9fe], that is 169.254.169.254)',
    );
    expect(problem('http://2852039166')).toBe(
      'must not point at a cloud metadata address (169.254.169.254)',
    );
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['localhost', 'loopback'],
    ['[::1]', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['0.0.0.0', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.9', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['[fd12::1]', 'private'],
    ['proxy', 'private'],
    ['zendesk-sim.internal', 'private'],
  ])('allows %s (%s) from the CLI and refuses it with allowPrivate: false', (host, cls) => {
    const url = `http://${host}:8080`;
    expect(classifyHost(new URL(url).hostname)).toBe(cls);
    expect(problem(url, cliAddresses)).toBeUndefined();
    expect(problem(url, strict)).toMatch(
      /^must not point at a private or loopback address \(.*\): this server does not allow them$/,
    );
  });

  it.each([
    'https://acme.zendesk.com',
    'https://acme.service-now.com',
    'http://[2001:db8::1]',
    'https://8.8.8.8',
  ])('allows the public %s under both policies', (url) => {
    expect(problem(url, cliAddresses)).toBeUndefined();
    expect(problem(url, strict)).toBeUndefined();
  });

  it('refuses a user name or password in the URL without repeating them', () => {
    for (const url of ['https://admin:S3cret@acme.zendesk.com', 'https://S3cret@127.0.0.1:9']) {
      expect(problem(url)).toBe(
        'must not carry a user name or password (give the credentials with their own flags)',
      );
    }
    expect(problem('https://admin:S3cret@[acme')).toBe(
      'must be an http(s) URL like https://acme.example (got "https://***@[acme")',
    );
    expect(problem('admin:S3cret@acme.example')).toBe('must use http or https (got admin)');
    expect(withoutUserinfo('admin:S3cret@host')).toBe('***@host');
  });
});

describe('a host name that resolves to a refused address', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('{"ok":true}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const client = (baseURL: string, o: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
    new HttpClient({ tool: 'Test', baseURL, headers: {}, maxAttempts: 1, ...o });

  it('is refused when connecting, before any byte is sent', async () => {
    let connected = false;
    server.once('connection', () => (connected = true));
    const lookup = ((_host: string, _o: unknown, cb: (e: null, a: unknown[]) => void) =>
      cb(null, [{ address: '169.254.169.254', family: 4 }])) as never;
    await expect(
      client(`http://innocent.example:${port}`, { lookup }).get('/'),
    ).rejects.toMatchObject({
      code: 'E_INPUT',
      message: `Test at http://innocent.example:${port} is not called: innocent.example resolves to a cloud metadata address (169.254.169.254): refused`,
    });
    expect(connected).toBe(false);
  });

  it('calls a name that resolves to loopback from the CLI, and refuses it with allowPrivate: false', async () => {
    expect((await client(`http://localhost:${port}`).get('/')).data).toEqual({ ok: true });
    await expect(
      client(`http://localhost:${port}`, { addresses: strict }).get('/'),
    ).rejects.toMatchObject({
      code: 'E_INPUT',
      message: expect.stringMatching(/localhost resolves to a private or loopback address/),
    });
  });
});
