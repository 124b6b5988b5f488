import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { RuleSet } from '../../src/engine/index.js';
import { createApiToken, type TokenRole } from '../../src/server/api-tokens.js';
import { buildServer } from '../../src/server/app.js';
import { SecretBox } from '../../src/store/secrets.js';
import type { Store } from '../../src/store/store.js';

/**
 * The real server (`maturity serve`'s app: API and review page) listening on a free loopback
 * port over `store`, with one token per role.
 */
export async function startServer(store: Store, rules: RuleSet) {
  const tokens = {} as Record<TokenRole, string>;
  for (const role of ['viewer', 'reviewer', 'admin'] as const)
    tokens[role] = (
      await createApiToken(store, role === 'reviewer' ? 'dana' : `${role}-1`, role)
    ).token;
  const app: FastifyInstance = await buildServer({
    store,
    rules,
    box: new SecretBox('e2e-test-secret-'.padEnd(40, 'x')),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, tokens };
}
export type Server = Awaited<ReturnType<typeof startServer>>;
