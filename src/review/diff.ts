import type { LayerSuggestion, SnapshotBody } from '../domain/evidence.js';
import { shortLayerName } from './anchors.js';
import { readConditions, type ConditionReading, type RuleIndex } from './conditions.js';
import { exemptionOf, overrideOf } from './decision-fields.js';
import { conditionSubject, conditionValueWords, dateWords, inSentence } from './format.js';

/** A layer whose proven level moved between two snapshots, and what moved it. */
export interface LayerChange {
  model: string;
  layer: string;
  layerName: string;
  from: number;
  to: number;
  fromName: string;
  toName: string;
  /** "knowledge freshness 58%→76% crossed 60%", "attested by Dana". */
  because: string[];
  /** "Processes 2→3: knowledge freshness 58%→76% crossed 60%". */
  words: string;
}

export interface SnapshotDiff {
  from: string;
  to: string;
  /** The rules differ (another hash): levels may have moved with them, not with the evidence. */
  rulesChanged?: { from: string; to: string; words: string };
  layers: LayerChange[];
  /** Overrides made, changed or gone stale in between. */
  overrides: string[];
  /** Every change in words, one line each; "No level changed." when nothing did. */
  lines: string[];
}

/**
 * What changed from one snapshot to the next, in words: each layer whose proven level moved, with
 * the criteria that moved it (a value crossing its threshold, an attestation, an exemption), the
 * rules when they differ, and overrides.
 */
export function diffSnapshots(
  before: SnapshotBody,
  after: SnapshotBody,
  index: RuleIndex,
): SnapshotDiff {
  const was = new Map(before.layers.map((l) => [`${l.model}/${l.layer}`, l]));
  const layers: LayerChange[] = [];
  const overrides: string[] = [];
  for (const l of after.layers) {
    const p = was.get(`${l.model}/${l.layer}`);
    const name = shortLayerName(l.layerName);
    overrides.push(...overrideChange(name, p, l));
    if (!p || p.level === l.level) continue;
    const because = reasons(before, after, p, l, index);
    layers.push({
      model: l.model,
      layer: l.layer,
      layerName: name,
      from: p.level,
      to: l.level,
      fromName: p.levelName,
      toName: l.levelName,
      because,
      words: `${name} ${p.level}→${l.level}${because.length ? `: ${because.join(', ')}` : ''}`,
    });
  }
  const rulesChanged =
    before.rulesHash !== after.rulesHash
      ? {
          from: before.rulesVersion,
          to: after.rulesVersion,
          words:
            before.rulesVersion === after.rulesVersion
              ? `Rules changed (still version ${after.rulesVersion}, other files)`
              : `Rules changed: ${before.rulesVersion} → ${after.rulesVersion}`,
        }
      : undefined;
  const lines = [
    ...(rulesChanged ? [rulesChanged.words] : []),
    ...layers.map((c) => c.words),
    ...overrides,
  ];
  return {
    from: before.asOf,
    to: after.asOf,
    ...(rulesChanged ? { rulesChanged } : {}),
    layers,
    overrides,
    lines: lines.length ? lines : ['No level changed.'],
  };
}

/** The criteria between the two levels whose status moved, and why each moved. */
function reasons(
  before: SnapshotBody,
  after: SnapshotBody,
  p: LayerSuggestion,
  l: LayerSuggestion,
  index: RuleIndex,
): string[] {
  const lo = Math.min(p.level, l.level);
  const hi = Math.max(p.level, l.level);
  const prior = new Map(p.criteria.map((c) => [c.id, c]));
  const metricsBefore = new Map(before.metrics.map((m) => [m.id, m]));
  const metricsAfter = new Map(after.metrics.map((m) => [m.id, m]));
  const out: string[] = [];
  for (const c of l.criteria) {
    if (c.level <= lo || c.level > hi) continue;
    const b = prior.get(c.id);
    if (b && (b.status === 'met') === (c.status === 'met') && !!exemptionOf(b) === !!exemptionOf(c))
      continue;
    const rule = index.criterion(l.model, l.layer, c.id)?.rule;
    const why: string[] = [];
    const attestation = c.attestation;
    if (exemptionOf(c) && !(b && exemptionOf(b)))
      why.push(`${c.statement} exempt${exemptionOf(c)?.by ? ` by ${exemptionOf(c)!.by}` : ''}`);
    else if (c.attested && !(b?.attested && b.attestation?.by === attestation?.by))
      why.push(
        `${c.status === 'met' ? 'attested' : 'attested as not in place'}${attestation?.by ? ` by ${attestation.by}` : ''}`,
      );
    else if (b?.attested && !c.attested)
      why.push(
        `attestation${b.attestation?.by ? ` by ${b.attestation!.by}` : ''} no longer counts`,
      );
    else if (rule?.when) {
      const now = readConditions(rule, metricsAfter, after.absent);
      const then = readConditions(rule, metricsBefore, before.absent);
      now.forEach((r, i) => {
        const t = then[i];
        if (t && t.status !== r.status) why.push(crossing(t, r));
      });
    }
    if (!why.length && !b) why.push(`new criterion: ${c.statement}`);
    if (!why.length)
      why.push(`${c.status === 'met' ? 'now met' : 'no longer met'}: ${c.statement}`);
    out.push(...why.filter((w) => !out.includes(w)));
  }
  return out;
}

/** "knowledge freshness 58%→76% crossed 60%". */
function crossing(then: ConditionReading, now: ConditionReading): string {
  const c = now.condition;
  const subject = inSentence(conditionSubject(c));
  const t = c.value !== undefined ? conditionValueWords(c, c.value) : '';
  if (now.status === 'unknown') return `${subject} no longer known (${now.reason})`;
  if (then.status === 'unknown' || then.value === undefined || now.value === undefined) {
    const v = now.valueWords ? `: ${now.valueWords}` : '';
    return `${subject} now known${v}${now.status === 'met' ? ' (meets the rule)' : ` (short of ${t})`}`;
  }
  const move = `${subject} ${then.valueWords}→${now.valueWords}`;
  if (now.status === 'met') return `${move} crossed ${t}`;
  if (c.op === '>=' || c.op === '>') return `${move} fell below ${t}`;
  if (c.op === '<=' || c.op === '<') return `${move} rose above ${t}`;
  return `${move} no longer ${t}`;
}

function overrideChange(
  name: string,
  p: LayerSuggestion | undefined,
  l: LayerSuggestion,
): string[] {
  const a = overrideOf(l);
  const b = p ? overrideOf(p) : undefined;
  if (a && (!b || b.level !== a.level || b.by !== a.by))
    return [
      `${name} decided at ${a.level}${a.by ? ` by ${a.by}` : ''} (evidence suggests ${l.level})`,
    ];
  if (a && b && a.stale && !b.stale)
    return [`${name}: the override of ${a.level} is stale (the evidence changed since)`];
  if (b && !a) return [`${name}: the override of ${b.level} no longer applies`];
  return [];
}

/** "since 30 Jun 2026" for a diff heading. */
export const sinceWords = (d: Pick<SnapshotDiff, 'from'>): string => `since ${dateWords(d.from)}`;
