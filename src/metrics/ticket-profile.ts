import { customerRequestSql, inWindow, num, windowParams } from './helpers.js';
import type { MetricContext } from './types.js';

/**
 * How the window's customer requests spread over channels, solve hours, priorities and months ×
 * assignees: one GROUPING SETS pass shared by the channel, hour-coverage, top-priority and
 * staffing metrics (four scans of the window's tickets were most of a snapshot's time). Computed
 * once per metric context, on first use.
 */
export interface TicketProfile {
  /** Requests per channel (channel known). */
  channels: { channel: string; n: number }[];
  /** Solved requests per UTC hour of the solve. */
  solveHours: { hour: number; n: number }[];
  /** Requests per priority (priority known). */
  priorities: { priority: string; n: number }[];
  /** Per month (YYYY-MM of creation): requests, and the distinct assignees among them. */
  months: { month: string; tickets: number; people: number }[];
}

const cache = new WeakMap<MetricContext, Promise<TicketProfile>>();

export function ticketProfile(ctx: MetricContext): Promise<TicketProfile> {
  let p = cache.get(ctx);
  if (!p) {
    p = load(ctx);
    cache.set(ctx, p);
  }
  return p;
}

async function load(ctx: MetricContext): Promise<TicketProfile> {
  const rows = await ctx.db.query<{
    set: number;
    channel: string | null;
    hour: number | null;
    priority: string | null;
    month: string | null;
    assignee: string | null;
    n: number;
  }>(
    `SELECT GROUPING(channel, hour, priority, month, assignee) AS set,
            channel, hour, priority, to_char(month, 'YYYY-MM') AS month, assignee, count(*)::int AS n
     FROM (SELECT t.channel, t.priority, t.assignee_id AS assignee,
                  extract(hour FROM t.solved_at AT TIME ZONE 'UTC')::int AS hour,
                  date_trunc('month', t.created_at AT TIME ZONE 'UTC') AS month
           FROM tickets t
           WHERE t.account_id = $1 AND ${inWindow('t.created_at')} AND ${customerRequestSql(ctx)}) x
     GROUP BY GROUPING SETS ((channel), (hour), (priority), (month, assignee))`,
    windowParams(ctx),
  );
  // GROUPING() bits, left to right: channel, hour, priority, month, assignee (1 = rolled up).
  const only = (mask: number) => rows.filter((r) => num(r.set) === mask);
  const months = new Map<string, { month: string; tickets: number; people: number }>();
  for (const r of only(0b11100)) {
    const key = r.month!;
    const m = months.get(key) ?? { month: key, tickets: 0, people: 0 };
    m.tickets += num(r.n);
    if (r.assignee !== null) m.people++;
    months.set(key, m);
  }
  return {
    channels: only(0b01111)
      .filter((r) => r.channel !== null)
      .map((r) => ({ channel: r.channel!, n: num(r.n) }))
      .sort((a, b) => b.n - a.n || a.channel.localeCompare(b.channel)),
    solveHours: only(0b10111)
      .filter((r) => r.hour !== null)
      .map((r) => ({ hour: num(r.hour), n: num(r.n) })),
    priorities: only(0b11011)
      .filter((r) => r.priority !== null)
      .map((r) => ({ priority: r.priority!, n: num(r.n) })),
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
  };
}
