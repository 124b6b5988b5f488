import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MaturityError } from '../errors.js';
import type { Store } from '../store/store.js';
import { PROBLEM_TYPE, problemOf } from './problem.js';
import {
  findActor,
  roleAllows,
  tokensConfigured,
  type Actor,
  type TokenRole,
} from './api-tokens.js';

/** What a route asks of the caller: a role at least, or nothing (`public`). */
export type Access = TokenRole | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; a route that says nothing is for admins. */
    access?: Access;
    /** Keep the body as sent in `request.rawBody` (a module that parses it again needs it). */
    rawBody?: boolean;
    /** Rewords the route's error messages (and its validation messages) for an API caller. */
    reword?: (request: FastifyRequest, message: string) => string;
  }
  interface FastifyRequest {
    /** Who made the request (set by the auth hook; undefined on public routes). */
    actor?: Actor;
    /** The body as sent, before validation turned it into its parsed value (`config.rawBody`). */
    rawBody?: unknown;
  }
}

/** The cookie a browser keeps a token in (HttpOnly, SameSite=Strict): the same token, the same roles. */
export const TOKEN_COOKIE = 'maturity_token';

export interface AuthOptions {
  store: Store;
  /** MATURITY_API_TOKEN: an admin named "env". */
  envToken?: string;
  /** `serve --insecure-local` on a loopback address: with no token configured, anyone local is an admin. */
  insecureLocal?: boolean;
  /** Routes of plugins that are open to all (the API's documentation). */
  publicPrefixes?: string[];
}

/**
 * Every request is authenticated before its route runs: a bearer token (`Authorization: Bearer
 * …`, or the token cookie a browser page keeps) names the actor and its role, and the route's
 * `config.access` says which role it needs (admin when it says nothing, so a route added without
 * thought is closed). No token or an unknown one: 401; a role too low: 403. The token is never
 * logged (the logger redacts `authorization` and `cookie`).
 */
export function installAuth(app: FastifyInstance, o: AuthOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    try {
      await check(request, o);
    } catch (err) {
      // Answered here, not thrown: a plugin's routes (Bull Board) have error handlers of their own.
      if (!(err instanceof MaturityError)) throw err;
      const problem = problemOf(err, request.url);
      if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="maturity"');
      return reply.code(problem.status).type(PROBLEM_TYPE).send(problem);
    }
  });
}

/** Sets `request.actor`; throws E_UNAUTHORIZED or E_FORBIDDEN when the route is closed to it. */
async function check(request: FastifyRequest, o: AuthOptions): Promise<void> {
  if (request.is404) return;
  const url = request.routeOptions.url ?? '';
  const access = o.publicPrefixes?.some((p) => url.startsWith(p))
    ? 'public'
    : (request.routeOptions.config?.access ?? 'admin');
  if (access === 'public') return;
  request.actor = await authenticate(request, o);
  if (!roleAllows(request.actor.role, access))
    throw new MaturityError(
      'E_FORBIDDEN',
      `token "${request.actor.name}" is a ${request.actor.role} token; this needs ${access === 'admin' ? 'an' : 'a'} ${access} token`,
    );
}

async function authenticate(request: FastifyRequest, o: AuthOptions): Promise<Actor> {
  const presented = presentedToken(request);
  if (presented === undefined) {
    if (o.insecureLocal && !(await tokensConfigured(o.store, o.envToken)))
      return { name: 'local', role: 'admin', via: 'insecure-local' };
    throw new MaturityError(
      'E_UNAUTHORIZED',
      'this needs an API token: send "Authorization: Bearer <token>" (create one with: maturity tokens create NAME --role viewer|reviewer|admin)',
    );
  }
  const actor = await findActor(o.store, presented, o.envToken);
  if (!actor)
    throw new MaturityError('E_UNAUTHORIZED', 'the API token is unknown or has been revoked');
  return actor;
}

/** The bearer token of the request, from its Authorization header or, failing that, its cookie. */
function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
    if (!m)
      throw new MaturityError(
        'E_UNAUTHORIZED',
        'the Authorization header must be "Bearer <token>"',
      );
    return m[1];
  }
  const cookie = request.headers.cookie;
  if (!cookie) return undefined;
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== TOKEN_COOKIE || !v.length) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      throw new MaturityError('E_UNAUTHORIZED', 'the token cookie does not read');
    }
  }
  return undefined;
}
