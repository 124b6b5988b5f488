import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Role, TokenName, createApiToken, findActor, revokeApiToken } from '../api-tokens.js';
import { TOKEN_COOKIE } from '../auth.js';
import { API, type ServerContext, type ZodApp } from '../context.js';
import { conflict, problems } from '../problem.js';
import { MaturityError } from '../../errors.js';
import type { ApiTokenRow } from '../../store/store.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const tokenOf = (t: ApiTokenRow) => ({
  name: t.name,
  role: t.role,
  createdAt: iso(t.createdAt)!,
  lastUsedAt: iso(t.lastUsedAt),
  revokedAt: iso(t.revokedAt),
});

const Token = z
  .object({
    name: z.string(),
    role: Role,
    createdAt: z.iso.datetime({ offset: true }),
    lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
    revokedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'Token' });

const Me = z
  .object({
    name: z.string().describe('The actor the audit trail records'),
    role: Role,
    via: z.enum(['token', 'env', 'insecure-local']),
  })
  .meta({ id: 'Me' });

/** Tokens (admins), who am I (anyone with a token), and a browser session holding a token. */
export async function tokenRoutes(app: ZodApp, ctx: ServerContext): Promise<void> {
  const admin = { access: 'admin' } as const;
  app.get(
    `${API}/me`,
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['tokens'],
        summary: 'Who the token is: its name (the actor in the audit trail) and role',
        response: { 200: Me, ...problems() },
      },
    },
    async (request) => request.actor!,
  );

  app.get(
    `${API}/tokens`,
    {
      config: admin,
      schema: {
        tags: ['tokens'],
        summary: 'The API tokens (never the tokens themselves)',
        querystring: z.object({
          includeRevoked: z.stringbool().default(false).describe('Revoked tokens too'),
        }),
        response: { 200: z.array(Token), ...problems() },
      },
    },
    async (request) =>
      (await ctx.store.listApiTokens({ includeRevoked: request.query.includeRevoked })).map(
        tokenOf,
      ),
  );

  app.post(
    `${API}/tokens`,
    {
      config: admin,
      schema: {
        tags: ['tokens'],
        summary: 'Create a token; the answer is the only time it is shown',
        body: z.strictObject({ name: TokenName, role: Role }),
        response: {
          201: Token.extend({ token: z.string().describe('Shown once: only its hash is kept') }),
          ...problems(409),
        },
      },
    },
    async (request, reply) => {
      const { name, role } = request.body;
      if ((await ctx.store.listApiTokens()).some((t) => t.name === name))
        throw conflict(`a token named "${name}" exists already; revoke it first`);
      const { token, row } = await createApiToken(ctx.store, name, role, request.actor!.name);
      return reply.code(201).send({ ...tokenOf(row), token });
    },
  );

  app.delete(
    `${API}/tokens/:name`,
    {
      config: admin,
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token: refused from now on (its row stays for the audit trail)',
        params: z.object({ name: TokenName }),
        response: { 200: Token, ...problems(404) },
      },
    },
    async (request) => tokenOf(await revokeApiToken(ctx.store, request.params.name)),
  );

  // HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure behind HTTPS.
  const cookie = (request: FastifyRequest, value: string, maxAge: number) =>
    `${TOKEN_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${request.protocol === 'https' ? '; Secure' : ''}`;

  app.post(
    `${API}/session`,
    {
      config: { access: 'public' },
      schema: {
        tags: ['tokens'],
        summary:
          'Keep a token in an HttpOnly cookie, for a browser (the review page, the queue board)',
        security: [],
        body: z.strictObject({ token: z.string().min(1).max(200) }),
        response: { 200: Me, ...problems() },
      },
    },
    async (request, reply) => {
      const actor = await findActor(ctx.store, request.body.token, ctx.envToken);
      if (!actor)
        throw new MaturityError('E_UNAUTHORIZED', 'the API token is unknown or has been revoked');
      reply.header('set-cookie', cookie(request, request.body.token, 8 * 3600));
      return actor;
    },
  );

  app.delete(
    `${API}/session`,
    {
      config: { access: 'public' },
      schema: {
        tags: ['tokens'],
        summary: 'Forget the token cookie',
        security: [],
        response: { 204: z.undefined(), ...problems() },
      },
    },
    async (request, reply) => {
      reply.header('set-cookie', cookie(request, '', 0));
      return reply.code(204).send();
    },
  );
}
