import { z } from 'zod';
import { checkRedis } from '../../jobs/queues.js';
import type { ServerContext, ZodApp } from '../context.js';

const Health = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
const Readiness = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    store: z.enum(['ok', 'down']),
    redis: z.enum(['ok', 'down']).optional().describe('Only when REDIS_URL is set'),
  })
  .meta({ id: 'Readiness' });

/** `/healthz`: the process answers. `/readyz`: the store (and Redis, when configured) answer too. */
export async function healthRoutes(app: ZodApp, ctx: ServerContext): Promise<void> {
  const open = { access: 'public' } as const;
  app.get(
    '/healthz',
    {
      config: open,
      schema: {
        tags: ['health'],
        summary: 'The process is up',
        security: [],
        response: { 200: Health },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: open,
      schema: {
        tags: ['health'],
        summary: 'The store is reachable (and Redis, when REDIS_URL is set)',
        security: [],
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const store = await ctx.store.ping().then(
        () => 'ok' as const,
        () => 'down' as const,
      );
      const redis = ctx.queue
        ? await checkRedis(ctx.queue, 2000).then(
            () => 'ok' as const,
            () => 'down' as const,
          )
        : undefined;
      const ready = store === 'ok' && redis !== 'down';
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'unavailable',
        store,
        ...(redis ? { redis } : {}),
      });
    },
  );
}
