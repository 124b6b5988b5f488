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
}

export interface LayerSuggestion {
  model: string;
  modelName: string;
  layer: string;
  layerName: string;
  /** 0 when not even the first level is established. */
  level: number;
  levelName: string;
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

export interface SnapshotBody {
  account: string;
  asOf: string;
  window: string;
  rulesVersion: string;
  rulesHash: string;
  partial: boolean;
  /** Streams whose sync failed in this run (partial snapshots). */
  failedSources?: string[];
  metrics: Metric[];
  layers: LayerSuggestion[];
}
