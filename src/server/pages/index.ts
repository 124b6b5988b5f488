import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MaturityError } from '../../errors.js';
import { API, type ServerOptions } from '../context.js';
import { PROBLEM_TYPE, problemOf, type Problem } from '../problem.js';
import { accountRoutes } from './account.js';
import { criterionRoutes } from './criterion.js';
import { decideRoutes } from './decide.js';
import { historyRoutes } from './history.js';
import type { PageDeps } from './deps.js';
import { errorFragment, problemPage } from './layout.js';
import { loginRoutes } from './login.js';
import { portfolioRoutes } from './portfolio.js';
import { staticRoutes } from './static.js';

export type { PageDeps } from './deps.js';

/** What the server gives the pages (its own options; `now` for tests). */
export type PageOptions = Pick<ServerOptions, 'store' | 'rules' | 'envToken' | 'queue'> & {
  now?: () => Date;
};

/**
 * The review page of `maturity serve`: server-rendered HTML (htmx for the decisions, uPlot for
 * the charts, both served by this server), behind the same tokens and roles as the API. Its routes
 * live in their own plugin scope, so the form parser and the HTML error pages it adds do not
 * change how the JSON API answers.
 */
export async function registerPages(app: FastifyInstance, o: PageOptions): Promise<void> {
  const deps: PageDeps = {
    store: o.store,
    rules: o.rules,
    ...(o.envToken ? { envToken: o.envToken } : {}),
    // Admins see the queue: Bull Board when the server runs queued, else the queue's health.
    queue: o.queue
      ? { url: `${API}/queue/board/`, text: 'Queue' }
      : // Without Redis there is no Bull Board: the inline queue's counts, as JSON.
        {
          url: `${API}/queue`,
          text: 'Queue (JSON)',
          title: 'jobs queued, running, done and failed, as JSON',
        },
    ...(o.now ? { now: o.now } : {}),
  };
  await app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 64 * 1024 });
    scope.addHook('onSend', async (request, reply, payload) =>
      problemAsHtml(request, reply, payload),
    );
    scope.setErrorHandler((err: FastifyError, request, reply) => pageError(err, request, reply));
    staticRoutes(scope);
    loginRoutes(scope, deps);
    portfolioRoutes(scope, deps);
    accountRoutes(scope, deps);
    criterionRoutes(scope, deps);
    decideRoutes(scope, deps);
    historyRoutes(scope, deps);
  });
}

const isHtmx = (request: FastifyRequest) => request.headers['hx-request'] === 'true';

/**
 * The auth hook answers problem+json (it runs before any page route): a browser gets the sign-in
 * page instead of a 401, and a page saying which role is needed instead of a 403.
 */
function problemAsHtml(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  secure(reply);
  const type = String(reply.getHeader('content-type') ?? '');
  if (!type.startsWith(PROBLEM_TYPE) || typeof payload !== 'string') return payload;
  let problem: Problem;
  try {
    problem = JSON.parse(payload) as Problem;
  } catch {
    return payload;
  }
  reply.removeHeader('www-authenticate');
  reply.type('text/html; charset=utf-8');
  if (problem.status === 401) {
    const login = `/login?next=${encodeURIComponent(request.method === 'GET' ? request.url : '/')}`;
    if (isHtmx(request)) {
      reply.header('hx-redirect', login);
      return errorFragment('Your session has ended: sign in again.');
    }
    reply.code(303).header('location', login);
    return '';
  }
  if (isHtmx(request)) return errorFragment(problem.detail);
  return problemPage({
    title: problem.status === 403 ? 'Not allowed' : problem.title,
    detail: problem.detail,
    ...(request.actor ? { actor: request.actor } : {}),
  });
}

/**
 * The page loads nothing from elsewhere and runs only this server's scripts: a Content Security
 * Policy says so to the browser (no inline script, no other origin, no framing).
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function secure(reply: FastifyReply): void {
  reply.header('content-security-policy', CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
}

/** A page route failed: the same problem as the API would give, as a page or a sentence. */
function pageError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let problem: Problem;
  if (err instanceof MaturityError) problem = problemOf(err, request.url);
  else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    problem = problemOf(new MaturityError('E_INPUT', err.message), request.url);
  else {
    request.log.error({ err }, 'page failed');
    problem = {
      type: 'about:blank',
      title: 'Something went wrong',
      status: 500,
      detail: 'The page could not be made; the server log says why.',
    };
  }
  reply.code(err.statusCode && !(err instanceof MaturityError) ? err.statusCode : problem.status);
  reply.type('text/html; charset=utf-8');
  if (isHtmx(request)) return reply.send(errorFragment(problem.detail));
  return reply.send(
    problemPage({
      title:
        problem.status === 404
          ? 'Not found'
          : problem.status === 400
            ? 'Bad request'
            : problem.title,
      detail: problem.detail,
      ...(request.actor ? { actor: request.actor } : {}),
    }),
  );
}
