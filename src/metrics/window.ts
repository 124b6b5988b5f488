import { subDays, subMonths } from 'date-fns';
import { dateRangeProblem } from '../domain/records.js';
import { inputError } from '../errors.js';
import type { MetricWindow } from './types.js';

/**
 * `--window`: "all", "90d" (days), "6m" (months) or an ISO duration of days (P90D); default 90d.
 * `--as-of`: a date (end of that day, UTC) or a date-time (UTC unless it names a zone), from 1970
 * to 2100; default now.
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
  const d = readAsOf(asOf);
  return typeof d === 'string' ? `${d} (got ${JSON.stringify(asOf.slice(0, 60))})` : undefined;
}

/** The window's length, `n: null` for all history, or what is wrong with it. */
function readSpec(spec: string): { n: number; unit: 'd' | 'm' } | { n: null } | string {
  const s = spec.trim().toLowerCase();
  if (s === 'all') return { n: null };
  const m = /^(?:p)?(\d{1,6})([dm])$/.exec(s);
  if (!m) return `must be like 90d, 6m or all (got "${spec}")`;
  const n = Number(m[1]);
  if (n < 1) return `must be at least 1d (got "${spec}")`;
  // A century is more history than any helpdesk holds; longer reaches before year 0.
  if (n > (m[2] === 'd' ? MAX_DAYS : MAX_MONTHS))
    return `must be at most ${MAX_DAYS}d or ${MAX_MONTHS}m, or all (got "${spec}")`;
  return { n, unit: m[2] === 'd' ? 'd' : 'm' };
}

function parseAsOf(asOf: string | Date | undefined, now: Date): Date {
  if (asOf === undefined) return now;
  if (asOf instanceof Date) return asOf;
  const d = readAsOf(asOf);
  if (typeof d === 'string') throw inputError(`--as-of ${asOfProblem(asOf)}`);
  return d;
}

const MAX_DAYS = 36_500;
const MAX_MONTHS = 1_200;

/** YYYY-MM-DD, then optionally THH:MM[:SS[.fff]] and a zone (Z or ±HH:MM). */
const AS_OF =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A date (the end of that day, UTC) or an ISO date-time (UTC when it names no zone), on a real
 * calendar day from 1970 to 2100; otherwise what is wrong with it, as a phrase. Strict on
 * purpose: `new Date()` reads "1" as 2001-01-01 and rolls 2026-02-30 over to March 2.
 */
export function readAsOf(asOf: string): Date | string {
  const m = AS_OF.exec(asOf.trim());
  if (!m) return 'must be a date like 2026-06-30';
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const day = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  if (day.getUTCDate() !== Number(d) || day.getUTCMonth() !== Number(mo) - 1)
    return 'must be a real calendar day';
  const at =
    h === undefined
      ? new Date(`${y}-${mo}-${d}T23:59:59.999Z`)
      : new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec ?? '00'}${frac ?? ''}${normaliseZone(zone)}`);
  if (Number.isNaN(at.getTime())) return 'must be a date-time like 2026-06-30T18:00:00Z';
  return dateRangeProblem(at.getTime()) ?? at;
}

/** `Z`, `+0200` or `+02:00` as an ISO zone; none is UTC. */
const normaliseZone = (z: string | undefined) =>
  z === undefined ? 'Z' : z.toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
