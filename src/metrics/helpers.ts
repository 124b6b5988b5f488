import type { Metric } from '../domain/evidence.js';
import { ALL_FIELDS, type TicketFieldFamily } from '../domain/fields.js';
import type { RecordKind } from '../domain/records.js';
import { apiChannels, botChannels, botTags, proactiveChannels, proactiveTags } from './patterns.js';
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
 * Metrics with `undetermined` members (src/domain/evidence.ts): things counted, or members of a
 * ratio's sample, that the data cannot settle. Unchanged when there are none.
 */
export function withUndetermined(metrics: Metric[], undetermined: number): Metric[] {
  return undetermined > 0 ? metrics.map((m) => ({ ...m, undetermined })) : metrics;
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

/** A ticket field family (src/domain/fields.ts) was delivered by the account's sources. */
export function delivers(ctx: MetricContext, family: TicketFieldFamily): boolean {
  return deliversOf(ctx, 'tickets', family);
}

/** A field family of any kind was delivered (a kind with no families declared delivers all). */
export function deliversOf(ctx: MetricContext, kind: RecordKind, family: string): boolean {
  if (!ctx.covered.has(kind)) return false;
  const f = ctx.fields?.get(kind);
  return !f || f.has(ALL_FIELDS) || f.has(family);
}

/** The sources of a metric over a kind, saying when the kind was derived from other records. */
export function sourcesOf(ctx: MetricContext, kind: RecordKind, table: string): string {
  return ctx.derived?.has(kind) ? `${table} (derived from incidents)` : table;
}

const list = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]::text[]`;

/**
 * SQL: the ticket (alias `t`) was opened by monitoring, alerts or outbound work rather than by a
 * customer. Only the families delivered are looked at; with neither channel nor tags it is false.
 * A ticket opened through the API is not proactive by its channel alone (apiOpenedSql).
 */
export function proactiveSql(ctx: MetricContext, t = 't'): string {
  const parts = [
    ...(delivers(ctx, 'channel') ? [`${t}.channel = ANY(${list(proactiveChannels)})`] : []),
    ...(delivers(ctx, 'tags') ? [`${t}.tags && ${list(proactiveTags)}`] : []),
  ];
  return parts.length ? `COALESCE(${parts.join(' OR ')}, false)` : 'false';
}

/**
 * SQL: the ticket came through the API (patterns.ts apiChannels) and nothing marks it proactive:
 * whether another system raised it or a customer sent it is undetermined.
 */
export function apiOpenedSql(ctx: MetricContext, t = 't'): string {
  if (!delivers(ctx, 'channel')) return 'false';
  return `COALESCE(${t}.channel = ANY(${list(apiChannels)}) AND NOT ${proactiveSql(ctx, t)}, false)`;
}

/** SQL: the ticket was handled or resolved by a bot or an AI agent (same rule as proactiveSql). */
export function botSql(ctx: MetricContext, t = 't'): string {
  const parts = [
    ...(delivers(ctx, 'channel') ? [`${t}.channel = ANY(${list(botChannels)})`] : []),
    ...(delivers(ctx, 'tags') ? [`${t}.tags && ${list(botTags)}`] : []),
  ];
  return parts.length ? `COALESCE(${parts.join(' OR ')}, false)` : 'false';
}

/**
 * SQL: the ticket is a customer request worked by people — not opened proactively, not handled by
 * a bot, not opened through the API by a system that may not be a customer's. Ratios about how
 * customer requests are worked (SLA coverage, knowledge links, channels, hours, partner share)
 * use only these, so records that are evidence of a higher level (alerts, bot-resolved tickets)
 * never dilute them, and tickets of undetermined origin are left apart.
 */
export const customerRequestSql = (ctx: MetricContext) =>
  `(NOT ${proactiveSql(ctx)} AND NOT ${apiOpenedSql(ctx)} AND NOT ${botSql(ctx)})`;
