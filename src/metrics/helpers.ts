import type { Metric } from '../domain/evidence.js';
import type { MetricContext, MetricUnit } from './types.js';

const Z95 = 1.959963984540054;

/** Wilson score interval (95%) for successes out of n: honest near 0, 1 and for small n. */
export function wilson(successes: number, n: number): [number, number] {
  if (n <= 0) return [0, 1];
  const p = successes / n;
  const z2 = Z95 * Z95;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [round(Math.max(0, centre - half)), round(Math.min(1, centre + half))];
}

export const round = (x: number, digits = 4) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** A proportion metric, absent when nothing was measured. */
export function proportion(
  ctx: MetricContext,
  id: string,
  successes: number,
  n: number,
  sources: string[],
  breakdown?: Record<string, number>,
): Metric[] {
  if (!n) return [];
  return [
    {
      id,
      value: round(successes / n),
      unit: 'ratio',
      sampleSize: n,
      window: ctx.window.spec,
      interval: wilson(successes, n),
      ...(breakdown ? { breakdown } : {}),
      sources,
    },
  ];
}

export function value(
  ctx: MetricContext,
  id: string,
  v: number | null | undefined,
  unit: MetricUnit,
  sampleSize: number,
  sources: string[],
  breakdown?: Record<string, number>,
): Metric[] {
  if (v === null || v === undefined || !Number.isFinite(v)) return [];
  return [
    {
      id,
      value: round(v),
      unit,
      sampleSize,
      window: ctx.window.spec,
      ...(breakdown ? { breakdown } : {}),
      sources,
    },
  ];
}

/**
 * SQL for "this row's timestamp falls in the window", with the bounds as parameters $2/$3.
 * $1 is always the account id.
 */
export function inWindow(column: string): string {
  return `(${column} <= $2::timestamptz AND ($3::timestamptz IS NULL OR ${column} > $3::timestamptz))`;
}

export const windowParams = (ctx: MetricContext) => [
  ctx.accountId,
  ctx.window.to.toISOString(),
  ctx.window.from ? ctx.window.from.toISOString() : null,
];

export const num = (x: unknown): number => (x === null || x === undefined ? 0 : Number(x));
export const numOrNull = (x: unknown): number | null =>
  x === null || x === undefined ? null : Number(x);
