import { dateWords, valueWithUndetermined, valueWords } from '../format.js';
import type { MetricSeries, SeriesPoint } from '../history.js';
import { esc } from './escape.js';

const W = 320;
const H = 120;
const PAD = { left: 44, right: 10, top: 10, bottom: 22 };

/**
 * A metric over the snapshots as a small inline SVG line chart (no script, no external file): the
 * values joined where consecutive (a snapshot without the metric leaves a gap), the 95% interval
 * as whiskers, each threshold as a dashed line, and a dotted vertical marker where the rules
 * changed or a reviewer decided. Its text alternative says the same in words.
 */
export function lineChart(s: MetricSeries): string {
  const known = s.points.filter((p) => p.value !== undefined);
  const times = s.points.map((p) => Date.parse(p.asOf));
  const t0 = Math.min(...times, ...s.markers.map((m) => Date.parse(m.asOf)));
  const t1 = Math.max(...times, ...s.markers.map((m) => Date.parse(m.asOf)));
  const values = [
    ...known.flatMap((p) => [p.value!, ...(p.interval ?? [])]),
    ...s.thresholds.map((t) => t.value),
  ];
  const ratio = s.unit === 'ratio';
  const lo = ratio ? 0 : Math.min(0, ...values);
  const top = Math.max(1, ...values) * 1.1;
  const hi = ratio ? 1 : s.unit === 'count' ? Math.ceil(top) : top;
  const x = (t: number) =>
    PAD.left +
    (t1 === t0
      ? (W - PAD.left - PAD.right) / 2
      : ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo || 1)) * (H - PAD.top - PAD.bottom);
  const f = (n: number) => n.toFixed(1);

  const segments: string[] = [];
  let run: string[] = [];
  for (const p of s.points) {
    if (p.value === undefined) {
      if (run.length) segments.push(run.join(' '));
      run = [];
      continue;
    }
    run.push(`${f(x(Date.parse(p.asOf)))},${f(y(p.value))}`);
  }
  if (run.length) segments.push(run.join(' '));

  const parts: string[] = [];
  parts.push(
    `<line class="axis" x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}"/>`,
    `<text class="tick" x="${PAD.left - 4}" y="${f(y(hi))}" text-anchor="end" dominant-baseline="hanging">${esc(valueWords(hi, s.unit))}</text>`,
    `<text class="tick" x="${PAD.left - 4}" y="${f(y(lo))}" text-anchor="end">${esc(valueWords(lo, s.unit))}</text>`,
    `<text class="tick" x="${PAD.left}" y="${H - 4}">${esc(dateWords(new Date(t0)))}</text>`,
    `<text class="tick" x="${W - PAD.right}" y="${H - 4}" text-anchor="end">${esc(dateWords(new Date(t1)))}</text>`,
  );
  for (const t of s.thresholds)
    parts.push(
      `<line class="threshold" x1="${PAD.left}" y1="${f(y(t.value))}" x2="${W - PAD.right}" y2="${f(y(t.value))}" stroke-dasharray="5 3"><title>threshold ${esc(t.words)}</title></line>`,
      `<text class="tick threshold-label" x="${PAD.left - 4}" y="${f(y(t.value))}" text-anchor="end" dominant-baseline="middle">${esc(valueWords(t.value, s.unit))}</text>`,
    );
  for (const m of s.markers)
    parts.push(
      `<line class="marker ${m.kind}" x1="${f(x(Date.parse(m.asOf)))}" y1="${PAD.top}" x2="${f(x(Date.parse(m.asOf)))}" y2="${H - PAD.bottom}" stroke-dasharray="1 3"><title>${esc(`${dateWords(m.asOf)}: ${m.text}`)}</title></line>`,
    );
  for (const p of known)
    if (p.interval)
      parts.push(
        `<line class="whisker" x1="${f(x(Date.parse(p.asOf)))}" y1="${f(y(p.interval[0]))}" x2="${f(x(Date.parse(p.asOf)))}" y2="${f(y(p.interval[1]))}"/>`,
      );
  for (const seg of segments) parts.push(`<polyline class="line" points="${seg}"/>`);
  for (const p of known)
    parts.push(
      `<circle class="point" cx="${f(x(Date.parse(p.asOf)))}" cy="${f(y(p.value!))}" r="2.5"><title>${esc(`${dateWords(p.asOf)}: ${valueWords(p.value!, s.unit)}${p.sampleSize !== undefined ? ` (sample ${p.sampleSize})` : ''}`)}</title></circle>`,
    );
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(chartWords(s))}">${parts.join('')}</svg>`;
}

/** A point's value in words, with the members still undetermined: "1 (+2 undetermined)". */
export function pointWords(p: SeriesPoint, unit: MetricSeries['unit']): string {
  return p.value === undefined
    ? 'no data'
    : valueWithUndetermined(p.value, unit, p.undetermined, p.sampleSize);
}

/** The chart in words: "Knowledge freshness over 5 snapshots: 58% to 76%; threshold 60% (Processes L3)". */
export function chartWords(s: MetricSeries): string {
  const known = s.points.filter((p) => p.value !== undefined);
  const first = known[0];
  const last = known[known.length - 1];
  const span =
    first && last
      ? first === last
        ? `${pointWords(last, s.unit)} on ${dateWords(last.asOf)}`
        : `${pointWords(first, s.unit)} on ${dateWords(first.asOf)} to ${pointWords(last, s.unit)} on ${dateWords(last.asOf)}`
      : 'no values';
  const gaps = s.points.length - known.length;
  return [
    `${s.label} ${s.points.length === 1 ? 'on the only snapshot' : `over ${s.points.length} snapshots`}: ${span}`,
    gaps ? `${gaps} without data` : '',
    s.thresholds.length ? `threshold ${s.thresholds.map((t) => t.words).join('; ')}` : '',
    s.markers.length
      ? `marked: ${s.markers.map((m) => `${dateWords(m.asOf)} ${m.text}`).join('; ')}`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
}
