import { z } from 'zod';
import { MaturityError } from '../../errors.js';
import {
  DEFAULT_CRON,
  DEFAULT_TZ,
  cronProblem,
  listSchedules,
  removeSchedule,
  setSchedule,
  tzProblem,
} from '../../jobs/schedules.js';
import { API, type ServerContext, type ZodApp } from '../context.js';
import { problems } from '../problem.js';
import { AccountParams } from '../schemas.js';

const Schedule = z
  .object({
    account: z.string(),
    cron: z.string(),
    tz: z.string(),
    enabled: z.boolean(),
    next: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('The next run, as the queue has it (queued mode)'),
  })
  .meta({ id: 'Schedule' });

const ScheduleInput = z
  .strictObject({
    cron: z.string().max(200).default(DEFAULT_CRON).describe('A cron expression, read in `tz`'),
    tz: z
      .string()
      .max(100)
      .default(DEFAULT_TZ)
      .superRefine((tz, ctx) => {
        const message = tzProblem(tz);
        if (message) ctx.addIssue({ code: 'custom', message });
      })
      .describe('An IANA time zone'),
    enabled: z.boolean().default(true).describe('False turns the nightly snapshots off'),
  })
  .superRefine((s, ctx) => {
    if (tzProblem(s.tz)) return;
    const message = cronProblem(s.cron, s.tz);
    if (message) ctx.addIssue({ code: 'custom', message, path: ['cron'] });
  });

/** Nightly snapshot schedules: the database holds them, BullMQ job schedulers run them. */
export async function scheduleRoutes(app: ZodApp, ctx: ServerContext): Promise<void> {
  const { store } = ctx;
  app.get(
    `${API}/schedules`,
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['schedules'],
        summary: 'Every schedule, with its next run when the server runs queued',
        response: { 200: z.array(Schedule), ...problems(503) },
      },
    },
    async () =>
      ctx.queue
        ? listSchedules(store, ctx.queue)
        : (await store.listSchedules()).map(({ account, cron, tz, enabled }) => ({
            account,
            cron,
            tz,
            enabled,
          })),
  );

  app.put(
    `${API}/accounts/:account/schedule`,
    {
      config: { access: 'admin' },
      schema: {
        tags: ['schedules'],
        summary: "Set an account's nightly snapshot schedule, or turn it off",
        description:
          'Schedules run on `maturity worker`s: the server needs REDIS_URL (and DATABASE_URL) to set them.',
        params: AccountParams,
        body: ScheduleInput,
        response: { 200: Schedule, ...problems(404, 503) },
      },
    },
    async (request) => {
      const { account } = request.params;
      const { cron, tz, enabled } = request.body;
      if (!ctx.queue) {
        await store.getAccount(account);
        throw new MaturityError(
          'E_CONFIG',
          'schedules run on `maturity worker`s: start the server with REDIS_URL and DATABASE_URL to set them',
        );
      }
      if (enabled) return setSchedule(store, ctx.queue, account, cron, tz);
      await removeSchedule(store, ctx.queue, account);
      const a = await store.getAccount(account);
      const s = await store.schedule(a.id);
      return {
        account: a.name,
        cron: s?.cron ?? DEFAULT_CRON,
        tz: s?.tz ?? DEFAULT_TZ,
        enabled: false,
      };
    },
  );
}
