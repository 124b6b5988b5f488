import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { generateOrganisation } from '../../src/demo/generate-org.js';
import { profiles } from '../../src/demo/profiles.js';
import { loadDefaultRules } from '../../src/engine/index.js';
import { importRecords } from '../../src/jobs/import-records.js';
import { createApiToken, type TokenRole } from '../../src/server/api-tokens.js';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import { SecretBox } from '../../src/store/secrets.js';
import type { Store } from '../../src/store/store.js';
import type { Backend } from '../helpers/backends.js';

export const rules = loadDefaultRules();
export const box = new SecretBox('api-test-secret-'.padEnd(40, 'x'));
/** Connector HTTP without waits between retries. */
export const fast = { sleep: async () => undefined, backoffMs: 1 };

export type As = TokenRole | 'none' | { token: string };

export interface Call {
  as?: As;
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/**
 * A server on a fresh store of `backend`, with one token per role, called through fastify's
 * inject (no socket).
 */
export async function apiHarness(backend: Backend, o: Partial<ServerOptions> = {}) {
  const store = await backend.open();
  const tokens = {} as Record<TokenRole, string>;
  for (const role of ['viewer', 'reviewer', 'admin'] as const)
    tokens[role] = (await createApiToken(store, `${role}-1`, role)).token;
  const app = await buildServer({ store, rules, box, clientOptions: fast, ...o });
  const call = (
    method: InjectOptions['method'],
    url: string,
    c: Call = {},
  ): Promise<LightMyRequestResponse> => {
    const as = c.as ?? 'admin';
    const token = typeof as === 'object' ? as.token : as === 'none' ? undefined : tokens[as];
    return app.inject({
      method,
      url,
      ...(c.query ? { query: c.query } : {}),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...c.headers },
      ...(c.body !== undefined ? { payload: c.body as InjectOptions['payload'] } : {}),
    });
  };
  return {
    store,
    app,
    tokens,
    call,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof apiHarness>>;

/** An imported account (a generated organisation, `tickets` of them over 180 days to now). */
export async function importedAccount(
  store: Store,
  name: string,
  o: { profile?: keyof typeof profiles; tickets?: number; seed?: number } = {},
) {
  const batch = generateOrganisation(profiles[o.profile ?? 'managed'], {
    tickets: o.tickets ?? 300,
    now: new Date(),
    seed: o.seed ?? 7,
  });
  return (await importRecords(store, name, batch)).account;
}
