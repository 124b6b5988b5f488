import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LayerSuggestion, SnapshotBody } from '../src/domain/evidence.js';
import { bootstrapStartup, managedEnterprise, structuredTeam } from './fixtures/organisations.js';
import { cliHome } from './helpers/cli.js';

const AS_OF = '2026-06-30';

/** import → snapshot through the CLI, as a user would. */
async function assess(
  org: object,
  window = '90d',
  before?: (cli: ReturnType<typeof cliHome>) => Promise<void>,
) {
  const cli = cliHome({}, { keepOpen: true });
  const file = path.join(cli.home, 'org.json');
  writeFileSync(file, JSON.stringify(org));
  const imp = await cli.run('import', 'records', file, '--name', 'org');
  expect(imp.err).toBe('');
  await before?.(cli);
  const snap = await cli.run('snapshot', 'org', '--as-of', AS_OF, '--window', window, '--json');
  expect(snap.err).toBe('');
  const body = JSON.parse(snap.out) as SnapshotBody;
  const layer = (name: string, model = 'ftworks') =>
    body.layers.find((l) => l.model === model && l.layer === name)!;
  const levels = Object.fromEntries(
    body.layers.filter((l) => l.model === 'ftworks').map((l) => [l.layer, l.level]),
  );
  return { cli, body, layer, levels };
}

const ids = (cs: { id: string }[]) => cs.map((c) => c.id).sort();
const status = (l: LayerSuggestion, id: string) => l.criteria.find((c) => c.id === id);

describe('a bootstrap startup', () => {
  it('is Bootstrap in every FT Works layer', async () => {
    const { levels, body } = await assess(bootstrapStartup());
    expect(levels).toEqual({
      offerings: 1,
      processes: 1,
      people: 1,
      tools: 1,
      metrics: 1,
      strategy: 1,
    });
    expect(body.layers.find((l) => l.layer === 'offerings')?.levelName).toBe('Bootstrap');
  });

  it('is told that a missing SLA policy blocks Structured offerings, with the value', async () => {
    const { layer } = await assess(bootstrapStartup());
    const offerings = layer('offerings');
    expect(offerings.blockers.map((b) => [b.id, b.gap])).toContainEqual([
      'sla-policy-defined',
      'sla.policies.count 0, needs >= 1',
    ]);
    // No SLA outcomes at all: whether performance is measured is unknown, not unmet.
    expect(ids(offerings.unknowns)).toContain('sla-performance-measured');
    expect(layer('processes').blockers.find((b) => b.id === 'workflows-codified')?.gap).toBe(
      'automations.count 2, needs >= 5',
    );
  });

  it('has no support partner and an ITSM tool but no agreements in the other models', async () => {
    const { layer } = await assess(bootstrapStartup());
    expect(layer('engagement', 'engagement').level).toBe(0);
    expect(layer('itsm-tool', 'support-model').levelName).toBe('Present');
    expect(layer('agreements', 'support-model').level).toBe(0);
  });
});

describe('a structured team', () => {
  it('is Structured where its data shows it, and Bootstrap in strategy until a reviewer attests', async () => {
    const { levels, layer } = await assess(structuredTeam());
    expect(levels).toEqual({
      offerings: 2,
      processes: 2,
      people: 2,
      tools: 2,
      metrics: 2,
      strategy: 1,
    });
    expect(ids(layer('strategy').unknowns)).toEqual(['yearly-support-goals']);
  });

  it('explains what holds it back from Managed', async () => {
    const { layer } = await assess(structuredTeam());
    expect(layer('offerings').blockers.find((b) => b.id === 'plan-portfolio')?.gap).toBe(
      'plans.count 1, needs >= 2',
    );
    expect(layer('metrics').blockers.find((b) => b.id === 'sla-targets-met')?.gap).toBe(
      'sla.attainment 0.85, needs >= 0.90',
    );
    expect(layer('processes').blockers.find((b) => b.id === 'kb-articles-refreshed-12m')?.gap).toBe(
      'kb.freshness 0.40, needs >= 0.60',
    );
    expect(layer('tools').blockers.find((b) => b.id === 'automation-at-scale')?.gap).toBe(
      'automations.count 15, needs >= 50',
    );
    // Ten people working office hours are no follow-the-sun operation.
    expect(status(layer('people'), 'follow-the-sun-coverage')).toMatchObject({ status: 'unmet' });
    // The criteria it meets carry their evidence.
    expect(status(layer('offerings'), 'top-priority-first-reply-realistic')).toMatchObject({
      status: 'met',
      values: { 'sla.first_response_target_minutes.top_priority': 60 },
    });
  });

  it('reaches Structured strategy once a reviewer attests yearly goals', async () => {
    const { levels, layer } = await assess(structuredTeam(), '90d', async (cli) => {
      const r = await cli.run(
        'attest',
        'org',
        'yearly-support-goals',
        '--by',
        'Head of Support',
        '--reason',
        'FY26 plan',
        // Recorded after the as-of date: true since January, it counts in that snapshot.
        '--since',
        '2026-01-01',
      );
      expect(r.code).toBe(0);
    });
    expect(levels.strategy).toBe(2);
    expect(status(layer('strategy'), 'yearly-support-goals')).toMatchObject({
      status: 'met',
      attested: true,
    });
  });
});

describe('a managed enterprise', () => {
  const attestPeople = async (cli: ReturnType<typeof cliHome>) => {
    for (const id of ['job-ladder-and-onboarding', 'objectives-linked-to-targets']) {
      const args = ['--by', 'VP Support', '--reason', 'HR handbook', '--since', '2026-01-01'];
      expect((await cli.run('attest', 'org', id, ...args)).code).toBe(0);
    }
  };

  it('is Managed in offerings, processes, tools and metrics from data, and in people with attestations', async () => {
    const { levels } = await assess(managedEnterprise(), '6m', attestPeople);
    expect(levels).toEqual({
      offerings: 3,
      processes: 3,
      people: 3,
      tools: 3,
      metrics: 3,
      strategy: 1,
    });
  });

  it('is only possibly Managed in offerings when its premium plans were guessed from names', async () => {
    // Premium and Enterprise read from tags named like plans, with no SLA policy naming them: they
    // may be sales tiers, so the portfolio is for a reviewer to settle, not proven.
    const org = managedEnterprise();
    org.plans = org.plans.map((p) =>
      p.sourceId === 'p1' ? p : { ...p, slaPolicyId: undefined, guessed: true },
    ) as typeof org.plans;
    const { layer } = await assess(JSON.parse(JSON.stringify(org)) as object, '6m');
    const offerings = layer('offerings');
    expect([offerings.level, offerings.possibleLevel]).toEqual([2, 3]);
    const portfolio = offerings.unknowns.find((u) => u.id === 'plan-portfolio');
    expect(portfolio?.reason).toMatch(
      /plans\.count is 1, but 2 more are undetermined and may count/,
    );
    expect(portfolio?.wouldDecide).toMatch(
      /found only by their names count once their field or tags are named/,
    );
  });

  it('shows steady staffing and the SLA attainment behind Managed', async () => {
    const { layer, body } = await assess(managedEnterprise(), '6m', attestPeople);
    expect(status(layer('people'), 'staffing-tracks-volume')?.status).toBe('met');
    const attainment = body.metrics.find((m) => m.id === 'sla.attainment')!;
    expect(attainment.value).toBeCloseTo(0.94, 2);
    expect(attainment.interval![0]).toBeGreaterThan(0.92);
    expect(status(layer('metrics'), 'sla-targets-met')).toMatchObject({ status: 'met' });
  });

  it('stays Structured in people without the attestations, and says which ones would decide', async () => {
    const { layer } = await assess(managedEnterprise(), '6m');
    const people = layer('people');
    expect(people.level).toBe(2);
    expect(ids(people.unknowns)).toEqual([
      'job-ladder-and-onboarding',
      'objectives-linked-to-targets',
    ]);
    expect(people.unknowns[0]?.wouldDecide).toBeTruthy();
  });

  it('is held back from Holistic metrics by a 15% survey response rate', async () => {
    const { layer } = await assess(managedEnterprise(), '6m');
    expect(layer('metrics').blockers.find((b) => b.id === 'csat-response-rate-20pct')?.gap).toBe(
      'csat.response_rate 0.15, needs >= 0.20',
    );
  });
});
