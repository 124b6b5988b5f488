import { z } from 'zod';
import { notFound, problems } from '../problem.js';
import { API, type ServerContext, type ZodApp } from '../context.js';
import { AccountParams, AsOf, Job, WindowSpec } from '../schemas.js';

/** Taking a snapshot now (202 and a job to poll), and the job. */
export async function snapshotRoutes(app: ZodApp, ctx: ServerContext): Promise<void> {
  app.post(
    `${API}/accounts/:account/snapshots`,
    {
      config: { access: 'admin' },
      schema: {
        tags: ['snapshots'],
        summary: 'Take a snapshot now: 202 with a job to poll',
        description:
          'With REDIS_URL the snapshot is the queued flow the workers run (sync per stream ► metrics ► evaluate); without it, it runs in the server, one at a time.',
        params: AccountParams,
        body: z
          .strictObject({
            asOf: AsOf.optional(),
            window: WindowSpec.default('90d'),
            sync: z
              .boolean()
              .default(true)
              .describe('False: judge the stored records without syncing first'),
          })
          .default({ window: '90d', sync: true }),
        response: { 202: Job, ...problems(404, 409, 503) },
      },
    },
    async (request, reply) => {
      const { asOf, window, sync } = request.body;
      const job = await ctx.jobs.trigger(request.params.account, {
        ...(asOf ? { asOf } : {}),
        window,
        sync,
      });
      return reply.code(202).header('location', job.location).send(job);
    },
  );

  app.get(
    `${API}/jobs/:id`,
    {
      config: { access: 'admin' },
      schema: {
        tags: ['snapshots'],
        summary: 'A snapshot job: queued, running, done (with the snapshot) or failed (with why)',
        params: z.object({ id: z.string().min(1).max(300) }),
        response: { 200: Job, ...problems(404, 503) },
      },
    },
    async (request) => {
      const job = await ctx.jobs.get(request.params.id);
      if (!job)
        throw notFound(
          `no job "${request.params.id}"${ctx.queue ? '' : ' (jobs run in the server are forgotten when it restarts)'}`,
        );
      return job;
    },
  );
}
