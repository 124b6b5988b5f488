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
  const s = (spec ?? '90d').trim().toLowerCase();
  if (s === 'all') return { spec: 'all', from: null, to };
  const m = /^(?:p)?(\d{1,5})([dm])$/.exec(s);
  if (!m) throw inputError(`--window must be like 90d, 6m or all (got "${spec}")`);
  const n = Number(m[1]);
  if (n < 1) throw inputError('--window must be at least 1d');
  if (m[2] === 'd') return { spec: `P${n}D`, from: subDays(to, n), to };
  return { spec: `P${n}M`, from: subMonths(to, n), to };
}

function parseAsOf(asOf: string | Date | undefined, now: Date): Date {
  if (asOf === undefined) return now;
  if (asOf instanceof Date) return asOf;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const d = new Date(dateOnly ? `${asOf}T23:59:59.999Z` : asOf);
  if (Number.isNaN(d.getTime()))
    throw inputError(`--as-of must be a date like 2026-06-30 (got "${asOf}")`);
  return d;
}
