import type {
  CriterionResult,
  CriterionStatus,
  LayerSuggestion,
  Metric,
} from '../domain/evidence.js';
import { criterionAnchor, metricAnchor } from './anchors.js';
import { readConditions, type RuleIndex } from './conditions.js';
import { disputeOf, exemptionOf, type Dispute, type Exemption } from './decision-fields.js';
import { metricCatalogue } from '../metrics/index.js';
import { dateWords, inSentence, intervalWords, metricWords } from './format.js';

/** How a status reads, never by colour alone: a symbol and a word. */
export const STATUS_WORDS: Record<CriterionStatus, { symbol: string; word: string }> = {
  met: { symbol: '✓', word: 'met' },
  unmet: { symbol: '✗', word: 'not met' },
  unknown: { symbol: '?', word: 'undecided' },
};

/** One condition of a criterion with the evidence behind it. */
export interface ConditionView {
  /** "Knowledge freshness at least 60%". */
  words: string;
  status: CriterionStatus;
  /** "58%". */
  valueWords?: string;
  /** The evidence row in full: "58% of 40 articles updated in 12 months, as of 30 Jun 2026". */
  evidence?: string;
  /** "95% interval 43%–72%". */
  interval?: string;
  /** Why it is unknown, in words. */
  reason?: string;
  borderline: boolean;
  /** The metric's evidence row (`#m-kb-freshness`). */
  metricId: string;
  metricAnchor: string;
}

export interface CriterionView {
  model: string;
  layer: string;
  id: string;
  anchor: string;
  statement: string;
  /** The rule's own defence of its threshold. */
  why?: string;
  level: number;
  levelName: string;
  status: CriterionStatus;
  symbol: string;
  statusWords: string;
  /** "all" of the conditions must hold, or "any" one of them. */
  mode: 'all' | 'any';
  conditions: ConditionView[];
  /** A condition's interval holds its threshold: more data could turn it either way. */
  borderline: boolean;
  /** Decided by a reviewer: who, when, why. */
  attested?: { words: string; evidenceUrl?: string };
  /** Unknown: what would decide it, in words. */
  wouldDecide?: string;
  /** A reviewer says otherwise than the data. */
  disputed?: Dispute & { words: string };
  exempt?: Omit<Exemption, 'model'> & { words: string };
  /** Decided by a reviewer only: helpdesk data cannot show it. */
  reviewOnly: boolean;
}

/** A criterion as a reader sees it: its statement, why, evidence and what decides it. */
export function criterionView(
  layer: LayerSuggestion,
  c: CriterionResult,
  index: RuleIndex,
  metrics: ReadonlyMap<string, Metric>,
  o: { asOf?: string; absent?: Readonly<Record<string, string>> } = {},
): CriterionView {
  const found = index.criterion(layer.model, layer.layer, c.id);
  const rule = found?.rule;
  const readings = rule ? readConditions(rule, metrics, o.absent) : [];
  const conditions = readings.map((r): ConditionView => {
    const m = r.metric;
    const interval = m ? intervalWords(m) : '';
    return {
      words: r.words,
      status: r.status,
      borderline: r.borderline,
      metricId: r.condition.metric,
      metricAnchor: metricAnchor(r.condition.metric),
      ...(r.valueWords ? { valueWords: r.valueWords } : {}),
      // A breakdown entry (a flag like "runs around the clock") is its own value, not the metric's.
      ...(m && !r.condition.breakdown ? { evidence: metricWords(m, o.asOf) } : {}),
      ...(m && r.condition.breakdown && r.valueWords ? { evidence: r.valueWords } : {}),
      ...(interval ? { interval } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
    };
  });
  const status = STATUS_WORDS[c.status];
  const dispute = disputeOf(c);
  const exempt = exemptionOf(c);
  const attestation = c.attestation;
  return {
    model: layer.model,
    layer: layer.layer,
    id: c.id,
    anchor: criterionAnchor(layer.model, layer.layer, c.id),
    statement: c.statement,
    ...(rule?.why ? { why: rule.why.trim() } : {}),
    level: c.level,
    levelName: index.levelName(layer.model, c.level) ?? `level ${c.level}`,
    status: c.status,
    symbol: status.symbol,
    statusWords: status.word,
    mode: rule?.when && 'any' in rule.when ? 'any' : 'all',
    conditions,
    borderline: conditions.some((x) => x.borderline),
    reviewOnly: rule ? !rule.when || !!rule.confirmOnly : !c.values,
    ...(c.attested
      ? {
          attested: {
            words: attestedWords(c, attestation),
            ...(attestation?.evidenceUrl ? { evidenceUrl: attestation.evidenceUrl } : {}),
          },
        }
      : {}),
    ...(c.status === 'unknown' && c.wouldDecide ? { wouldDecide: wordsForIds(c.wouldDecide) } : {}),
    ...(dispute ? { disputed: { ...dispute, words: disputeWords(dispute) } } : {}),
    ...(exempt ? { exempt: { ...exempt, words: exemptWords(exempt) } } : {}),
  };
}

function attestedWords(
  c: CriterionResult,
  a: { by?: string; at?: string; reason?: string; inPlace?: boolean; since?: string } | undefined,
): string {
  const inPlace = a?.inPlace ?? c.status === 'met';
  const by = a?.by ?? (c.gap ? /by (.+)$/.exec(c.gap)?.[1] : undefined);
  return [
    `Attested ${inPlace ? 'in place' : 'as not in place'}`,
    by ? ` by ${by}` : '',
    a?.at ? ` on ${dateWords(a.at)}` : '',
    a?.since ? ` (true since ${dateWords(a.since)})` : '',
    a?.reason ? `: ${a.reason}` : '',
  ].join('');
}

export function disputeWords(d: Dispute): string {
  const says =
    d.value === undefined
      ? 'disputes the data'
      : d.value
        ? 'says it is in place'
        : 'says it is not in place';
  return `Disputed: ${d.by ?? 'a reviewer'} ${says}${d.at ? ` (${dateWords(d.at)})` : ''}${d.reason ? `: ${d.reason}` : ''}`;
}

export function exemptWords(e: Omit<Exemption, 'model'>): string {
  return `Not applicable${e.by ? `, decided by ${e.by}` : ''}${e.at ? ` on ${dateWords(e.at)}` : ''}${e.expiresAt ? ` until ${dateWords(e.expiresAt)}` : ''}${e.reason ? `: ${e.reason}` : ''}`;
}

/** Text from the engine may name metric ids: each becomes its label. */
export function wordsForIds(text: string): string {
  return text.replace(/\b[a-z0-9_]+(?:\.[a-z0-9_]+)+\b/g, (id) => {
    const info = metricCatalogue.get(id);
    return info ? inSentence(info.label) : id;
  });
}
