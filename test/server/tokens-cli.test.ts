import { describe, expect, it } from 'vitest';
import { cliHome } from '../helpers/cli.js';

describe('maturity tokens', () => {
  it(
    'creates a token printed once, lists it without the token, revokes it',
    { timeout: 180_000 },
    async () => {
      const cli = cliHome({}, { keepOpen: true });
      const made = await cli.run('tokens', 'create', 'dana', '--role', 'reviewer');
      expect(made.code).toBe(0);
      const token = made.out.trim();
      expect(token).toMatch(/^mat_/);
      expect(made.err).toMatch(/shown once/);
      expect(made.err).not.toContain(token);

      const list = await cli.run('tokens', 'list', '--json');
      expect(list.code).toBe(0);
      expect(list.out).not.toContain(token);
      expect(JSON.parse(list.out)).toEqual([
        expect.objectContaining({ name: 'dana', role: 'reviewer', lastUsedAt: null }),
      ]);

      expect((await cli.run('tokens', 'revoke', 'dana')).code).toBe(0);
      expect(JSON.parse((await cli.run('tokens', 'list', '--json')).out)).toEqual([]);
      const all = JSON.parse((await cli.run('tokens', 'list', '--json', '--all')).out) as unknown[];
      expect(all).toEqual([
        expect.objectContaining({ name: 'dana', revokedAt: expect.any(String) }),
      ]);
    },
  );

  it.each([
    [['tokens', 'create', 'x', '--role', 'owner'], 2, /--role must be viewer, reviewer or admin/],
    [['tokens', 'create', 'a b', '--role', 'admin'], 2, /token name must be/],
    [['tokens', 'revoke', 'nobody'], 1, /no live token named "nobody"/],
  ])('refuses %j with one line', async (args, code, message) => {
    const r = await cliHome().run(...args);
    expect(r.code).toBe(code);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
  });
});
