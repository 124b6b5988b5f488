import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { MaturityError, inputError } from '../errors.js';
import type { ApiTokenRow, Store, TokenRole } from '../store/store.js';

export type { TokenRole } from '../store/store.js';

/** What each role may do; a role may do everything the roles before it may. */
export const ROLES = ['viewer', 'reviewer', 'admin'] as const satisfies readonly TokenRole[];
export const Role = z.enum(ROLES);

/** Whether `role` may do what `needed` may. */
export const roleAllows = (role: TokenRole, needed: TokenRole): boolean =>
  ROLES.indexOf(role) >= ROLES.indexOf(needed);

/** A token's name: it stands for the actor in the audit trail. */
export const TokenName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/,
    'must be 1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
  );

/** The name the environment's MATURITY_API_TOKEN goes by in the audit trail. */
export const ENV_TOKEN_NAME = 'env';

/** Who made a request: the token's name and role. */
export interface Actor {
  name: string;
  role: TokenRole;
  /** How it was known: a stored token, MATURITY_API_TOKEN, or --insecure-local with none. */
  via: 'token' | 'env' | 'insecure-local';
}

/** A new token: `mat_` and 32 random bytes in base64url (shown once, stored only as its hash). */
export const generateToken = (): string => `mat_${randomBytes(32).toString('base64url')}`;

export const hashToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/** E_INPUT when `name` cannot name a token. */
export function checkTokenName(name: string): void {
  const checked = TokenName.safeParse(name);
  if (!checked.success)
    throw inputError(`token name ${checked.error.issues[0]?.message ?? 'is invalid'}`);
  if (name === ENV_TOKEN_NAME)
    throw inputError(`token name "${ENV_TOKEN_NAME}" stands for MATURITY_API_TOKEN; pick another`);
}

/**
 * Creates a named token with a role and returns it in clear: the only time it is seen. A live
 * token of that name already: E_INPUT (revoke it first).
 */
export async function createApiToken(
  store: Store,
  name: string,
  role: TokenRole,
  createdBy?: string,
): Promise<{ token: string; row: ApiTokenRow }> {
  checkTokenName(name);
  const token = generateToken();
  const row = await store.createApiToken({
    name,
    role,
    hash: hashToken(token),
    ...(createdBy ? { createdBy } : {}),
  });
  if (!row)
    throw inputError(
      `a token named "${name}" exists already; revoke it first (maturity tokens revoke ${name})`,
    );
  return { token, row };
}

export async function revokeApiToken(store: Store, name: string): Promise<ApiTokenRow> {
  const row = await store.revokeApiToken(name);
  if (!row)
    throw new MaturityError(
      'E_NOT_FOUND',
      `no live token named "${name}" (list them with: maturity tokens list)`,
    );
  return row;
}

/** Equal hex digests, compared in constant time. */
const sameDigest = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Who a presented token belongs to: MATURITY_API_TOKEN (an admin named "env") or a live stored
 * token; undefined when it is neither. Every candidate is compared in constant time, so the
 * answer's timing does not tell how much of a token was right.
 */
export async function findActor(
  store: Store,
  presented: string,
  envToken: string | undefined,
): Promise<Actor | undefined> {
  const digest = hashToken(presented);
  let found: Actor | undefined;
  if (envToken && sameDigest(digest, hashToken(envToken)))
    found = { name: ENV_TOKEN_NAME, role: 'admin', via: 'env' };
  let id: number | undefined;
  for (const t of await store.liveApiTokenHashes()) {
    if (sameDigest(digest, t.hash) && !found) {
      found = { name: t.name, role: t.role, via: 'token' };
      id = t.id;
    }
  }
  if (id !== undefined) await store.touchApiToken(id);
  return found;
}

/** Whether any token can authenticate: MATURITY_API_TOKEN or a live stored token. */
export async function tokensConfigured(store: Store, envToken: string | undefined) {
  return Boolean(envToken) || (await store.liveApiTokenHashes()).length > 0;
}
