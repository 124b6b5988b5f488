import { undeterminedTop, type Metric } from '../domain/evidence.js';
import type { Condition } from '../engine/rules-schema.js';
import { metricCatalogue } from '../metrics/index.js';

/**
 * Values as people read them. Metric ids never reach a reader: each metric has a short label next
 * to its definition (src/metrics/*), and every number comes in its unit (94.8%, 9.6 h, 1,203) with
 * what its sample counts and the window it covers.
 */

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** "P90D" → "last 90 days", "P6M" → "last 6 months", "all" → "all history". */
export function windowWords(spec: string): string {
  if (spec === 'all') return 'all history';
  const m = /^P(\d+)([DMWY])$/i.exec(spec);
  if (!m) return spec;
  const n = Number(m[1]);
  const unit = { D: 'day', W: 'week', M: 'month', Y: 'year' }[m[2]!.toUpperCase()]!;
  return n === 1 ? `last ${unit}` : `last ${n.toLocaleString('en-US')} ${unit}s`;
}

/** "2026-06-30T23:59:59Z" → "30 Jun 2026" (UTC). */
export function dateWords(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** The metric's label ("SLA attainment"); an id the catalogue does not know reads as words. */
export function metricLabel(id: string): string {
  const known = metricCatalogue.get(id)?.label;
  if (known) return known;
  const words = id.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A label inside a sentence: "knowledge freshness", but "SLA attainment" keeps its capitals. */
export function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

/** 1203 → "1,203"; counts are whole numbers to a reader. */
export const count = (x: number): string => Math.round(x).toLocaleString('en-US');

/**
 * 0.948 → "94.8%". With `vs` (a threshold), enough decimals that a value just off it never reads
 * as the threshold itself (59.96% next to 60% is "59.96%", not "60%"); a small non-zero share
 * never reads as 0%.
 */
export function percent(x: number, vs?: number): string {
  let d = 1;
  const show = (v: number, digits: number) => trim((v * 100).toFixed(digits));
  while (
    d < 4 &&
    ((x !== 0 && Number(show(x, d)) === 0) ||
      (vs !== undefined && x !== vs && show(x, d) === show(vs, d)))
  )
    d++;
  return `${show(x, d)}%`;
}

/** 45 → "45 min", 576 → "9.6 h", 4320 → "3 days". */
export function duration(minutes: number, vs?: number): string {
  const unit = minutes < 60 ? 'min' : minutes < 48 * 60 ? 'h' : 'days';
  const scaled = (m: number) => (unit === 'min' ? m : unit === 'h' ? m / 60 : m / 1440);
  let d = unit === 'min' ? 0 : 1;
  const show = (m: number, digits: number) => trim(scaled(m).toFixed(digits));
  while (d < 3 && vs !== undefined && minutes !== vs && show(minutes, d) === show(vs, d)) d++;
  if (unit === 'min' && minutes > 0 && show(minutes, d) === '0') return 'under 1 min';
  return `${show(minutes, d)} ${unit === 'days' && show(minutes, d) === '1' ? 'day' : unit}`;
}

/** A value in its unit, as a reader sees it. `vs` is a threshold it is compared with. */
export function valueWords(v: number, unit: Metric['unit'], vs?: number): string {
  switch (unit) {
    case 'ratio':
      return percent(v, vs);
    case 'minutes':
      return duration(v, vs);
    case 'hours':
      return duration(v * 60, vs === undefined ? undefined : vs * 60);
    case 'boolean':
      return v ? 'yes' : 'no';
    default:
      return Number.isInteger(v) || vs === undefined || Math.round(v) !== Math.round(vs)
        ? count(v)
        : trim(v.toFixed(1));
  }
}

/** The unit of a metric id (from the catalogue; a stored metric's own unit wins where known). */
export const unitOf = (id: string, m?: Pick<Metric, 'unit'>): Metric['unit'] =>
  m?.unit ?? metricCatalogue.get(id)?.unit ?? 'count';

/**
 * When the number holds: "last 90 days" for what happened in the window, "as of 30 Jun 2026" for
 * what was configured at the as-of instant.
 */
export function whenWords(m: Pick<Metric, 'id' | 'window'>, asOf?: string): string {
  if (metricCatalogue.get(m.id)?.at === 'asOf') return asOf ? `as of ${dateWords(asOf)}` : 'now';
  return windowWords(m.window);
}

/** What the sample counts: "of 1,203 SLA targets"; nothing for a count that is its own sample. */
export function sampleWords(m: Pick<Metric, 'id' | 'unit' | 'value' | 'sampleSize'>): string {
  if (m.unit === 'count' && Math.round(m.value) === m.sampleSize) return '';
  const phrase = metricCatalogue.get(m.id)?.sample ?? 'from {n} records';
  return phrase.replace('{n}', count(m.sampleSize));
}

/**
 * A value with its members still undetermined: a count "1 (+2 undetermined)", a ratio "2% (up
 * to 14%: 96 of 800 undetermined)".
 */
export function valueWithUndetermined(
  value: number,
  unit: Metric['unit'],
  undetermined?: number,
  sampleSize?: number,
): string {
  const words = valueWords(value, unit);
  if (!undetermined) return words;
  if (unit !== 'ratio') return `${words} (+${count(undetermined)} undetermined)`;
  if (sampleSize === undefined) return `${words} (${count(undetermined)} undetermined)`;
  const top = undeterminedTop({ value, unit, sampleSize, undetermined });
  return `${words} (up to ${valueWords(top, unit)}: ${count(undetermined)} of ${count(sampleSize)} undetermined)`;
}

/** "94.8% of 1,203 SLA targets, last 90 days". */
export function metricWords(m: Metric, asOf?: string): string {
  const sample = sampleWords(m);
  return `${valueWithUndetermined(m.value, m.unit, m.undetermined, m.sampleSize)}${sample ? ` ${sample}` : ''}, ${whenWords(m, asOf)}`;
}

/** "SLA attainment: 94.8% of 1,203 SLA targets, last 90 days". */
export const metricLine = (m: Metric, asOf?: string): string =>
  `${metricLabel(m.id)}: ${metricWords(m, asOf)}`;

/** "95% interval 93.5%–95.9%", or "" where the metric has none. */
export function intervalWords(m: Pick<Metric, 'interval' | 'unit'>): string {
  if (!m.interval) return '';
  const [lo, hi] = m.interval;
  return `95% interval ${valueWords(lo, m.unit)}–${valueWords(hi, m.unit)}`;
}

const OP_WORDS: Record<Condition['op'], string> = {
  '>=': 'at least',
  '>': 'more than',
  '<=': 'at most',
  '<': 'under',
  '==': 'exactly',
  present: 'known',
};

/** The label a condition reads: its metric, a breakdown entry of it, or one bound of it. */
export function conditionSubject(c: Condition): string {
  const label = metricLabel(c.metric);
  if (c.breakdown) {
    const flag = metricCatalogue.get(c.metric)?.breakdownLabels?.[c.breakdown];
    return flag ?? `${label} (${c.breakdown.replace(/[._]+/g, ' ')})`;
  }
  if (c.bound === 'lower') return `${label} (low end of its 95% interval)`;
  if (c.bound === 'upper') return `${label} (high end of its 95% interval)`;
  return label;
}

/** A flag entry compared with 1 or 0 reads as a statement, not a number. */
const isFlag = (c: Condition) =>
  !!c.breakdown &&
  !!metricCatalogue.get(c.metric)?.breakdownLabels?.[c.breakdown] &&
  c.op === '==' &&
  (c.value === 1 || c.value === 0);

/** "Knowledge freshness at least 60%"; a flag: "the top-priority first-reply target runs …". */
export function conditionWords(c: Condition): string {
  const subject = conditionSubject(c);
  if (c.op === 'present') return `${subject} known`;
  if (isFlag(c)) return c.value === 1 ? subject : `not: ${subject}`;
  const unit = c.breakdown ? 'count' : unitOf(c.metric);
  return `${subject} ${OP_WORDS[c.op]} ${valueWords(c.value!, breakdownUnit(c, unit))}`;
}

/** Breakdown entries of a duration metric are durations (the target per priority); others counts. */
const breakdownUnit = (c: Condition, fallback: Metric['unit']): Metric['unit'] =>
  c.breakdown && /^(urgent|high|normal|low)$/.test(c.breakdown)
    ? unitOf(c.metric)
    : c.breakdown
      ? fallback
      : unitOf(c.metric);

/** The value a condition compares, in words ("58%", "no" for a flag at 0). */
export function conditionValueWords(c: Condition, v: number): string {
  if (isFlag(c)) return v === 1 ? 'yes' : 'no';
  const unit = c.breakdown ? breakdownUnit(c, 'count') : unitOf(c.metric);
  return valueWords(v, unit, c.value);
}

/**
 * What to do about an unmet condition, as an instruction: "Raise SLA attainment to at least 90%
 * (now 81%)", "Bring the median first reply down to at most 1 h (now 9.6 h)".
 */
export function conditionAction(c: Condition, now?: number): string {
  const subject = conditionSubject(c);
  const was = now === undefined ? '' : ` (now ${conditionValueWords(c, now)})`;
  if (c.op === 'present') return `Provide data for ${inSentence(subject)}`;
  if (isFlag(c))
    return c.value === 1
      ? `Make sure ${subject}${now === undefined ? '' : ' (now it does not)'}`
      : `Make sure it is not so that ${subject}`;
  const t = conditionValueWords(c, c.value!);
  const s = inSentence(subject);
  if (c.op === '>=' || c.op === '>')
    return `Raise ${s} to ${c.op === '>=' ? 'at least' : 'more than'} ${t}${was}`;
  if (c.op === '<=' || c.op === '<')
    return `Bring ${s} down to ${c.op === '<=' ? 'at most' : 'under'} ${t}${was}`;
  return `Make ${s} exactly ${t}${was}`;
}

const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
