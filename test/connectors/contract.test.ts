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
import { commonOptions, flagSpec } from '../../connectors/shared/connector-cli.js';
import type { ConnectorEntry } from '../../connectors/shared/define-connector.js';
import { memorySink } from '../../connectors/shared/memory-sink.js';
import { runSync } from '../../connectors/shared/run-sync.js';
import { addConnectCommand, type ConnectRequest } from '../../src/cli/connect.js';
import type { CliContext } from '../../src/cli/context.js';

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
async function connectCli(registry: readonly ConnectorEntry[], args: string[]) {
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
