import { deliversOf, inWindow, num, proportion, value, windowParams } from './helpers.js';
import type { MetricDefinition } from './types.js';

export const csat: MetricDefinition = {
  name: 'csat',
  needs: { kinds: ['satisfactionRatings'] },
  metrics: [
    {
      id: 'csat.response_rate',
      label: 'Survey response rate',
      sample: 'of {n} surveys sent',
      unit: 'ratio',
      description: 'Share of satisfaction surveys sent in the window that customers answered.',
      needs: { kinds: ['satisfactionRatings'], kindFamilies: { satisfactionRatings: ['offered'] } },
    },
    {
      id: 'csat.score',
      label: 'Customer satisfaction',
      sample: 'of {n} answered surveys',
      unit: 'ratio',
      description: 'Share of answered surveys rated good.',
    },
    {
      id: 'csat.answered.count',
      label: 'Surveys answered',
      sample: 'of {n} surveys sent',
      unit: 'count',
      description:
        'Satisfaction surveys answered in the window (0 when ratings were delivered and none was answered); its sample is the surveys sent, or the answers where the source lists only answers.',
    },
  ],
  async compute(ctx) {
    if (!ctx.covered.has('satisfactionRatings')) return [];
    const [row] = await ctx.db.query<Record<string, number>>(
      `SELECT count(*) FILTER (WHERE score = 'good')::int AS good,
              count(*) FILTER (WHERE score IN ('good','bad'))::int AS answered,
              count(*)::int AS offered
       FROM satisfaction_ratings WHERE account_id = $1 AND ${inWindow('created_at')}`,
      windowParams(ctx),
    );
    // A source that lists only answers (no unanswered surveys) cannot give a response rate.
    const sent = deliversOf(ctx, 'satisfactionRatings', 'offered');
    return [
      ...(sent
        ? proportion(ctx, 'csat.response_rate', num(row?.answered), num(row?.offered), [
            'satisfaction_ratings',
          ])
        : []),
      ...proportion(ctx, 'csat.score', num(row?.good), num(row?.answered), [
        'satisfaction_ratings',
      ]),
      ...value(ctx, 'csat.answered.count', num(row?.answered), 'count', num(row?.offered), [
        'satisfaction_ratings',
      ]),
    ];
  },
};
