import { num, proportion, value } from './helpers.js';
import { plansArticleTitle } from './patterns.js';
import type { MetricDefinition } from './types.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;

export const kb: MetricDefinition = {
  name: 'kb',
  needs: { kinds: ['kbArticles'] },
  metrics: [
    {
      id: 'kb.articles.count',
      label: 'Published knowledge articles',
      sample: 'of {n} articles',
      at: 'asOf',
      unit: 'count',
      description: 'Published knowledge articles at the as-of date.',
    },
    {
      id: 'kb.freshness',
      label: 'Knowledge freshness',
      sample: 'of {n} articles updated in 12 months',
      at: 'asOf',
      unit: 'ratio',
      description:
        'Share of published articles created or updated in the 12 months before the as-of date.',
    },
    {
      id: 'kb.partner_authored_share',
      label: 'Articles written by a partner',
      sample: 'of {n} articles with a known author',
      at: 'asOf',
      unit: 'ratio',
      description: 'Share of published articles written by a support partner.',
    },
    {
      id: 'kb.partner_authored.count',
      label: 'Partner-written articles',
      sample: 'of {n} articles',
      at: 'asOf',
      unit: 'count',
      description:
        'Published articles written by a support partner (absent when no article says who wrote it).',
    },
    {
      id: 'kb.plans_article.count',
      label: 'Articles about plans or SLAs',
      sample: 'of {n} articles',
      at: 'asOf',
      unit: 'count',
      description: 'Published articles that describe support plans or SLAs to customers.',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('kbArticles')) return [];
    const since = new Date(ctx.window.to.getTime() - YEAR_MS).toISOString();
    const [row] = await ctx.db.query<Record<string, number>>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE COALESCE(updated_at, created_at) > $3::timestamptz)::int AS fresh,
              count(*) FILTER (WHERE partner_authored)::int AS partner,
              count(partner_authored)::int AS partner_known,
              count(*) FILTER (WHERE title ~* '${plansArticleTitle}')::int AS plans
       FROM kb_articles WHERE account_id = $1 AND state = 'published' AND created_at <= $2::timestamptz`,
      [ctx.accountId, ctx.window.to.toISOString(), since],
    );
    const n = num(row?.n);
    return [
      ...value(ctx, 'kb.articles.count', n, 'count', n, ['kb_articles']),
      ...proportion(ctx, 'kb.freshness', num(row?.fresh), n, ['kb_articles']),
      ...proportion(ctx, 'kb.partner_authored_share', num(row?.partner), num(row?.partner_known), [
        'kb_articles',
      ]),
      ...(num(row?.partner_known) > 0
        ? value(ctx, 'kb.partner_authored.count', num(row?.partner), 'count', n, ['kb_articles'])
        : []),
      ...value(ctx, 'kb.plans_article.count', num(row?.plans), 'count', n, ['kb_articles']),
    ];
  },
};
