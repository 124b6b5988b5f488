import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import nock from 'nock';
import { afterAll, describe, expect, it } from 'vitest';
import { connectors, loadConnector } from '../../connectors/index.js';
import { cliAddresses } from '../../connectors/shared/check-address.js';
import {
  commonOptions,
  flagOf,
  flagSpec,
  secretEnvName,
} from '../../connectors/shared/connector-cli.js';
import type { ConnectorEntry } from '../../connectors/shared/define-connector.js';
import { memorySink } from '../../connectors/shared/memory-sink.js';
import { runSync } from '../../connectors/shared/run-sync.js';
import { addConnectCommand, type ConnectRequest } from '../../src/cli/connect.js';
import type { CliContext } from '../../src/cli/context.js';
import { METADATA_SPELLINGS } from '../helpers/addresses.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Every test file under these folders (a connector's tests: test/<id>/, connectors/<id>/). */
function testFiles(dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.test.ts'))
          .map((f) => path.join(dir, f))
      : [],
  );
}

/** The stream's name as a whole word (`-` and `_` included) somewhere in the text. */
const names = (text: string, name: string) =>
  new RegExp(`(?<![\\w-])${name.replace(/[-]/g, '\\-')}(?![\\w-])`).test(text);

/** `maturity connect …` built from `registry`, run in-process; what the connect step received. */
async function connectCli(
  registry: readonly ConnectorEntry[],
  args: string[],
  io: { env?: Record<string, string>; stdin?: string } = {},
) {
  let out = '';
  let request: ConnectRequest | undefined;
  const argv = ['node', 'maturity', ...args];
  const program = new Command('maturity')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
  await addConnectCommand(program, {
    context: async () => ({}) as CliContext,
    argv,
    registry,
    connect: async (_ctx, r) => {
      request = r;
    },
    env: io.env ?? {},
    readStdin: async () => {
      if (io.stdin === undefined) throw new Error('no standard input in this test');
      return io.stdin;
    },
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (!(err instanceof CommanderError && err.code === 'commander.helpDisplayed')) throw err;
  }
  return { out, request };
}

/**
 * What every connector of a registry owes: a README, unique stream names with a cursor schema and
 * a test each, and `maturity connect <id>` flags that parse, through its own `input`, into
 * settings and credentials its schemas accept.
 */
function contract(registry: () => ConnectorEntry[], entry: ConnectorEntry, folder: string) {
  const testDirs = [folder, path.join(root, 'test', entry.id)];

  it('has a README', () => {
    expect(existsSync(path.join(folder, 'README.md'))).toBe(true);
  });

  it('loads a definition with the id of its registry entry', async () => {
    expect((await entry.load()).default.id).toBe(entry.id);
  });

  it('has streams with unique names, record kinds and a cursor schema', async () => {
    const { streams } = (await entry.load()).default;
    expect(streams.length).toBeGreaterThan(0);
    const list = streams.map((s) => s.name);
    expect(new Set(list).size, list.join()).toBe(list.length);
    for (const s of streams) {
      expect(s.kinds.length, s.name).toBeGreaterThan(0);
      expect(typeof s.cursor?.safeParse, s.name).toBe('function');
    }
  });

  it('has a test naming each stream', async () => {
    const { streams } = (await entry.load()).default;
    const texts = testFiles(testDirs).map((f) => readFileSync(f, 'utf8'));
    expect(texts.length).toBeGreaterThan(0);
    const untested = streams.map((s) => s.name).filter((n) => !texts.some((t) => names(t, n)));
    expect(untested).toEqual([]);
  });

  it('keeps its connect flags (cli.ts) free of zod, so maturity connect --help stays fast', () => {
    const imports = [
      ...readFileSync(path.join(folder, 'cli.ts'), 'utf8').matchAll(/from '([^']+)'/g),
    ];
    expect(imports.map((m) => m[1])).not.toContain('zod');
  });

  it('declares its own connect flags, none named like the common ones', async () => {
    const { cli } = await entry.cli();
    expect(cli.description).toBeTruthy();
    for (const key of Object.keys(cli.options)) {
      expect(Object.keys(commonOptions)).not.toContain(key);
      expect(key).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    }
  });

  it('appears under maturity connect, with its flags in the help', async () => {
    const { cli } = await entry.cli();
    expect((await connectCli(registry(), ['connect', '--help'])).out).toMatch(
      new RegExp(`^\\s+${entry.id} \\[options\\]`, 'm'),
    );
    const help = (await connectCli(registry(), ['connect', entry.id, '--help'])).out;
    const all = { name: commonOptions.name, ...cli.options, update: commonOptions.update };
    for (const [key, option] of Object.entries(all)) expect(help).toContain(flagSpec(key, option));
  });

  it('parses its example flags into settings and credentials its schemas accept', async () => {
    const { cli } = await entry.cli();
    const { request } = await connectCli(registry(), [
      'connect',
      entry.id,
      '--name',
      'contract',
      ...cli.example,
    ]);
    expect(request).toMatchObject({ name: 'contract', update: false });
    const connector = request!.connector;
    expect(connector.id).toBe(entry.id);
    const config = connector.configSchema.safeParse(request!.config);
    const secret = connector.secretSchema.safeParse(request!.secret);
    expect(config.error?.issues ?? []).toEqual([]);
    expect(secret.error?.issues ?? []).toEqual([]);
  });

  it('marks its credentials secret and the flags naming a host to call as addresses', async () => {
    const { cli } = await entry.cli();
    const keys = Object.keys(cli.options);
    const secrets = keys.filter((k) => cli.options[k]!.secret);
    expect(secrets.length).toBeGreaterThan(0);
    for (const k of keys.filter((k) => /token|password|secret|key$/i.test(k)))
      expect(cli.options[k]!.secret, k).toBe(true);
    for (const k of keys.filter((k) => /url$|instance|subdomain|site|domain|host/i.test(k)))
      expect(cli.options[k]!.address, k).toBe(true);
    // The flags generated for each secret must not clash with the connector's own.
    for (const k of secrets) {
      expect(keys).not.toContain(`${k}File`);
      expect(keys).not.toContain(`${k}Stdin`);
    }
  });

  it('takes each secret from a file, standard input or the environment, as from its flag', async () => {
    const { cli } = await entry.cli();
    const help = (await connectCli(registry(), ['connect', entry.id, '--help'])).out;
    const base = ['connect', entry.id, '--name', 'contract'];
    const expected = (await connectCli(registry(), [...base, ...cli.example])).request!.secret;
    const dir = mkdtempSync(path.join(tmpdir(), 'maturity-secret-'));
    try {
      for (const [key, option] of Object.entries(cli.options).filter(([, o]) => o.secret)) {
        const env = secretEnvName(entry.id, key);
        expect(help).toContain(`${flagOf(key)}-file <path>`);
        expect(help).toContain(`${flagOf(key)}-stdin`);
        expect(help.replace(/\s+/g, ' ')).toContain(env);
        expect(option.arg, key).toBeTruthy();
        const at = cli.example.indexOf(flagOf(key));
        if (at < 0) continue;
        const value = cli.example[at + 1]!;
        const without = cli.example.filter((_, i) => i !== at && i !== at + 1);
        const file = path.join(dir, key);
        writeFileSync(file, `${value}\n`);
        const fromFile = await connectCli(registry(), [
          ...base,
          ...without,
          `${flagOf(key)}-file`,
          file,
        ]);
        const fromStdin = await connectCli(
          registry(),
          [...base, ...without, `${flagOf(key)}-stdin`],
          {
            stdin: `${value}\r\n`,
          },
        );
        const fromEnv = await connectCli(registry(), [...base, ...without], {
          env: { [env]: value },
        });
        for (const r of [fromFile, fromStdin, fromEnv]) {
          expect(r.request?.secret, key).toEqual(expected);
          expect(r.out).not.toContain(value);
        }
        await expect(
          connectCli(registry(), [...base, ...cli.example, `${flagOf(key)}-file`, file]),
        ).rejects.toMatchObject({
          code: 'E_INPUT',
          message: `give ${flagOf(key)} once (got ${flagOf(key)} and ${flagOf(key)}-file)`,
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Its example with `value` in the address flag `key` (added when the example leaves it out). */
  const withAddress = (example: string[], key: string, value: string) => {
    const at = example.indexOf(flagOf(key));
    return at < 0
      ? [...example, flagOf(key), value]
      : example.map((x, i) => (i === at + 1 ? value : x));
  };

  it('refuses a metadata or link-local address in every spelling in each address flag', async () => {
    const { cli } = await entry.cli();
    const connector = (await entry.load()).default;
    const addressKeys = Object.keys(cli.options).filter((k) => cli.options[k]!.address);
    expect(addressKeys.length).toBeGreaterThan(0);
    for (const key of addressKeys) {
      for (const host of [...METADATA_SPELLINGS, '[fe80::1]', '169.254.0.1']) {
        const args = withAddress(cli.example, key, `https://${host}`);
        const { request } = await connectCli(registry(), [
          'connect',
          entry.id,
          '--name',
          'c',
          ...args,
        ]);
        const issue = connector.configSchema.safeParse(request!.config).error?.issues[0];
        expect(issue?.path[0], `${key} ${host}`).toBe(key);
        expect(issue?.message, `${key} ${host}`).toMatch(
          /^must not point at a (cloud metadata|link-local) address/,
        );
      }
    }
  });

  it('allows loopback in its address flags from the CLI, and refuses it with allowPrivate: false', async () => {
    const { cli } = await entry.cli();
    const connector = (await entry.load()).default;
    const refusal = /must not point at|user name or password/;
    for (const key of Object.keys(cli.options).filter((k) => cli.options[k]!.address)) {
      const args = withAddress(cli.example, key, 'https://127.0.0.1:8443');
      const { request } = await connectCli(registry(), [
        'connect',
        entry.id,
        '--name',
        'c',
        ...args,
      ]);
      const lax = connector.configSchemaFor(cliAddresses).safeParse(request!.config);
      expect(lax.error?.issues[0]?.message ?? '', key).not.toMatch(refusal);
      const strict = connector.configSchemaFor({ allowPrivate: false }).safeParse(request!.config);
      expect(strict.error?.issues[0], key).toMatchObject({
        path: [key],
        message: expect.stringMatching(
          /^must not point at a private or loopback address \(127\.0\.0\.1\)/,
        ),
      });
    }
  });
}

describe('the registry', () => {
  it('has one entry per id, each a folder of connectors/', () => {
    const ids = connectors.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(existsSync(path.join(root, 'connectors', id, 'index.ts'))).toBe(true);
  });

  it('finds a connector by id and nothing for an imported account', async () => {
    expect((await loadConnector('zendesk'))?.id).toBe('zendesk');
    expect(await loadConnector('records')).toBeUndefined();
  });
});

for (const entry of connectors) {
  describe(`connector ${entry.id}`, () => {
    contract(() => connectors, entry, path.join(root, 'connectors', entry.id));
  });
}

/**
 * A new connector is a copy of connectors/_template plus one registry line. The copy goes to a
 * temporary folder laid out like the repository (src/, connectors/shared and node_modules linked
 * in), so its imports resolve as they would in connectors/throwaway/; the only edit is its id.
 */
describe('a throwaway connector copied from connectors/_template', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'maturity-connector-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  for (const linked of ['src', 'node_modules', 'connectors/shared']) {
    mkdirSync(path.dirname(path.join(tmp, linked)), { recursive: true });
    symlinkSync(path.join(root, linked), path.join(tmp, linked), 'dir');
  }
  const folder = path.join(tmp, 'connectors', 'throwaway');
  cpSync(path.join(root, 'connectors', '_template'), folder, { recursive: true });
  const index = path.join(folder, 'index.ts');
  writeFileSync(index, readFileSync(index, 'utf8').replace("id: 'template'", "id: 'throwaway'"));
  const url = (file: string) => pathToFileURL(path.join(folder, file)).href;

  // The one line a new connector adds to connectors/index.ts:
  const line: ConnectorEntry = {
    id: 'throwaway',
    cli: () => import(url('cli.ts')),
    load: () => import(url('index.ts')),
  };
  const registry = () => [...connectors, line];

  contract(registry, line, folder);

  it('syncs its example stream through the runner', async () => {
    const connector = (await line.load()).default;
    const config = connector.configSchema.parse({ url: 'https://throwaway.example' });
    nock('https://throwaway.example')
      .get('/api/v1/tickets')
      .query({ page: 1 })
      .reply(200, {
        tickets: [{ id: 1, created_at: '2026-01-05T09:00:00Z', status: 'open' }],
        next_page: null,
      });
    const sink = memorySink();
    const outcomes = await runSync({
      sink,
      connector,
      config,
      client: connector.createClient(config, { token: 't' }),
    });
    expect(outcomes).toMatchObject([{ stream: 'tickets', ok: true, records: 1 }]);
    expect(sink.state.cursors.has('throwaway:tickets')).toBe(true);
  });
});
