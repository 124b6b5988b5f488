import { afterEach, describe, expect, it } from 'vitest';
import {
  createApiToken,
  findActor,
  hashToken,
  revokeApiToken,
  tokensConfigured,
} from '../../src/server/api-tokens.js';
import type { Store } from '../../src/store/store.js';
import { backends } from '../helpers/backends.js';

describe.each(backends)('API tokens on $name', (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('keeps only the hash of a token, and knows its name and role by it', async () => {
    store = await backend.open();
    const { token } = await createApiToken(store, 'dana', 'reviewer');
    expect(token).toMatch(/^mat_[A-Za-z0-9_-]{43}$/);
    const rows = await store.dbForTests.query<Record<string, unknown>>('SELECT * FROM api_tokens');
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]?.hash).toBe(hashToken(token));
    expect(await findActor(store, token, undefined)).toEqual({
      name: 'dana',
      role: 'reviewer',
      via: 'token',
    });
    expect(await findActor(store, `${token}x`, undefined)).toBeUndefined();
  });

  it('forgets a revoked token, keeps its row, and lets the name be used again', async () => {
    store = await backend.open();
    const { token } = await createApiToken(store, 'ci', 'viewer');
    await expect(createApiToken(store, 'ci', 'admin')).rejects.toThrow(/exists already/);
    await revokeApiToken(store, 'ci');
    expect(await findActor(store, token, undefined)).toBeUndefined();
    expect(await tokensConfigured(store, undefined)).toBe(false);
    await expect(revokeApiToken(store, 'ci')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    const again = await createApiToken(store, 'ci', 'admin');
    expect((await findActor(store, again.token, undefined))?.role).toBe('admin');
    const all = await store.listApiTokens({ includeRevoked: true });
    expect(all.map((t) => [t.name, t.revokedAt !== null])).toEqual([
      ['ci', true],
      ['ci', false],
    ]);
  });

  it('takes MATURITY_API_TOKEN as an admin named "env"', async () => {
    store = await backend.open();
    const env = 'an-environment-token-of-some-length';
    expect(await tokensConfigured(store, env)).toBe(true);
    expect(await findActor(store, env, env)).toEqual({ name: 'env', role: 'admin', via: 'env' });
    expect(await findActor(store, 'another-token-entirely', env)).toBeUndefined();
    await expect(createApiToken(store, 'env', 'admin')).rejects.toThrow(/MATURITY_API_TOKEN/);
    await expect(createApiToken(store, 'two words', 'admin')).rejects.toThrow(/token name must/);
  });
});
