import { inputError } from '../errors.js';
import {
  DEFAULT_CRON,
  DEFAULT_TZ,
  listSchedules,
  removeSchedule,
  setSchedule,
} from '../jobs/schedules.js';
import type { CliContext } from './context.js';

export interface ScheduleFlags {
  cron?: string;
  tz?: string;
  remove?: boolean;
  list?: boolean;
  json?: boolean;
}

export async function scheduleCommand(
  ctx: CliContext,
  accountName: string | undefined,
  flags: ScheduleFlags,
): Promise<void> {
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
  const s = await setSchedule(
    store,
    setup,
    accountName,
    flags.cron ?? DEFAULT_CRON,
    flags.tz ?? DEFAULT_TZ,
  );
  ctx.io.out(`"${accountName}" snapshots on "${s.cron}" (${s.tz})`);
}
