import { groupPatterns } from './patterns.js';
import { inWindow, num, proportion, round, value, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

/** A segment must hold at least this many tickets before "the partner owns it" can be said. */
const MIN_SEGMENT = 30;

export const partner: MetricDefinition = {
  name: 'partner',
  metrics: [
    {
      id: 'tickets.partner_share',
      unit: 'ratio',
      description: "Share of the window's assigned tickets handled by partner / vendor groups.",
    },
    {
      id: 'partner.segment_ownership',
      unit: 'ratio',
      description:
        'The largest share of one segment (a support tier group, a channel, or an 8-hour UTC block) handled by partner groups.',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('tickets') || !ctx.covered.has('groups')) return [];
    const isPartner = `(g.partner OR g.name ~* '${groupPatterns.partner}')`;
    const [row] = await ctx.db.query<{ p: number; n: number }>(
      `SELECT count(*) FILTER (WHERE ${isPartner})::int AS p, count(*)::int AS n
       FROM tickets t JOIN groups g ON g.account_id = t.account_id AND g.source_id = t.group_id
       WHERE t.account_id = $1 AND ${inWindow('t.created_at')}`,
      windowParams(ctx),
    );
    const out = proportion(ctx, 'tickets.partner_share', num(row?.p), num(row?.n), [
      'tickets',
      'groups',
    ]);
    if (!num(row?.n)) return out;
    const segments = await ctx.db.query<{ segment: string; p: number; n: number }>(
      `SELECT segment, count(*) FILTER (WHERE partner)::int AS p, count(*)::int AS n FROM (
         SELECT ${isPartner} AS partner, unnest(ARRAY[
           'channel:' || COALESCE(t.channel, '?'),
           'hours:' || (extract(hour FROM t.created_at AT TIME ZONE 'UTC')::int / 8 * 8)::text
         ]) AS segment
         FROM tickets t JOIN groups g ON g.account_id = t.account_id AND g.source_id = t.group_id
         WHERE t.account_id = $1 AND ${inWindow('t.created_at')}
       ) s GROUP BY segment HAVING count(*) >= ${MIN_SEGMENT}`,
      windowParams(ctx),
    );
    if (!segments.length) return out;
    const shares = segments.map((s) => ({ segment: s.segment, share: num(s.p) / num(s.n) }));
    const best = shares.reduce((a, b) => (b.share > a.share ? b : a));
    const breakdown = Object.fromEntries(shares.map((s) => [s.segment, round(s.share)]));
    return [
      ...out,
      ...value(
        ctx,
        'partner.segment_ownership',
        best.share,
        'ratio',
        num(row?.n),
        ['tickets', 'groups'],
        breakdown,
      ),
    ];
  },
};
