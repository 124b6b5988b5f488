import { subDays, subMonths } from 'date-fns';
import { inputError } from '../errors.js';
import type { MetricWindow } from './types.js';

/**
 * `--window`: "all", "90d" (days), "6m" (months) or an ISO duration of days (P90D); default 90d.
 * `--as-of`: a date (end of that day, UTC) or a date-time; default now.
 */
export function parseWindow(
  spec: string | undefined,
  asOf: string | Date | undefined,
  now = new Date(),
): MetricWindow {
  const to = parseAsOf(asOf, now);
  const s = readSpec(spec ?? '90d');
  if (typeof s === 'string') throw inputError(`--window ${s}`);
  if (s.n === null) return { spec: 'all', from: null, to };
  if (s.unit === 'd') return { spec: `P${s.n}D`, from: subDays(to, s.n), to };
  return { spec: `P${s.n}M`, from: subMonths(to, s.n), to };
}

/** Why `spec` is no `--window`, as a phrase that follows the flag, or undefined when it is one. */
export function windowSpecProblem(spec: string): string | undefined {
  const s = readSpec(spec);
  return typeof s === 'string' ? s : undefined;
}

/** Why `asOf` is no `--as-of`, as a phrase that follows the flag, or undefined when it is one. */
export function asOfProblem(asOf: string): string | undefined {
  return readAsOf(asOf) ? undefined : `must be a date like 2026-06-30 (got "${asOf}")`;
}

/** The window's length, `n: null` for all history, or what is wrong with it. */
function readSpec(spec: string): { n: number; unit: 'd' | 'm' } | { n: null } | string {
  const s = spec.trim().toLowerCase();
  if (s === 'all') return { n: null };
  const m = /^(?:p)?(\d{1,5})([dm])$/.exec(s);
  if (!m) return `must be like 90d, 6m or all (got "${spec}")`;
  const n = Number(m[1]);
  if (n < 1) return `must be at least 1d (got "${spec}")`;
  return { n, unit: m[2] === 'd' ? 'd' : 'm' };
}

function parseAsOf(asOf: string | Date | undefined, now: Date): Date {
  if (asOf === undefined) return now;
  if (asOf instanceof Date) return asOf;
  const d = readAsOf(asOf);
  if (!d) throw inputError(`--as-of ${asOfProblem(asOf)}`);
  return d;
}

/** A date (the end of that day, UTC) or a date-time; undefined when it is neither. */
function readAsOf(asOf: string): Date | undefined {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const d = new Date(dateOnly ? `${asOf}T23:59:59.999Z` : asOf);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
