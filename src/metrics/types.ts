import type { Metric } from '../domain/evidence.js';
import type { KindFamilies, TicketFieldFamily } from '../domain/fields.js';
import type { RecordKind } from '../domain/records.js';
import type { QueryDb } from '../store/db.js';
import type { ClassifiedGroup } from './group-roles.js';

export interface MetricWindow {
  /** ISO-8601 duration (P90D) or "all". */
  spec: string;
  /** Exclusive lower bound; null for "all". */
  from: Date | null;
  /** Inclusive upper bound: the as-of instant. */
  to: Date;
}

export interface MetricContext {
  /** Read queries only: a metric runs its SQL, never writes (no exec, transaction or close). */
  db: QueryDb;
  accountId: number;
  window: MetricWindow;
  /** Record kinds delivered in full: counts over other kinds are unknown, not zero. */
  covered: Set<RecordKind>;
  /**
   * Field families delivered per covered kind (src/domain/fields.ts; `*` = all). Without it, every
   * family of a covered kind counts as delivered.
   */
  fields?: ReadonlyMap<RecordKind, ReadonlySet<string>>;
  /** Kinds built from other records (e.g. groups seen on incidents): their metrics say so. */
  derived?: ReadonlySet<RecordKind>;
  /** The account's groups as read (names, flags, mapping); filled by computeEvidence. */
  groups?: ClassifiedGroup[];
  /**
   * Says why a definition leaves out a metric its data would otherwise give (what a reviewer or
   * more data must settle), instead of the generic reason computeMetrics gives an absent metric.
   */
  withhold?: (metricId: string, reason: string) => void;
}

export type MetricUnit = Metric['unit'];

/**
 * What a metric rests on: every one of `kinds` delivered and, when `families` is given, at least one
 * of those ticket field families. A list means any one alternative will do.
 */
export interface Needs {
  kinds?: RecordKind[];
  families?: TicketFieldFamily[];
  /** Field families of other kinds (src/domain/fields.ts), all of them needed. */
  kindFamilies?: KindFamilies;
}

/** What a metric is, for the registry, the rules check and the docs. */
export interface MetricInfo {
  id: string;
  unit: MetricUnit;
  description: string;
  /** What a reader sees instead of the id: a short name, capitalised ("SLA attainment"). */
  label: string;
  /**
   * What the sample size counts, as a phrase with {n} for the number: "of {n} SLA targets" for a
   * share, "over {n} resolved tickets" for a median, "from {n} customer requests" otherwise.
   */
  sample: string;
  /** Counted at the as-of instant (configuration, articles, groups), not over the window. */
  at?: 'asOf';
  /** Breakdown entries a rule compares, in words (a flag like calendar = 1 as a statement). */
  breakdownLabels?: Record<string, string>;
  /** Overrides the definition's `needs` for this metric. */
  needs?: Needs | Needs[];
}

/** A unit of computation: one SQL pass that yields one or more metrics (absent ones omitted). */
export interface MetricDefinition {
  name: string;
  /** What its metrics rest on, to say why one is absent (the source never delivered it). */
  needs: Needs | Needs[];
  metrics: MetricInfo[];
  compute(ctx: MetricContext): Promise<Metric[]>;
}
