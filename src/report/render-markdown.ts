import type { CriterionResult, LayerSuggestion, Metric, SnapshotBody } from '../domain/evidence.js';

/** The report a support leader reads: levels first, then per layer the evidence and next steps. */
export function renderMarkdown(s: SnapshotBody): string {
  const out: string[] = [];
  out.push(`# Support maturity: ${s.account}`, '');
  out.push(
    `As of ${s.asOf.slice(0, 10)} · window ${s.window === 'all' ? 'all data' : s.window} · rules ${s.rulesVersion} (${s.rulesHash.slice(0, 8)})` +
      (s.partial
        ? ` · **partial: ${s.failedSources?.length ? s.failedSources.join(', ') : 'some sources'} failed; their evidence is unknown and levels they would decide are held**`
        : ''),
    '',
  );
  const models = groupBy(s.layers, (l) => l.model);
  for (const layers of models.values()) {
    const first = layers[0]!;
    out.push(`## ${first.modelName}`, '');
    out.push(
      '| Layer | Suggested level | Met | Blocking the next level | Undecided |',
      '|---|---|---|---|---|',
    );
    for (const l of layers) {
      const met = l.criteria.filter((c) => c.status === 'met' && c.level <= l.level).length;
      const top = l.criteria.length ? Math.max(...l.criteria.map((c) => c.level)) : 0;
      const next = l.level >= top ? 'top level reached' : String(l.blockers.length);
      out.push(
        `| ${l.layerName} | ${l.level} · ${l.levelName}${l.heldFromPrevious ? ' (held from the last full snapshot)' : ''} | ${met} | ${next} | ${l.unknowns.length} |`,
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
  return out.join('\n');
}

function renderLayer(l: LayerSuggestion): string[] {
  const out = [`### ${l.layerName}: ${l.levelName}${l.level ? ` (level ${l.level})` : ''}`, ''];
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

function line(c: CriterionResult): string {
  const values =
    c.values && !c.gap ? Object.entries(c.values).map(([k, v]) => `${k} = ${fmt(v)}`) : [];
  const extra = [c.attested ? 'attested' : '', ...values, c.gap ? `now ${c.gap}` : '']
    .filter(Boolean)
    .join('; ');
  return `${c.statement} (\`${c.id}\`)${extra ? `: ${extra}` : ''}`;
}

function fmtMetric(m: Metric): string {
  if (m.unit === 'ratio') return pct(m.value);
  if (m.unit === 'minutes') return `${fmt(m.value)} min`;
  if (m.unit === 'hours') return `${fmt(m.value)} h`;
  return fmt(m.value);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const fmt = (x: number) => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(2));

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}
