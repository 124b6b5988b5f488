import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { MaturityError } from '../errors.js';
import { installAuth } from './auth.js';
import { API, addressPolicy, type ServerContext, type ServerOptions } from './context.js';
import { PROBLEM_TYPE, internalProblem, problemOf, type Problem } from './problem.js';
import { accountRoutes } from './routes/accounts.js';
import { healthRoutes } from './routes/health.js';
import { queueRoutes } from './routes/queue.js';
import { reviewRoutes } from './routes/review.js';
import { scheduleRoutes } from './routes/schedules.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { tokenRoutes } from './routes/tokens.js';
import { registerPages } from './pages/index.js';
import { SnapshotJobs } from './snapshot-jobs.js';

/**
 * The HTTP API of `maturity serve`: JSON under /api/v1, validated on the way in and out by the
 * same zod schemas that make its OpenAPI 3.1 document (/api/v1/openapi.json, Swagger UI at
 * /api/v1/docs, served from node_modules); errors as application/problem+json with the E_* code;
 * every route behind a token with a role (auth.ts), except health and the documents.
 */
export { API } from './context.js';
export type { ServerOptions } from './context.js';

export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(o.logger ? { loggerInstance: o.logger as FastifyBaseLogger } : { logger: false }),
    // Ids in paths are short; a connect body with settings and credentials is small.
    bodyLimit: 256 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrors(app);
  installAuth(app, {
    store: o.store,
    ...(o.envToken ? { envToken: o.envToken } : {}),
    ...(o.insecureLocal ? { insecureLocal: true } : {}),
    publicPrefixes: [`${API}/docs`],
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'support-maturity',
        description:
          'Suggested support maturity levels with their evidence, and the review decisions people make on them.',
        version: '1',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A token from `maturity tokens create NAME --role viewer|reviewer|admin`',
          },
        },
      },
      security: [{ bearer: [] }],
    },
    hideUntagged: true,
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: `${API}/docs`,
    staticCSP: true,
    uiConfig: { deepLinking: true },
  });

  const jobs = new SnapshotJobs({
    store: o.store,
    rules: o.rules,
    box: o.box,
    ...(o.queue ? { queue: o.queue } : {}),
    // The syncs the server runs call only the hosts its address policy allows, whoever connected
    // the account (a host name resolving to a private address is refused unless allowed).
    clientOptions: { ...o.clientOptions, addresses: addressPolicy(o) },
    jobsPath: `${API}/jobs`,
    ...(o.logger ? { log: (obj: object, msg: string) => o.logger!.warn(obj, msg) } : {}),
  });
  const ctx: ServerContext = { ...o, jobs };
  // Jobs a stopped server left behind: the waiting ones run, the one cut short fails.
  await jobs.resume();
  app.addHook('onClose', async () => jobs.close());

  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config?.rawBody) request.rawBody = structuredClone(request.body);
  });

  const zapp = app.withTypeProvider<ZodTypeProvider>();
  await healthRoutes(zapp, ctx);
  await accountRoutes(zapp, ctx);
  await snapshotRoutes(zapp, ctx);
  await tokenRoutes(zapp, ctx);
  await queueRoutes(zapp, ctx);
  await reviewRoutes(zapp, ctx);
  await scheduleRoutes(zapp, ctx);

  // The review page (server-rendered, same tokens and roles): src/server/pages.
  await registerPages(app, o);

  app.get(`${API}/openapi.json`, { config: { access: 'public' } }, async () => app.swagger());
  return app;
}

/** Errors as problem details: validation names the field (400); a MaturityError its status. */
function installErrors(app: FastifyInstance): void {
  const send = (
    reply: {
      code(n: number): unknown;
      type(t: string): unknown;
      header(k: string, v: string): unknown;
      send(p: Problem): unknown;
    },
    p: Problem,
  ) => {
    if (p.status === 401) reply.header('www-authenticate', 'Bearer realm="maturity"');
    reply.code(p.status);
    reply.type(PROBLEM_TYPE);
    return reply.send(p);
  };
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const reword = request.routeOptions.config?.reword;
    const say = (message: string) => (reword ? reword(request, message) : message);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err.validationContext ?? 'body') as
        'body' | 'querystring' | 'params' | 'headers';
      const errors = err.validation.map((v) => ({
        in: where,
        field: v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(whole)',
        message: say(v.message ?? 'is invalid'),
      }));
      const first = errors[0]!;
      return send(reply, {
        ...problemOf(
          new MaturityError(
            'E_INPUT',
            first.field === '(whole)'
              ? `the ${where}: ${first.message}`
              : first.message.startsWith(`${first.field} `)
                ? `${first.message} (${where})`
                : `${first.field} (${where}): ${first.message}`,
          ),
          request.url,
        ),
        errors,
      });
    }
    if (err instanceof MaturityError) {
      if (
        err.code === 'E_STORE' ||
        err.code === 'E_STORE_UNAVAILABLE' ||
        err.code === 'E_RULES_INVALID'
      )
        request.log.error({ err }, 'request failed');
      return send(reply, { ...problemOf(err, request.url), detail: say(err.message) });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'a response did not match its schema');
      return send(
        reply,
        internalProblem('the server made an answer that does not match its documented schema'),
      );
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return send(reply, {
        ...problemOf(new MaturityError('E_INPUT', err.message), request.url),
        status,
      });
    request.log.error({ err }, 'request failed');
    return send(reply, internalProblem('the server failed to answer; its log says why'));
  });
  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      problemOf(
        new MaturityError('E_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
        request.url,
      ),
    ),
  );
}
