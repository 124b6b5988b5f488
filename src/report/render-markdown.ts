import type {
  CriterionResult,
  GroupReading,
  LayerSuggestion,
  Metric,
  SnapshotBody,
} from '../domain/evidence.js';

/** The report a support leader reads: levels first, then per layer the evidence and next steps. */
export function renderMarkdown(s: SnapshotBody): string {
  const out: string[] = [];
  out.push(`# Support maturity: ${s.account}`, '');
  out.push(
    `As of ${s.asOf.slice(0, 10)} · window ${s.window === 'all' ? 'all data' : s.window}${periodNote(s)} · rules ${s.rulesVersion} (${s.rulesHash.slice(0, 8)})` +
      (s.partial
        ? s.dataAge
          ? ` · **partial: ${s.failedSources?.length ? s.failedSources.join(', ') : 'some sources'} failed to sync; their figures use the records earlier syncs stored**`
          : ` · **partial: ${s.failedSources?.length ? s.failedSources.join(', ') : 'some sources'} failed; their evidence is unknown and levels they would decide are held**`
        : ''),
    ...(s.dataAge?.length ? ['', dataAgeLine(s)] : []),
    '',
    'Each layer shows the level the evidence **proves** and, where criteria are still undecided, the level it **could be** if they turned out met.',
    '',
  );
  for (const a of s.advice ?? [])
    out.push(`> **${a.severity === 'urgent' ? 'Urgent' : 'Advice'}:** ${a.text}`, '');
  const models = groupBy(s.layers, (l) => l.model);
  for (const layers of models.values()) {
    const first = layers[0]!;
    out.push(`## ${first.modelName}`, '');
    out.push(
      '| Layer | Proven level | Could be | Met | Blocking the next level | Undecided |',
      '|---|---|---|---|---|---|',
    );
    for (const l of layers) {
      const met = l.criteria.filter((c) => c.status === 'met' && c.level <= l.level).length;
      const top = l.criteria.length ? Math.max(...l.criteria.map((c) => c.level)) : 0;
      const next = l.level >= top ? 'top level reached' : String(l.blockers.length);
      out.push(
        `| ${l.layerName} | ${l.level} · ${l.levelName}${l.heldFromPrevious ? ' (held from the last full snapshot)' : ''} | ${couldBe(l)} | ${met} | ${next} | ${l.unknowns.length} |`,
      );
    }
    out.push('');
    const next = layers.filter((l) => l.blockers.length || l.unknowns.length);
    if (next.length) {
      out.push('What to improve next:', '');
      for (const l of next) {
        const to = l.nextLevelName ?? `level ${l.level + 1}`;
        const gaps = l.blockers.map((c) => (c.gap ? `${c.gap}` : c.id));
        const confirm = l.unknowns.length ? `${l.unknowns.length} to confirm` : '';
        out.push(`- **${l.layerName} → ${to}:** ${[...gaps, confirm].filter(Boolean).join('; ')}`);
      }
      out.push('');
    }
    for (const l of layers) out.push(...renderLayer(l));
  }
  out.push('## Evidence', '');
  if (!s.metrics.length) out.push('_No evidence: the account has no records yet._');
  else {
    out.push('| Metric | Value | Sample | 95% interval | Source |', '|---|---|---|---|---|');
    for (const m of s.metrics)
      out.push(
        `| ${m.id} | ${fmtMetric(m)} | ${m.sampleSize} | ${m.interval ? `${pct(m.interval[0])} – ${pct(m.interval[1])}` : ''} | ${m.sources.join(', ')} |`,
      );
  }
  out.push('');
  if (s.groups?.length) out.push(...renderGroups(s.groups));
  return out.join('\n');
}

/** "5 · Visionary: 3 criteria await data or review (1 data, 2 a reviewer)". */
export function couldBe(l: LayerSuggestion): string {
  const possible = l.possibleLevel ?? l.level;
  if (possible <= l.level) return '—';
  const { data, review } = l.awaiting ?? { data: 0, review: 0 };
  const n = data + review;
  const what = data && review ? 'data or review' : data ? 'data' : 'review';
  const parts = data && review ? ` (${data} data, ${review} a reviewer)` : '';
  return `${possible} · ${l.possibleLevelName}: ${n} criteri${n === 1 ? 'on awaits' : 'a await'} ${what}${parts}`;
}

/** The period the evidence covers, always stated; and why, when it is shorter than asked. */
function periodNote(s: SnapshotBody): string {
  if (!s.period) return '';
  const to = s.period.to.slice(0, 10);
  const span = s.period.from ? `${s.period.from.slice(0, 10)} to ${to}` : `all history to ${to}`;
  return s.period.narrowed
    ? ` (evidence ${span} only: earlier history was not synced)`
    : ` (evidence ${span})`;
}

/** "Data age: tickets, groups last synced 2026-05-01 02:00 UTC (3 days old); kb never (unknown)." */
export function dataAgeLine(s: Pick<SnapshotBody, 'asOf' | 'dataAge'>): string {
  const bySync = groupBy(s.dataAge ?? [], (d) => d.lastSynced ?? '');
  const parts = [...bySync].map(([at, ds]) => {
    const names = ds.map((d) => d.source).join(', ');
    if (!at) return `${names} never synced in full (unknown)`;
    const hours = (Date.parse(s.asOf) - Date.parse(at)) / 3_600_000;
    const age =
      hours < 0
        ? ''
        : hours < 1
          ? ' (under an hour old)'
          : hours < 48
            ? ` (${Math.floor(hours)} h old)`
            : ` (${Math.floor(hours / 24)} days old)`;
    return `${names} last synced ${at.slice(0, 16).replace('T', ' ')} UTC${age}`;
  });
  return `**Data age:** ${parts.join('; ')}.`;
}

function renderLayer(l: LayerSuggestion): string[] {
  const possible = l.possibleLevel ?? l.level;
  const out = [
    `### ${l.layerName}: ${l.levelName}${l.level ? ` (level ${l.level})` : ''}${possible > l.level ? `, could be ${l.possibleLevelName} (level ${possible})` : ''}`,
    '',
  ];
  const held = l.criteria.filter((c) => c.level <= l.level);
  if (held.length) {
    out.push('What shows it:');
    for (const c of held) out.push(`- ✓ ${line(c)}`);
    out.push('');
  }
  if (l.blockers.length) {
    out.push('Blocking the next level:');
    for (const c of l.blockers) out.push(`- ✗ ${line(c)}`);
    out.push('');
  }
  if (l.unknowns.length) {
    out.push('Not decided by the data:');
    for (const c of l.unknowns)
      out.push(`- ? ${c.statement} (\`${c.id}\`): ${c.reason}. Would decide: ${c.wouldDecide}.`);
    out.push('');
  }
  if (!l.blockers.length && !l.unknowns.length) out.push('_Top level of this layer reached._', '');
  return out;
}

function renderGroups(groups: GroupReading[]): string[] {
  const MAX = 100;
  const by = {
    name: 'its name',
    mapping: 'group-roles mapping',
    flag: 'partner flag from the source',
    opaque: 'unreadable (anonymised or coded name)',
    none: 'readable name, no support role',
  } as const;
  const out = [
    '## How the groups were read',
    '',
    "Roles come from the account's group-roles mapping first, then a partner flag from the source, then the group's name. Groups with unreadable names leave the criteria they could decide unknown; map them with `maturity accounts group-roles ACCOUNT FILE`.",
    '',
    '| Group | Roles | Read from |',
    '|---|---|---|',
  ];
  for (const g of groups.slice(0, MAX))
    out.push(`| ${g.name} | ${g.roles.join(', ') || '—'} | ${by[g.by]} |`);
  if (groups.length > MAX) out.push('', `_…and ${groups.length - MAX} more groups._`);
  out.push('');
  return out;
}

function line(c: CriterionResult): string {
  const values =
    c.values && !c.gap ? Object.entries(c.values).map(([k, v]) => `${k} = ${fmt(v)}`) : [];
  const extra = [c.attested ? 'attested' : '', ...values, c.gap ? `now ${c.gap}` : '']
    .filter(Boolean)
    .join('; ');
  return `${c.statement} (\`${c.id}\`)${extra ? `: ${extra}` : ''}`;
}

function fmtMetric(m: Metric): string {
  const extra = m.undetermined ? ` (+${m.undetermined} unreadable)` : '';
  if (m.unit === 'ratio') return pct(m.value);
  if (m.unit === 'minutes') return `${fmt(m.value)} min`;
  if (m.unit === 'hours') return `${fmt(m.value)} h`;
  return fmt(m.value) + extra;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const fmt = (x: number) => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(2));

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}
