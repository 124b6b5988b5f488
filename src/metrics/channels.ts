import { ticketProfile } from './ticket-profile.js';
import { delivers, num, round, value } from './helpers.js';
import type { MetricDefinition } from './types.js';

/** A channel counts when it carries at least this share of the window's customer requests. */
const MIN_SHARE = 0.05;

export const channels: MetricDefinition = {
  name: 'channels',
  needs: { kinds: ['tickets'], families: ['channel'] },
  metrics: [
    {
      id: 'tickets.channels.count',
      label: 'Customer channels in use',
      sample: 'from {n} customer requests',
      unit: 'count',
      description: `Channels customers use: those carrying at least ${MIN_SHARE * 100}% of the window's customer requests (proactive and bot-handled tickets are not intake); breakdown = share per channel.`,
    },
  ],
  async compute(ctx) {
    if (!delivers(ctx, 'channel')) return [];
    const rows = (await ticketProfile(ctx)).channels;
    const total = rows.reduce((s, r) => s + num(r.n), 0);
    if (!total) return [];
    const breakdown = Object.fromEntries(rows.map((r) => [r.channel, round(num(r.n) / total)]));
    const count = rows.filter((r) => num(r.n) / total >= MIN_SHARE).length;
    return value(ctx, 'tickets.channels.count', count, 'count', total, ['tickets'], breakdown);
  },
};
