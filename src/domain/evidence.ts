import { z } from 'zod';

/** One evidence number. Absent when there is no data: never a made-up zero. */
export const Metric = z.object({
  id: z.string(),
  value: z.number(),
  unit: z.enum(['count', 'ratio', 'minutes', 'hours', 'boolean']),
  sampleSize: z.number().int().min(0),
  /** ISO-8601 duration of the window (P90D) or "all". */
  window: z.string(),
  /** Wilson 95% interval, for proportions. */
  interval: z.tuple([z.number(), z.number()]).optional(),
  breakdown: z.record(z.string(), z.number()).optional(),
  /**
   * Counts only: how many of the things counted could not be read (e.g. groups whose anonymised
   * names say nothing about their role). The true count lies between value and value + undetermined,
   * so a threshold in that range is unknown, not unmet.
   */
  undetermined: z.number().int().min(1).optional(),
  sources: z.array(z.string()),
});
export type Metric = z.infer<typeof Metric>;

export type CriterionStatus = 'met' | 'unmet' | 'unknown';

export interface CriterionResult {
  id: string;
  statement: string;
  level: number;
  status: CriterionStatus;
  /** The status came from a reviewer's attestation, not from data. */
  attested?: boolean;
  /** Metric values the decision used. */
  values?: Record<string, number>;
  /** Why it is unmet: "sla.attainment 0.81, needs >= 0.9". */
  gap?: string;
  /** Why it is unknown. */
  reason?: string;
  /** What data or attestation would decide it. */
  wouldDecide?: string;
  /** Data can show this criterion met but never absent: without that, an attestation decides. */
  confirmOnly?: boolean;
}

export interface LayerSuggestion {
  model: string;
  modelName: string;
  layer: string;
  layerName: string;
  /** The level the evidence proves: 0 when not even the first level is established. */
  level: number;
  levelName: string;
  /**
   * The highest level reachable if every unknown criterion turned out met (no criterion of it or
   * below is unmet). Equal to `level` when nothing is left to decide.
   */
  possibleLevel: number;
  possibleLevelName: string;
  /** Unknown criteria between the proven and the possible level: what awaits data or review. */
  awaiting: { data: number; review: number };
  /** The level above, when there is one. */
  nextLevelName?: string;
  criteria: CriterionResult[];
  /** Criteria of the next level that are unmet (with their gap). */
  blockers: CriterionResult[];
  /** Criteria of the next level that data could not decide. */
  unknowns: CriterionResult[];
  /** Partial snapshot: evidence went missing, so the previous snapshot's level is kept. */
  heldFromPrevious?: boolean;
}

export interface Attestation {
  model: string;
  criterionId: string;
  value: boolean;
  by: string;
  reason?: string;
  at: string;
  expiresAt?: string;
}

/** Advice the rules raise on a layer's level and the evidence (e.g. a team too big for Bootstrap). */
export interface Advice {
  id: string;
  model: string;
  layer: string;
  severity: 'urgent' | 'advice';
  text: string;
  values: Record<string, number>;
}

/** How one group was read: the roles found and where they came from. */
export interface GroupReading {
  id: string;
  name: string;
  roles: string[];
  /** name: its name says so; mapping: the account's group-roles file; flag: the source flagged it;
   * opaque: an anonymised or coded name that says nothing; none: a readable name with no role. */
  by: 'name' | 'mapping' | 'flag' | 'opaque' | 'none';
}

export interface SnapshotBody {
  account: string;
  asOf: string;
  window: string;
  rulesVersion: string;
  rulesHash: string;
  partial: boolean;
  /** Streams whose sync failed in this run (partial snapshots). */
  failedSources?: string[];
  /**
   * How old the data of each failed source is: its records stored by earlier syncs still count as
   * evidence, as of `lastSynced` (when its record kinds were last delivered in full; null when they
   * never were, so their evidence is unknown).
   */
  dataAge?: { source: string; lastSynced: string | null }[];
  /**
   * The period the ticket evidence really covers: the window, narrowed to where the synced or
   * imported history starts when it starts later (never a count over a period not synced).
   */
  period?: { from: string | null; to: string; narrowed: boolean };
  metrics: Metric[];
  layers: LayerSuggestion[];
  advice?: Advice[];
  /** How each group was classified (tiers, specialists, ops, partner…), for the reader to check. */
  groups?: GroupReading[];
}
