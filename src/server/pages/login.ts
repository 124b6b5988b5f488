import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { html } from '../../review/html/escape.js';
import { findActor } from '../api-tokens.js';
import { TOKEN_COOKIE } from '../auth.js';
import { layout } from './layout.js';
import type { PageDeps } from './deps.js';

/** How long a browser keeps the token: a working day. */
const COOKIE_SECONDS = 8 * 3600;

/** A path on this server to go back to after signing in (never another host). */
export const LocalPath = z
  .string()
  .max(2000)
  .refine((p) => /^\/(?![/\\])/.test(p) && !/[\r\n]/.test(p), 'must be a path on this server')
  .catch('/');

const LoginForm = z.object({
  token: z
    .string({ error: 'Paste your API token' })
    .trim()
    .min(1, 'Paste your API token')
    .max(200, 'An API token is at most 200 characters'),
  next: LocalPath.default('/'),
});

/**
 * The token cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it, so no other site can make a decision in the reviewer's name), Secure behind HTTPS. The
 * same token and roles as the API (auth.ts reads this cookie when there is no bearer header).
 */
export function tokenCookie(request: FastifyRequest, value: string, maxAge: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${TOKEN_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

/** Sign in with a token (kept in the cookie above), sign out. */
export function loginRoutes(app: FastifyInstance, deps: PageDeps): void {
  app.get<{ Querystring: { next?: string } }>(
    '/login',
    { config: { access: 'public' } },
    async (request, reply) =>
      sendLogin(reply, LocalPath.parse(request.query.next ?? '/'), undefined, 200),
  );

  app.post('/login', { config: { access: 'public' } }, async (request, reply) => {
    const form = LoginForm.safeParse(request.body ?? {});
    const next = LocalPath.parse((request.body as { next?: unknown } | undefined)?.next ?? '/');
    if (!form.success) return sendLogin(reply, next, form.error.issues[0]!.message, 400);
    const actor = await findActor(deps.store, form.data.token, deps.envToken);
    if (!actor)
      return sendLogin(
        reply,
        next,
        'That token is unknown or has been revoked: create one with maturity tokens create NAME --role viewer|reviewer|admin',
        401,
      );
    reply.header('set-cookie', tokenCookie(request, form.data.token, COOKIE_SECONDS));
    return reply.code(303).header('location', form.data.next).send();
  });

  app.post('/logout', { config: { access: 'public' } }, async (request, reply) => {
    reply.header('set-cookie', tokenCookie(request, '', 0));
    return reply.code(303).header('location', '/login').send();
  });
}

function sendLogin(reply: FastifyReply, next: string, error: string | undefined, status: number) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      layout({
        title: 'Sign in',
        crumbs: [{ text: 'Sign in' }],
        main: html`<section class="card narrow">
          <h1>Sign in</h1>
          <p>
            The review page takes the same API tokens as the API: a viewer reads, a reviewer also
            decides, an admin also sees the queue. Your browser keeps the token in a cookie no
            script can read, for 8 hours.
          </p>
          <form method="post" action="/login" class="stack">
            <input type="hidden" name="next" value="${next}" />
            <label for="token">API token</label>
            <input
              id="token"
              name="token"
              type="password"
              autocomplete="current-password"
              required
              ${error ? html`aria-invalid="true" aria-describedby="login-error"` : ''}
            />
            ${error ? html`<p id="login-error" class="error" role="alert">${error}</p>` : ''}
            <button type="submit">Sign in</button>
          </form>
        </section>`,
      }),
    );
}
