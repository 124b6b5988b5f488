import type { Decision } from '../domain/decisions.js';
import { undeterminedTop, type CriterionResult, type Metric } from '../domain/evidence.js';
import { wilson } from '../metrics/helpers.js';
import { noteOf } from './active-decisions.js';
import type { Condition, Criterion } from './rules-schema.js';

/** Below this many observations a proportion or median decides nothing (unless a rule says otherwise). */
export const DEFAULT_MIN_SAMPLE = 30;

type Partial3 = Pick<CriterionResult, 'status' | 'gap' | 'reason' | 'wouldDecide'> & {
  values: Record<string, number>;
};

export interface EvaluationInput {
  metrics: ReadonlyMap<string, Metric>;
  /** Why absent metrics are absent ("the source never delivers the tickets' tags field"). */
  absent?: ReadonlyMap<string, string>;
  /** The reviewer's statement (attest or dispute) that counts now, if any (active-decisions.ts). */
  statement?: Decision;
  /** Every statement about it has lapsed: the unknown's reason says so. */
  lapsed?: boolean;
}

/**
 * met / unmet / unknown for one criterion. Too little data is unknown, never unmet. A reviewer's
 * statement decides what the data leaves unknown (in place: met; not in place: unmet). Where the
 * data decides and the statement says the opposite, the data's status stands and the criterion
 * is marked disputed, with who disagrees and why.
 */
export function evaluateCriterion(
  c: Criterion,
  level: number,
  input: EvaluationInput,
): CriterionResult {
  const base = {
    id: c.id,
    statement: c.statement,
    level,
    ...(c.confirmOnly ? { confirmOnly: true } : {}),
  };
  let data: Partial3 = c.when
    ? evaluateWhen(c.when, input.metrics, input.absent)
    : {
        status: 'unknown',
        values: {},
        reason: 'helpdesk data cannot show this',
        wouldDecide: 'an attestation by a reviewer',
      };
  if (c.confirmOnly && data.status === 'unmet') {
    data = {
      status: 'unknown',
      values: data.values,
      reason: `the data does not show it (${data.gap}), and its absence proves nothing`,
      wouldDecide: 'an attestation by a reviewer',
    };
  }
  const s = input.statement;
  const values = Object.keys(data.values).length ? { values: data.values } : {};
  const said = s?.inPlace !== undefined ? { inPlace: s.inPlace } : undefined;
  if (s && said && data.status === 'unknown') {
    return {
      ...base,
      status: said.inPlace ? 'met' : 'unmet',
      attested: true,
      attestation: {
        ...noteOf(s),
        ...said,
        ...(s.since ? { since: s.since } : {}),
        ...(s.evidenceUrl ? { evidenceUrl: s.evidenceUrl } : {}),
      },
      ...values,
      ...(said.inPlace ? {} : { gap: `attested as not in place by ${s.actor}` }),
    };
  }
  const disputed =
    s && said && said.inPlace !== (data.status === 'met')
      ? {
          disputed: {
            ...noteOf(s),
            ...said,
            ...(s.evidenceUrl ? { evidenceUrl: s.evidenceUrl } : {}),
          },
        }
      : {};
  const expired = input.lapsed ? ' (an earlier attestation has expired)' : '';
  return {
    ...base,
    status: data.status,
    ...values,
    ...(data.gap ? { gap: data.gap } : {}),
    ...(data.reason ? { reason: data.reason + expired } : {}),
    ...(data.status === 'unknown'
      ? { wouldDecide: c.wouldDecide ?? data.wouldDecide ?? 'more data or an attestation' }
      : {}),
    ...disputed,
  };
}

function evaluateWhen(
  when: NonNullable<Criterion['when']>,
  metrics: ReadonlyMap<string, Metric>,
  absent?: ReadonlyMap<string, string>,
): Partial3 {
  if ('all' in when || 'any' in when) {
    const parts = ('all' in when ? when.all : when.any).map((c) =>
      evaluateCondition(c, metrics, absent),
    );
    const values = Object.assign({}, ...parts.map((p) => p.values)) as Record<string, number>;
    const pick = (s: string) => parts.filter((p) => p.status === s);
    const join = (ps: Partial3[], k: 'gap' | 'reason' | 'wouldDecide') =>
      [...new Set(ps.map((p) => p[k]).filter(Boolean))].join('; ');
    if ('all' in when) {
      if (pick('unmet').length) return { status: 'unmet', values, gap: join(pick('unmet'), 'gap') };
      if (pick('unknown').length)
        return {
          status: 'unknown',
          values,
          reason: join(pick('unknown'), 'reason'),
          wouldDecide: join(pick('unknown'), 'wouldDecide'),
        };
      return { status: 'met', values };
    }
    if (pick('met').length) return { status: 'met', values };
    if (pick('unknown').length)
      return {
        status: 'unknown',
        values,
        reason: join(pick('unknown'), 'reason'),
        wouldDecide: join(pick('unknown'), 'wouldDecide'),
      };
    return { status: 'unmet', values, gap: join(pick('unmet'), 'gap') + ' (any one would do)' };
  }
  return evaluateCondition(when, metrics, absent);
}

function evaluateCondition(
  c: Condition,
  metrics: ReadonlyMap<string, Metric>,
  absent?: ReadonlyMap<string, string>,
): Partial3 {
  const m = metrics.get(c.metric);
  if (!m) {
    return {
      status: 'unknown',
      values: {},
      reason: `no data for ${c.metric}${absent?.get(c.metric) ? ` (${absent.get(c.metric)})` : ''}`,
      wouldDecide: `data for ${c.metric} (sync the records it is computed from) or an attestation`,
    };
  }
  const name = c.breakdown ? `${c.metric}[${c.breakdown}]` : c.metric;
  const minSample =
    c.minSample ??
    (m.unit === 'ratio' || m.unit === 'minutes' || m.unit === 'hours' ? DEFAULT_MIN_SAMPLE : 0);
  if (m.sampleSize < minSample) {
    return {
      status: 'unknown',
      values: { [name]: m.value },
      reason: `${c.metric} rests on ${m.sampleSize} observations; ${minSample} needed`,
      wouldDecide: `at least ${minSample} observations for ${c.metric}, or an attestation`,
    };
  }
  let v: number | undefined = m.value;
  if (c.breakdown) v = m.breakdown?.[c.breakdown];
  else if (c.bound === 'lower') v = m.interval?.[0] ?? m.value;
  else if (c.bound === 'upper') v = m.interval?.[1] ?? m.value;
  if (v === undefined) {
    return {
      status: 'unknown',
      values: {},
      reason: `no ${c.breakdown} entry in ${c.metric}`,
      wouldDecide: `data for ${name}`,
    };
  }
  const values = { [name]: v };
  if (c.op === 'present') return { status: 'met', values };
  const t = c.value!;
  const ok = (x: number) =>
    c.op === '>='
      ? x >= t
      : c.op === '<='
        ? x <= t
        : c.op === '>'
          ? x > t
          : c.op === '<'
            ? x < t
            : x === t;
  const shown = c.bound && c.bound !== 'value' ? `${name} (${c.bound} bound)` : name;
  // A metric with undetermined members lies in [v, top] (evidence.ts): decided only where the
  // whole range agrees. A bound of a ratio's interval ranges from its hits' to that of its hits
  // with every undetermined member counted.
  const u = !c.breakdown ? (m.undetermined ?? 0) : 0;
  let top = v;
  if (u && (c.bound === 'lower' || c.bound === 'upper') && m.interval && m.sampleSize) {
    // The hits come back from the rounded value: never let that put the top under the bound.
    const hits = Math.min(m.sampleSize, Math.round(m.value * m.sampleSize) + u);
    top = Math.max(v, wilson(hits, m.sampleSize)[c.bound === 'lower' ? 0 : 1]);
  } else if (u) top = undeterminedTop(m);
  const low = ok(v);
  const high = ok(top);
  if (low && high) return { status: 'met', values };
  if (!low && !high)
    return { status: 'unmet', values, gap: `${shown} ${apart(v, t)}, needs ${c.op} ${fmt(t)}` };
  const more = m.unit === 'ratio' ? `${u} more of its ${m.sampleSize}` : `${u} more`;
  return {
    status: 'unknown',
    values,
    reason: `${c.metric} is ${fmt(v)}, but ${more} are undetermined and may count (up to ${fmt(top)}; needs ${c.op} ${fmt(t)})`,
    wouldDecide: `data that settles the ${u} undetermined behind ${c.metric}, or an attestation`,
  };
}

/** The value with enough decimals not to read like the threshold it misses (0.016 vs 0.02). */
function apart(v: number, t: number): string {
  if (Number.isInteger(v)) return String(v);
  let d = v < 1 ? 2 : 1;
  while (d < 6 && v.toFixed(d) === t.toFixed(d)) d++;
  return v.toFixed(d);
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(x < 1 ? 2 : 1));
