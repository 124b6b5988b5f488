import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LayerSuggestion, SnapshotBody } from '../../src/domain/evidence.js';
import { holdLevels } from '../../src/engine/index.js';
import { createLogger } from '../../src/log.js';
import { SecretBox } from '../../src/store/secrets.js';
import { Store } from '../../src/store/store.js';
import { cliHome } from '../helpers/cli.js';
import { memoryStore } from '../helpers/store-template.js';

const PLAIN = 'zd-token-Sup3rSecret-value';

describe('secrets at rest', () => {
  it('seals with AES-256-GCM: the sealed text holds no plaintext and tampering is detected', () => {
    const box = new SecretBox('a'.repeat(40));
    const sealed = box.seal({ token: PLAIN });
    expect(sealed).not.toContain(PLAIN);
    expect(sealed.startsWith(`v1:${box.keyId}:`)).toBe(true);
    expect(box.open(sealed)).toEqual({ token: PLAIN });
    const parts = sealed.split(':');
    parts[4] = parts[4]!.slice(0, -2) + (parts[4]!.endsWith('AA') ? 'BB' : 'AA');
    expect(() => box.open(parts.join(':'))).toThrow(/could not be decrypted/);
    expect(() => new SecretBox('b'.repeat(40)).open(sealed)).toThrow(/sealed with key/);
  });

  it('leaves no plaintext secret in a dump of the database', async () => {
    const store = await memoryStore();
    try {
      const box = new SecretBox('c'.repeat(40));
      const a = await store.createAccount('acme', 'zendesk', { subdomain: 'acme' });
      await store.setAccountSecret(a.id, box.seal({ email: 'x@y.z', token: PLAIN }));
      const dump = JSON.stringify(await store.dbForTests.query('SELECT * FROM accounts'));
      expect(dump).not.toContain(PLAIN);
      expect(box.open<{ token: string }>((await store.accountSecret(a.id))!).token).toBe(PLAIN);
    } finally {
      await store.close();
    }
  });

  it('re-seals every credential under a new key with maturity accounts rotate-key', async () => {
    const oldKey = 'old-key-'.padEnd(40, 'x');
    const newKey = 'new-key-'.padEnd(40, 'y');
    const cli = cliHome({ MATURITY_SECRET: newKey, MATURITY_SECRET_PREVIOUS: oldKey });
    const store = await Store.open({ dir: `${cli.home}/db` });
    const a = await store.createAccount('acme', 'zendesk', { subdomain: 'acme' });
    await store.setAccountSecret(a.id, new SecretBox(oldKey).seal({ token: PLAIN }));
    await store.close();
    const r = await cli.run('accounts', 'rotate-key');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/re-sealed 1 of 1/);
    const again = await Store.open({ dir: `${cli.home}/db` });
    try {
      expect(new SecretBox(newKey).open((await again.accountSecret(a.id))!)).toEqual({
        token: PLAIN,
      });
    } finally {
      await again.close();
    }
  });
});

describe('logs', () => {
  it('never print a secret, however deep it sits in a logged object', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    const log = createLogger('info', sink as never);
    log.info(
      {
        config: { token: PLAIN },
        request: { headers: { Authorization: `Basic ${PLAIN}` } },
        password: PLAIN,
      },
      'connect',
    );
    log.error(
      { err: Object.assign(new Error('boom'), { config: { headers: { Authorization: PLAIN } } }) },
      'failed',
    );
    expect(out).toContain('connect');
    expect(out).toContain('boom');
    expect(out).not.toContain(PLAIN);
  });
});

describe('partial snapshots', () => {
  const layer = (
    level: number,
    statuses: Record<number, 'met' | 'unmet' | 'unknown'>,
  ): LayerSuggestion => ({
    model: 'ftworks',
    modelName: 'FT Works',
    layer: 'processes',
    layerName: 'Processes',
    level,
    levelName: `L${level}`,
    possibleLevel: level,
    possibleLevelName: `L${level}`,
    awaiting: { data: 0, review: 0 },
    criteria: Object.entries(statuses).map(([lvl, status]) => ({
      id: `c${lvl}`,
      statement: 'x',
      level: Number(lvl),
      status,
    })),
    blockers: [],
    unknowns: [],
  });
  const previous = (level: number) => ({ layers: [layer(level, {})] }) as unknown as SnapshotBody;

  it('keep the last level when the drop comes only from evidence that went missing', () => {
    const [held] = holdLevels([layer(1, { 1: 'met', 2: 'unknown', 3: 'unknown' })], previous(3));
    expect(held).toMatchObject({ level: 3, heldFromPrevious: true });
  });

  it('still lower a level that data shows unmet', () => {
    const [l] = holdLevels([layer(1, { 1: 'met', 2: 'unmet', 3: 'unknown' })], previous(3));
    expect(l).toMatchObject({ level: 1 });
    expect(l?.heldFromPrevious).toBeUndefined();
  });
});
