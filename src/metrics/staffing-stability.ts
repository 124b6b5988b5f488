import { ticketProfile } from './ticket-profile.js';
import { sampleStandardDeviation, mean } from 'simple-statistics';
import { delivers, value } from './helpers.js';
import type { MetricDefinition } from './types.js';

const MIN_MONTH = 30;
const MIN_OF_BUSIEST = 0.1;

/**
 * Coefficient of variation of customer requests per working person, month by month. A staffing
 * model that ties headcount to volume keeps it steady (low); a team that is always catching up
 * swings.
 */
export const staffingStability: MetricDefinition = {
  name: 'staffing-stability',
  needs: { kinds: ['tickets'], families: ['assignee'] },
  metrics: [
    {
      id: 'tickets.per_agent_monthly_cv',
      label: 'Monthly swing in tickets per agent',
      sample: 'over {n} months',
      unit: 'ratio',
      description:
        'Coefficient of variation of monthly customer requests per assignee over the full months of the window (needs 3+ months; months with under 30 requests or under a tenth of the busiest month are gaps in the data, left out).',
    },
  ],
  async compute(ctx) {
    if (!delivers(ctx, 'assignee')) return [];
    const rows = (await ticketProfile(ctx)).months.map((m) => ({
      month: m.month,
      tickets: m.tickets,
      agents: m.people,
    }));
    // Keep the calendar months that lie wholly inside the window (with an "all" window, the
    // first month of data may be partial), and drop months the data barely covers: fewer than
    // MIN_MONTH tickets say nothing about load per person, and a month under a tenth of the
    // busiest one is a gap in the export (a team's volume does not fall by 90%), not a swing.
    const whole = (month: string) => {
      const start = Date.parse(`${month}-01T00:00:00Z`);
      const d = new Date(start);
      const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      return (
        (ctx.window.from ? start >= ctx.window.from.getTime() : month !== rows[0]?.month) &&
        end <= ctx.window.to.getTime() + 1
      );
    };
    const inner = rows.filter((r) => whole(r.month));
    const busiest = Math.max(0, ...inner.map((r) => r.tickets));
    const full = inner.filter(
      (r) => r.agents > 0 && r.tickets >= MIN_MONTH && r.tickets >= busiest * MIN_OF_BUSIEST,
    );
    if (full.length < 3) return [];
    const ratios = full.map((r) => r.tickets / r.agents);
    const m = mean(ratios);
    if (m === 0) return [];
    const breakdown = Object.fromEntries(
      full.map((r, i) => [r.month, Math.round(ratios[i]! * 10) / 10]),
    );
    return value(
      ctx,
      'tickets.per_agent_monthly_cv',
      sampleStandardDeviation(ratios) / m,
      'ratio',
      full.length,
      ['tickets'],
      breakdown,
    );
  },
};
