import {
  customerRequestSql,
  inWindow,
  num,
  proportion,
  round,
  value,
  windowParams,
} from './helpers.js';
import type { MetricDefinition } from './types.js';

/** A segment must hold at least this many tickets before "the partner owns it" can be said. */
const MIN_SEGMENT = 30;
/** Segments listed in the breakdown (the largest partner shares). */
const MAX_LISTED = 20;

/**
 * How much of the customer requests partner groups handle, and the largest slice they handle
 * alone: a support tier, a product or category, a region or an 8-hour block of the UTC day (the
 * parts of the work seed 003 names: a layer of support, a set of products, a geography or a time
 * zone). One customer's or one channel's tickets are not such a part. Only tickets of groups whose
 * partner status is known count (named, flagged or mapped); groups with anonymised names are left
 * out rather than guessed.
 */
export const partner: MetricDefinition = {
  name: 'partner',
  needs: { kinds: ['tickets', 'groups'] },
  metrics: [
    {
      id: 'tickets.partner_share',
      label: 'Requests handled by partners',
      sample: 'of {n} assigned requests',
      unit: 'ratio',
      description:
        "Share of the window's assigned customer requests handled by partner / vendor groups.",
    },
    {
      id: 'partner.segment_ownership',
      label: 'Largest segment share run by partners',
      sample: 'of {n} tickets in that segment',
      unit: 'ratio',
      description:
        'The largest share of one segment (a support tier, product or category, region or 8-hour UTC block, the parts of the work seed 003 names; 30+ tickets) handled by partner groups; breakdown = share per segment.',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('tickets') || !ctx.covered.has('groups') || !ctx.groups) return [];
    const known = ctx.groups
      .filter((g) => g.partnerKnown)
      .map((g) => ({ id: g.id, partner: g.roles.includes('partner'), tier: g.tier ?? null }));
    if (!known.length) return [];
    const params = [...windowParams(ctx), JSON.stringify(known)];
    const from = `tickets t JOIN jsonb_to_recordset($4::jsonb) AS g(id text, partner boolean, tier int)
         ON g.id = t.group_id
       WHERE t.account_id = $1 AND ${inWindow('t.created_at')} AND ${customerRequestSql(ctx)}`;
    const [row] = await ctx.db.query<{ p: number; n: number }>(
      `SELECT count(*) FILTER (WHERE g.partner)::int AS p, count(*)::int AS n FROM ${from}`,
      params,
    );
    const sources = ['tickets', 'groups (partner by flag, mapping or name)'];
    const out = proportion(ctx, 'tickets.partner_share', num(row?.p), num(row?.n), sources);
    if (!num(row?.p)) return out;
    const segments = await ctx.db.query<{ segment: string; p: number; n: number }>(
      `SELECT segment, count(*) FILTER (WHERE partner)::int AS p, count(*)::int AS n FROM (
         SELECT g.partner, unnest(ARRAY[
           'tier:' || g.tier::text,
           'category:' || t.category,
           'region:' || t.region,
           'hours:' || (extract(hour FROM t.created_at AT TIME ZONE 'UTC')::int / 8 * 8)::text || '-' ||
                       (extract(hour FROM t.created_at AT TIME ZONE 'UTC')::int / 8 * 8 + 8)::text
         ]) AS segment
         FROM ${from}
       ) s WHERE segment IS NOT NULL GROUP BY segment HAVING count(*) >= ${MIN_SEGMENT}`,
      params,
    );
    if (!segments.length) return out;
    const shares = segments
      .map((s) => ({ segment: s.segment, share: num(s.p) / num(s.n), n: num(s.n) }))
      .sort((a, b) => b.share - a.share || b.n - a.n || a.segment.localeCompare(b.segment));
    const best = shares[0]!;
    const breakdown = Object.fromEntries(
      shares.slice(0, MAX_LISTED).map((s) => [s.segment, round(s.share)]),
    );
    return [
      ...out,
      ...value(
        ctx,
        'partner.segment_ownership',
        best.share,
        'ratio',
        best.n,
        [...sources, `largest: ${best.segment} (${best.n} tickets)`],
        breakdown,
      ),
    ];
  },
};
