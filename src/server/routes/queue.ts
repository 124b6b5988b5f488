import { z } from 'zod';
import { QUEUES, closeQuietly, queue } from '../../jobs/queues.js';
import { API, type ServerContext, type ZodApp } from '../context.js';
import { problems } from '../problem.js';

const QueueHealth = z
  .object({
    mode: z
      .enum(['inline', 'queued'])
      .describe('queued: BullMQ on Redis with `maturity worker`s; inline: jobs run in the server'),
    redis: z.enum(['up', 'down']).optional(),
    queues: z.array(
      z.object({
        name: z.string(),
        counts: z.record(z.string(), z.number().int()),
        workers: z.number().int().optional(),
        paused: z.boolean().optional(),
      }),
    ),
  })
  .meta({ id: 'QueueHealth' });

/** Queue health for admins (and, with REDIS_URL, Bull Board under the same auth). */
export async function queueRoutes(app: ZodApp, ctx: ServerContext): Promise<void> {
  app.get(
    `${API}/queue`,
    {
      config: { access: 'admin' },
      schema: {
        tags: ['queue'],
        summary: 'Jobs waiting, running, done and failed per queue, and the workers connected',
        response: { 200: QueueHealth, ...problems() },
      },
    },
    async () => ctx.jobs.health(),
  );

  if (ctx.queue) await bullBoard(app, ctx);
}

/** Bull Board at /api/v1/queue/board, for admins (the auth hook covers its routes too). */
async function bullBoard(app: ZodApp, ctx: ServerContext): Promise<void> {
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/fastify'),
  ]);
  const base = `${API}/queue/board`;
  const adapter = new FastifyAdapter();
  adapter.setBasePath(base);
  const queues = Object.values(QUEUES).map((name) => queue(ctx.queue!, name));
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'maturity queues' } },
  });
  app.addHook('onClose', async () => {
    await Promise.all(queues.map((q) => closeQuietly(q)));
  });
  await app.register(adapter.registerPlugin(), { prefix: base });
}
