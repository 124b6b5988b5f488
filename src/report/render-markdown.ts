import type { SnapshotBody } from '../domain/evidence.js';
import { loadDefaultRules, type RuleSet } from '../engine/index.js';
import { targetsWords, type Action } from '../review/actions.js';
import type { CriterionView } from '../review/criteria.js';
import { FIRST_SCREEN_ACTIONS } from '../review/html/first-screen.js';
import type { Ladder } from '../review/summary.js';
import { reviewView, type ReviewInput, type ReviewView } from '../review/view.js';

const STEP = { proven: '■', possible: '◧', open: '□' } as const;

/**
 * The report a support leader reads, in Markdown: the same summary, ranking and wording as the
 * HTML report and the review page (src/review), then the detail.
 */
export function renderReportMarkdown(v: ReviewView): string {
  const s = v.summary;
  const out: string[] = [];
  out.push(`# Support maturity: ${text(s.account)}`, '');
  out.push(
    [
      `As of ${s.asOfWords}`,
      `${s.windowWords}${s.periodWords ? ` (${s.periodWords})` : ''}`,
      `${s.rules.words}${s.rules.storedWith ? ` (${s.rules.storedWith})` : ''}`,
      ...(s.rules.readWith ? [s.rules.readWith.words] : []),
      ...(s.partial ? [`**partial: ${text(s.partial)}**`] : []),
    ].join(' · '),
  );
  if (s.outside) out.push('', `**⚠ ${text(s.outside)}**`);
  if (v.dataAge) out.push('', `**Data age:** ${text(v.dataAge)}`);
  out.push('');
  for (const a of s.advice)
    out.push(`> **${a.severity === 'urgent' ? 'Urgent' : 'Advice'}:** ${text(a.text)}`, '');
  out.push(
    'Each layer: ■ proven level, ◧ possible if the undecided criteria turn out met, □ not reached.',
    '',
  );
  for (const m of s.models) {
    out.push(`## ${text(m.name)}`, '', text(m.sentence), '');
    for (const l of m.ladders) out.push(`- ${ladderLine(l)}`);
    out.push('');
  }
  if (s.change) {
    out.push(`## ${s.change.sinceWords}`, '');
    for (const line of s.change.lines) out.push(`- ${text(line)}`);
  } else out.push('## Change', '', 'First snapshot of this account: nothing to compare yet.');
  out.push('');
  out.push('## Top actions', '');
  const pick = (kind: Action['kind']) =>
    s.actions.filter((a) => a.kind === kind && a.targets.length);
  const improve = pick('improve').slice(0, FIRST_SCREEN_ACTIONS.improve);
  if (improve.length) out.push(...numbered(improve));
  else out.push('No unmet criterion stands before a next level.');
  out.push('');
  const data = pick('data').slice(0, FIRST_SCREEN_ACTIONS.data);
  if (data.length) out.push('### Awaiting data', '', ...numbered(data), '');
  const review = pick('review').slice(0, FIRST_SCREEN_ACTIONS.review);
  if (review.length) out.push('### Awaiting a reviewer', '', ...numbered(review), '');

  // The detail.
  if (s.actions.length) {
    out.push('## All actions, ranked', '');
    for (const [kind, title] of [
      ['improve', 'To improve'],
      ['data', 'Awaiting data'],
      ['review', 'Awaiting a reviewer'],
    ] as const) {
      const xs = s.actions.filter((a) => a.kind === kind);
      if (xs.length) out.push(`### ${title}`, '', ...numbered(xs), '');
    }
  }
  out.push('## Layers and criteria', '');
  for (const l of v.layers) {
    out.push(`### ${text(l.ladder.layerName)} · ${text(l.modelName)}`, '');
    out.push(text(l.ladder.exempt ? 'Not applicable' : l.ladder.words), '');
    if (l.ladder.override) out.push(text(l.ladder.override.words), '');
    for (const c of l.criteria) out.push(...criterionLines(c));
    out.push('');
  }
  if (v.exempt.length) {
    out.push('## Not applicable (exempt)', '');
    for (const e of v.exempt) out.push(`- ⊘ **${text(e.what)}**: ${text(e.words)}`);
    out.push('');
  }
  out.push('## Evidence', '');
  if (!v.evidence.length) out.push('_No evidence: the account has no records yet._');
  else {
    out.push(
      '| Metric | Value | Sample | When | 95% interval | Source |',
      '|---|---|---|---|---|---|',
    );
    for (const r of v.evidence)
      out.push(
        `| ${cell(r.label)} | ${cell(r.value ?? r.absent ?? 'no data')} | ${cell(r.sample ?? '')} | ${cell(r.when)} | ${cell(r.interval?.replace('95% interval ', '') ?? '')} | ${cell(r.sources ?? '')} |`,
      );
  }
  out.push('');
  if (v.history.length) {
    out.push('## History', '');
    for (const h of v.history) {
      out.push(
        `- **${h.asOfWords}** · ${h.windowWords} · ${h.rules}${h.rulesChanged ? ' · ⟳ rules changed' : ''}${h.partial ? ' · partial' : ''}: ${h.levels.map((l) => `${text(l.layerName)} ${l.stored}`).join(', ')}`,
      );
      if (h.rejudgedWords) out.push(`  - _${text(h.rejudgedWords)}_`);
      for (const d of h.diff) out.push(`  - ${text(d)}`);
    }
    out.push('');
  }
  if (v.groups.length) {
    out.push(
      '## How the groups were read',
      '',
      "Roles come from the account's group-roles mapping first, then a partner flag from the source, then the group's name. Groups with unreadable names leave the criteria they could decide unknown; map them with `maturity accounts group-roles ACCOUNT FILE`.",
      '',
      '| Group | Roles | Read from |',
      '|---|---|---|',
    );
    for (const g of v.groups) out.push(`| ${cell(g.name)} | ${cell(g.roles)} | ${g.readFrom} |`);
    if (v.moreGroups) out.push('', `_…and ${v.moreGroups} more groups._`);
    out.push('');
  }
  return out.join('\n');
}

/** The report of one snapshot, read with the given rules (default: the shipped ones). */
export function renderMarkdown(
  body: SnapshotBody,
  o: Omit<ReviewInput, 'body' | 'rules'> & { rules?: RuleSet } = {},
): string {
  return renderReportMarkdown(reviewView({ ...o, body, rules: o.rules ?? loadDefaultRules() }));
}

function ladderLine(l: Ladder): string {
  const steps = l.top > 1 ? ` ${l.steps.map((s) => STEP[s.state]).join('')}` : '';
  const change = l.change
    ? ` (${l.change.to > l.change.from ? '▲' : '▼'} ${l.change.from}→${l.change.to} since the last snapshot)`
    : '';
  const held = l.held ? ' (held from the last full snapshot)' : '';
  const words = l.exempt ? 'Not applicable' : l.words;
  const override = l.override ? `; ${l.override.words}` : '';
  return `**${text(l.layerName)}**${steps} ${text(words)}${held}${change}${text(override)}`;
}

function numbered(actions: Action[]): string[] {
  return actions.map((a, i) => {
    const unlocks = a.unlocks ? ` (${a.unlocks} level${a.unlocks === 1 ? '' : 's'})` : '';
    const targets = a.targets.length ? ` → ${targetsWords(a)}${unlocks}` : '';
    return `${i + 1}. ${text(a.text)}${a.detail ? `: ${text(a.detail)}` : ''}${text(targets)}`;
  });
}

function criterionLines(c: CriterionView): string[] {
  const marks = [c.borderline ? '⚠ borderline' : '', c.disputed ? '⚑ disputed' : '']
    .filter(Boolean)
    .join(' ');
  const out = [
    `- ${c.symbol} ${c.statusWords} · level ${c.level} (${text(c.levelName)})${marks ? ` · ${marks}` : ''}: **${text(c.statement)}**`,
  ];
  if (c.why) out.push(`  - Why: ${text(c.why)}`);
  for (const x of c.conditions) {
    const mark = x.status === 'met' ? '✓' : x.status === 'unmet' ? '✗' : '?';
    const any = c.mode === 'any' && c.conditions.length > 1 ? ' (any one will do)' : '';
    out.push(
      `  - ${mark} ${text(x.words)}${any}: ${text(x.evidence ?? 'no value')}${x.interval ? `; ${x.interval}` : ''}${x.borderline ? ' (borderline: the interval holds the threshold)' : ''}${x.reason ? ` (${text(x.reason)})` : ''}`,
    );
  }
  if (!c.conditions.length) out.push('  - Helpdesk data cannot show this: a reviewer decides it.');
  if (c.attested) out.push(`  - ${text(c.attested.words)}`);
  if (c.disputed) out.push(`  - ⚑ ${text(c.disputed.words)}`);
  if (c.wouldDecide) out.push(`  - Would decide it: ${text(c.wouldDecide)}`);
  return out;
}

/** Data text inside Markdown: no raw HTML, no line breaks that end a list item. */
const text = (s: string) =>
  s
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*\n\s*/g, ' ');
/** A table cell: pipes escaped as well. */
const cell = (s: string) => text(s).replace(/\|/g, '\\|');
