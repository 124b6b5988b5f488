import { parse } from 'csv-parse/sync';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ListedDecision } from '../src/domain/decisions.js';
import type { LayerSuggestion, SnapshotBody } from '../src/domain/evidence.js';
import type { PendingCriterion } from '../src/review/decisions.js';
import { structuredTeam } from './fixtures/organisations.js';
import { cliHome } from './helpers/cli.js';

/** The fixtures' records lie before this date; the decisions are recorded today, after it. */
const AS_OF = '2026-06-30';
const DAY = 86_400_000;
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const inDays = (n: number) => day(Date.now() + n * DAY);

/** A home with the structured team imported and snapshotted as of AS_OF. */
async function team() {
  const cli = cliHome({}, { keepOpen: true });
  const file = path.join(cli.home, 'org.json');
  writeFileSync(file, JSON.stringify(structuredTeam()));
  expect((await cli.run('import', 'records', file, '--name', 'org')).err).toBe('');
  expect((await cli.run('snapshot', 'org', '--as-of', AS_OF)).err).toBe('');
  const ok = async (...args: string[]) => {
    const r = await cli.run(...args);
    expect(r.err, args.join(' ')).toBe('');
    expect(r.code).toBe(0);
    return r.out;
  };
  return {
    cli,
    ok,
    file,
    report: async (...args: string[]) =>
      JSON.parse(await ok('report', 'org', '--format', 'json', ...args)) as SnapshotBody,
    trail: async () =>
      JSON.parse(await ok('attest', 'list', 'org', '--all', '--json')) as ListedDecision[],
  };
}

const layer = (b: SnapshotBody, name: string): LayerSuggestion =>
  b.layers.find((l) => l.layer === name)!;
const criterion = (b: SnapshotBody, l: string, id: string) =>
  layer(b, l).criteria.find((c) => c.id === id)!;

// Every CLI run opens the embedded store in-process: a few seconds each on a busy machine.
describe('review decisions through the CLI', { timeout: 300_000 }, () => {
  it('attests a criterion with a reason, since, expiry and evidence; the report shows it at once', async () => {
    const t = await team();
    expect(layer(await t.report(), 'strategy').level).toBe(1);
    const out = await t.ok(
      'attest',
      'org',
      'yearly-support-goals',
      '--by',
      'Dana',
      '--reason',
      'FY26 goals signed off',
      '--since',
      '2026-01-01',
      '--expires',
      inDays(30),
      '--evidence',
      'https://wiki.example/goals',
    );
    expect(out).toMatch(/^recorded #1 .* attest ftworks\/strategy\/yearly-support-goals: in place/);
    expect(out).toMatch(/Strategy at level 2/);
    const body = await t.report();
    expect(layer(body, 'strategy').level).toBe(2);
    expect(criterion(body, 'strategy', 'yearly-support-goals')).toMatchObject({
      status: 'met',
      attested: true,
      attestation: {
        decision: 1,
        by: 'Dana',
        reason: 'FY26 goals signed off',
        since: '2026-01-01T00:00:00.000Z',
        evidenceUrl: 'https://wiki.example/goals',
        expiresAt: `${inDays(30)}T23:59:59.999Z`,
      },
    });
  });

  it('takes who decides from $USER when --by is not given', async () => {
    const cli = cliHome({ USER: 'dana' }, { keepOpen: true });
    const file = path.join(cli.home, 'org.json');
    writeFileSync(file, JSON.stringify(structuredTeam()));
    await cli.run('import', 'records', file, '--name', 'org');
    const r = await cli.run('attest', 'org', 'yearly-support-goals', '--reason', 'FY26 plan');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/by dana/);
    expect(r.out).toMatch(/it counts from the first snapshot/);
  });

  describe('refuses bad decisions in one line, exit 2, storing nothing', () => {
    const past = day(Date.now() - 2 * DAY);
    const cases: [string, string[], string | RegExp][] = [
      [
        'no reason',
        ['attest', 'org', 'yearly-support-goals', '--by', 'Dana'],
        '--reason is required: say why',
      ],
      [
        'a blank reason',
        ['attest', 'org', 'yearly-support-goals', '--by', 'Dana', '--reason', '  '],
        '--reason is required: say why',
      ],
      [
        'a past expiry',
        [
          'attest',
          'org',
          'yearly-support-goals',
          '--by',
          'Dana',
          '--reason',
          'r',
          '--expires',
          past,
        ],
        `--expires must be in the future (got ${past})`,
      ],
      [
        "an expiry past the rule's validity",
        [
          'attest',
          'org',
          'yearly-support-goals',
          '--by',
          'Dana',
          '--reason',
          'r',
          '--expires',
          inDays(400),
        ],
        new RegExp(
          `^--expires must be no later than ${inDays(365)}: the rule yearly-support-goals holds a reviewer's statement for at most 365 days \\(got ${inDays(400)}\\)$`,
        ),
      ],
      [
        'a since date in the future',
        [
          'attest',
          'org',
          'yearly-support-goals',
          '--by',
          'Dana',
          '--reason',
          'r',
          '--since',
          inDays(3),
        ],
        `--since must not be in the future: it is the date the criterion became true (got ${inDays(3)})`,
      ],
      [
        'an unknown criterion',
        ['attest', 'org', 'yearly-suport-goals', '--by', 'Dana', '--reason', 'r'],
        'CRITERION "yearly-suport-goals" is not a criterion of any model; did you mean "yearly-support-goals"? (the criteria are listed in rules/ and by `maturity review pending`)',
      ],
      [
        'an evidence link that is no web address',
        [
          'attest',
          'org',
          'yearly-support-goals',
          '--by',
          'Dana',
          '--reason',
          'r',
          '--evidence',
          'file:///etc/passwd',
        ],
        '--evidence must be an http or https link without a user or password',
      ],
      [
        'a dispute of an unknown model',
        [
          'dispute',
          'org',
          'sla-policy-defined',
          '--by',
          'Dana',
          '--reason',
          'r',
          '--model',
          'itil',
        ],
        '--model must be ftworks, support-model or engagement (got "itil")',
      ],
      [
        'an exemption without expiry',
        ['exempt', 'org', 'plan-portfolio', '--by', 'Dana', '--reason', 'one product'],
        '--expires is required',
      ],
      [
        'an exemption of nothing',
        ['exempt', 'org', '--by', 'Dana', '--reason', 'r', '--expires', inDays(30)],
        'CRITERION must name a criterion, or a model to exempt whole',
      ],
      [
        'an override of an unknown layer',
        ['override', 'org', 'offering', '--level', '3', '--by', 'Dana', '--reason', 'r'],
        /^LAYER must be one of ftworks\/offerings, .*; did you mean "offerings"\? \(got "offering"\)$/,
      ],
      [
        'an override above the top level',
        ['override', 'org', 'offerings', '--level', '6', '--by', 'Dana', '--reason', 'r'],
        '--level must be from 0 to 5 for ftworks (got 6)',
      ],
      [
        'an override without a level',
        ['override', 'org', 'offerings', '--by', 'Dana', '--reason', 'r'],
        '--level is required',
      ],
      [
        'a revoke of no decision',
        ['revoke', 'org', '99', '--by', 'Dana', '--reason', 'r'],
        /^DECISION_ID #99 is no decision of "org"/,
      ],
      [
        'a revoke without reason',
        ['revoke', 'org', '1', '--by', 'Dana'],
        '--reason is required: say why',
      ],
    ];
    const home = team();

    it.each(cases)('%s', async (_, argv, message) => {
      const t = await home;
      const before = await t.trail();
      const r = await t.cli.run(...argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      const line = r.err.replace(/^maturity: /, '').replace(/\n$/, '');
      expect(r.err.split('\n')).toHaveLength(2);
      if (typeof message === 'string') expect(line).toBe(message);
      else expect(line).toMatch(message);
      expect(await t.trail()).toEqual(before);
    });
  });

  it('shows a dispute of what the data shows in the JSON and the Markdown, level unchanged', async () => {
    const t = await team();
    // The data shows an SLA policy; the reviewer says it is a placeholder nobody works to.
    await t.ok(
      'dispute',
      'org',
      'sla-policy-defined',
      '--by',
      'Eve',
      '--reason',
      'a placeholder policy',
    );
    // Today's "attest --not-in-place" on a criterion the data shows met is a dispute too.
    await t.ok(
      'attest',
      'org',
      'tickets-carry-sla',
      '--not-in-place',
      '--by',
      'Eve',
      '--reason',
      'flags set by a macro',
    );
    const body = await t.report();
    expect(criterion(body, 'offerings', 'sla-policy-defined')).toMatchObject({
      status: 'met',
      disputed: { by: 'Eve', inPlace: false, reason: 'a placeholder policy' },
    });
    expect(criterion(body, 'processes', 'tickets-carry-sla')).toMatchObject({
      status: 'met',
      disputed: { by: 'Eve', inPlace: false },
    });
    expect(layer(body, 'offerings').level).toBe(2);
    const md = await t.ok('report', 'org');
    expect(md).toMatch(/disputed/i);
    expect(md).toContain('a placeholder policy');
  });

  it('moves an exempt criterion out of the blockers into its own section, and a whole model out of review', async () => {
    const t = await team();
    const before = layer(await t.report(), 'offerings');
    expect(before.blockers.map((c) => c.id)).toContain('plan-portfolio');
    const pending = async () =>
      (JSON.parse(await t.ok('review', 'pending', 'org', '--json')) as PendingCriterion[]).map(
        (p) => `${p.model}/${p.criterionId}`,
      );
    expect((await pending()).some((p) => p.startsWith('support-model/'))).toBe(true);
    await t.ok(
      'exempt',
      'org',
      'plan-portfolio',
      '--by',
      'Dana',
      '--reason',
      'we sell one product',
      '--expires',
      inDays(200),
    );
    await t.ok(
      'exempt',
      'org',
      '--model',
      'support-model',
      '--by',
      'Dana',
      '--reason',
      'our contracts follow another framework',
      '--expires',
      inDays(200),
    );
    const body = await t.report();
    const offerings = layer(body, 'offerings');
    expect(offerings.blockers.map((c) => c.id)).not.toContain('plan-portfolio');
    expect(offerings.criteria.find((c) => c.id === 'plan-portfolio')?.exempt).toMatchObject({
      scope: 'criterion',
      by: 'Dana',
    });
    expect(body.exempt).toEqual([
      expect.objectContaining({
        scope: 'model',
        model: 'support-model',
        reason: 'our contracts follow another framework',
      }),
      expect.objectContaining({
        scope: 'criterion',
        criterionId: 'plan-portfolio',
        status: 'unmet',
      }),
    ]);
    expect(layer(body, 'documented-processes')).toMatchObject({
      exempt: { by: 'Dana' },
      blockers: [],
      unknowns: [],
    });
    expect((await pending()).some((p) => p.startsWith('support-model/'))).toBe(false);
    const md = await t.ok('report', 'org');
    const section = md.slice(md.indexOf('Not applicable (exempt)'));
    expect(section).toContain('we sell one product');
    expect(section).toContain('our contracts follow another framework');
  });

  it('keeps an override through the next snapshot, and marks it stale once its evidence changes', async () => {
    const t = await team();
    const out = await t.ok(
      'override',
      'org',
      'ftworks/offerings',
      '--level',
      '3',
      '--by',
      'Dana',
      '--reason',
      'board view',
    );
    expect(out).toMatch(/override ftworks\/offerings: level 3 \(suggested 2\)/);
    expect(layer(await t.report(), 'offerings')).toMatchObject({
      level: 2,
      override: { level: 3, levelName: 'Managed', by: 'Dana', stale: false },
    });
    await t.ok('snapshot', 'org', '--as-of', '2026-07-01');
    expect(layer(await t.report(), 'offerings').override).toMatchObject({ level: 3, stale: false });
    // A second plan: the portfolio criterion turns met, the evidence behind the suggestion moved.
    const p1 = structuredTeam().plans[0]!;
    writeFileSync(
      t.file,
      JSON.stringify({ plans: [p1, { ...p1, sourceId: 'p2', name: 'Premium', tier: 2 }] }),
    );
    await t.ok('import', 'records', t.file, '--name', 'org');
    await t.ok('snapshot', 'org', '--as-of', '2026-07-02');
    const offerings = layer(await t.report(), 'offerings');
    expect(offerings.criteria.find((c) => c.id === 'plan-portfolio')?.status).toBe('met');
    expect(offerings.override).toMatchObject({ level: 3, stale: true, suggestedThen: 2 });
    expect(await t.ok('report', 'org')).toMatch(/stale/i);
  });

  it('stops counting an attestation once it has expired', async () => {
    const t = await team();
    await t.ok(
      'attest',
      'org',
      'yearly-support-goals',
      '--by',
      'Dana',
      '--reason',
      'FY26 plan',
      '--expires',
      inDays(2),
    );
    expect(criterion(await t.report(), 'strategy', 'yearly-support-goals').status).toBe('met');
    // A snapshot as of a date past the expiry.
    await t.ok('snapshot', 'org', '--as-of', inDays(10), '--window', 'all');
    const goals = criterion(await t.report(), 'strategy', 'yearly-support-goals');
    expect(goals.status).toBe('unknown');
    expect(goals.reason).toMatch(/an earlier attestation has expired/);
  });

  it('counts an attestation in an earlier snapshot, judged again, only from its since date', async () => {
    const t = await team();
    await t.ok('snapshot', 'org', '--as-of', '2026-07-10');
    await t.ok(
      'attest',
      'org',
      'yearly-support-goals',
      '--by',
      'Dana',
      '--reason',
      'FY26 plan',
      '--since',
      '2026-01-01',
    );
    await t.ok(
      'attest',
      'org',
      'job-ladder-and-onboarding',
      '--by',
      'Dana',
      '--reason',
      'HR handbook',
    );
    const earlier = await t.report('--as-of', AS_OF);
    expect(earlier.asOf.slice(0, 10)).toBe(AS_OF);
    expect(criterion(earlier, 'strategy', 'yearly-support-goals').status).toBe('met');
    expect(criterion(earlier, 'people', 'job-ladder-and-onboarding').status).toBe('unknown');
    // The same snapshot by its id; the latest counts both.
    expect(await t.report('--id', String(earlier.reviewed!.snapshotId))).toEqual({
      ...earlier,
      reviewed: { ...earlier.reviewed, at: expect.any(String) },
    });
    const latest = await t.report();
    expect(criterion(latest, 'people', 'job-ladder-and-onboarding').status).toBe('met');
    const none = await t.cli.run('report', 'org', '--as-of', '2026-01-01');
    expect([none.code, none.err]).toEqual([
      1,
      'maturity: account "org" has no snapshot as of 2026-01-01 or earlier\n',
    ]);
  });

  it('revokes with an audit row; the audit CSV parses back with every row', async () => {
    const t = await team();
    await t.ok(
      'attest',
      'org',
      'yearly-support-goals',
      '--by',
      'Dana',
      '--reason',
      'FY26 plan, "signed"',
    );
    await t.ok(
      'exempt',
      'org',
      'plan-portfolio',
      '--by',
      'Dana',
      '--reason',
      'one product',
      '--expires',
      inDays(90),
    );
    await t.ok(
      'override',
      'org',
      'offerings',
      '--level',
      '1',
      '--by',
      'Eve',
      '--reason',
      'SLA not honoured',
    );
    await t.ok('dispute', 'org', 'sla-policy-defined', '--by', 'Eve', '--reason', 'placeholder');
    expect(criterion(await t.report(), 'strategy', 'yearly-support-goals').status).toBe('met');
    const out = await t.ok(
      'revoke',
      'org',
      '1',
      '--by',
      'Dana',
      '--reason',
      'the plan was withdrawn',
    );
    expect(out).toMatch(
      /^recorded #5 .* revoke ftworks\/strategy\/yearly-support-goals: takes back #1/,
    );
    expect(criterion(await t.report(), 'strategy', 'yearly-support-goals').status).toBe('unknown');
    // The live list no longer has it; --all does, with the revoke.
    const live = JSON.parse(await t.ok('attest', 'list', 'org', '--json')) as ListedDecision[];
    expect(live.map((d) => d.id)).toEqual([2, 3, 4]);
    const trail = await t.trail();
    expect(trail.map((d) => [d.id, d.kind, d.state])).toEqual([
      [1, 'attest', 'revoked'],
      [2, 'exempt', 'active'],
      [3, 'override', 'active'],
      [4, 'dispute', 'active'],
      [5, 'revoke', 'revoke'],
    ]);
    const csv = await t.ok('audit', 'org', '--csv');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.id, r.kind, r.by, r.reason, r.state])).toEqual(
      trail.map((d) => [String(d.id), d.kind, d.actor, d.reason, d.state]),
    );
    expect(rows[4]).toMatchObject({ revokes: '1', criterion: 'yearly-support-goals', token: '' });
    expect(rows[0]).toMatchObject({ revoked_by: '5', at: trail[0]!.at });
    // Every account's trail, without --csv: one line each.
    expect((await t.ok('audit')).trim().split('\n')).toHaveLength(1 + trail.length);
  });
});
