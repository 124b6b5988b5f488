import { ticketProfile } from './ticket-profile.js';
import { delivers, num, value } from './helpers.js';
import type { MetricDefinition } from './types.js';

/** An hour counts as covered when it holds at least a quarter of an even 1/24 share of solves. */
const MIN_SHARE = 0.25 / 24;

export const hourCoverage: MetricDefinition = {
  name: 'hour-coverage',
  needs: { kinds: ['tickets'], families: ['solved'] },
  metrics: [
    {
      id: 'tickets.hour_coverage',
      label: 'Hours of the day with work solved',
      sample: 'from {n} solved requests',
      unit: 'ratio',
      description:
        'Share of the 24 UTC hours in which people solve a meaningful part of the customer requests (follow-the-sun work shows ~1).',
    },
  ],
  async compute(ctx) {
    if (!delivers(ctx, 'solved')) return [];
    const rows = (await ticketProfile(ctx)).solveHours;
    const total = rows.reduce((s, r) => s + num(r.n), 0);
    if (total < 100) return [];
    const covered = rows.filter((r) => num(r.n) / total >= MIN_SHARE).length;
    return value(ctx, 'tickets.hour_coverage', covered / 24, 'ratio', total, ['tickets.solved_at']);
  },
};
