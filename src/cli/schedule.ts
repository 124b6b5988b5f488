import { z } from 'zod';
import { inputError } from '../errors.js';
import {
  DEFAULT_CRON,
  DEFAULT_TZ,
  cronProblem,
  listSchedules,
  removeSchedule,
  setSchedule,
  tzProblem,
} from '../jobs/schedules.js';
import type { CliContext } from './context.js';
import { checkedString, parseFlags } from './flags.js';

export const ScheduleFlags = z
  .object({
    cron: z.string().default(DEFAULT_CRON),
    /** An IANA time zone. */
    tz: checkedString(tzProblem).default(DEFAULT_TZ),
    /** Turn the account's schedule off. */
    remove: z.boolean().default(false),
    /** List every schedule with its next run (`json`: as JSON). */
    list: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .superRefine((flags, ctx) => {
    // A cron expression is read in its time zone: checked as a pair (a bad zone's issue comes first).
    const message = cronProblem(flags.cron, flags.tz);
    if (message) ctx.addIssue({ code: 'custom', message, path: ['cron'], input: flags.cron });
  });
export type ScheduleFlags = z.infer<typeof ScheduleFlags>;

export async function scheduleCommand(
  ctx: CliContext,
  accountName: string | undefined,
  rawFlags: unknown,
): Promise<void> {
  const flags = parseFlags(ScheduleFlags, rawFlags);
  const setup = ctx.queueSetup();
  const store = await ctx.openStore();
  if (flags.list || !accountName) {
    if (!flags.list) throw inputError('name an account, or pass --list');
    const all = await listSchedules(store, setup);
    if (flags.json) ctx.io.out(JSON.stringify(all));
    else if (!all.length) ctx.io.out('no schedules yet');
    else
      for (const s of all)
        ctx.io.out(
          `${s.account}\t${s.enabled ? `${s.cron} (${s.tz})` : 'off'}${s.next ? `\tnext ${s.next}` : ''}`,
        );
    return;
  }
  if (flags.remove) {
    await removeSchedule(store, setup, accountName);
    ctx.io.out(`nightly snapshots of "${accountName}" are off`);
    return;
  }
  const s = await setSchedule(store, setup, accountName, flags.cron, flags.tz);
  ctx.io.out(`"${accountName}" snapshots on "${s.cron}" (${s.tz})`);
}
