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
   * How many things may count that the data cannot settle: of a count, things that could not be
   * read (groups whose anonymised names say nothing about their role) or may not be the team's own
   * (a helpdesk's default SLA policy nobody changed, and the targets measured against it); of a
   * ratio, members of the sample that may or may not be hits (a ticket opened through the API may
   * be a monitoring alert or a customer's web form). The true count lies between value and
   * value + undetermined, the true ratio between value and value + undetermined / sampleSize
   * (undeterminedTop), so a threshold in that range is unknown, not unmet.
   */
  undetermined: z.number().int().min(1).optional(),
  sources: z.array(z.string()),
});
export type Metric = z.infer<typeof Metric>;

/** The most a metric may be once its undetermined members are settled (see Metric). */
export function undeterminedTop(
  m: Pick<Metric, 'value' | 'unit' | 'sampleSize' | 'undetermined'>,
): number {
  const u = m.undetermined ?? 0;
  if (m.unit !== 'ratio') return m.value + u;
  return m.sampleSize ? Math.min(1, m.value + u / m.sampleSize) : m.value;
}

export type CriterionStatus = 'met' | 'unmet' | 'unknown';

export interface CriterionResult {
  id: string;
  statement: string;
  level: number;
  status: CriterionStatus;
  /** The status came from a reviewer's attestation, not from data. */
  attested?: boolean;
  /** The attestation that decided it (the data could not). */
  attestation?: DecisionNote & { inPlace: boolean; since?: string; evidenceUrl?: string };
  /**
   * A reviewer says the opposite of what the data shows: the status stays the data's, and this
   * says who disagrees and why.
   */
  disputed?: DecisionNote & { inPlace: boolean; evidenceUrl?: string };
  /**
   * Not applicable here (the criterion, or its whole model). It leaves the blockers, unknowns and
   * actions; an exempt criterion does not hold its level back (a model's exemption changes no
   * level: the model is shown as not applicable).
   */
  exempt?: DecisionNote & { scope: 'criterion' | 'model' };
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
  /**
   * What the evidence says about the layer, in one value: a hash of its criteria's ids and their
   * statuses from data alone (decisions left out). An override made against another value is
   * stale (src/engine/fingerprint.ts). Absent from snapshots stored before decisions existed.
   */
  fingerprint?: string;
  /**
   * The level a reviewer decided, beside the suggested `level` (which stays what the evidence
   * proves). `stale`: the evidence changed since it was made (another fingerprint).
   */
  override?: DecisionNote & {
    level: number;
    levelName: string;
    /** The level the evidence suggested when the override was made. */
    suggestedThen?: number;
    stale: boolean;
  };
  /** The whole model does not apply here (a reviewer's exemption): no blockers, no unknowns. */
  exempt?: DecisionNote;
}

/** Who decided, when and why: a reference to a review decision (src/domain/decisions.ts). */
export interface DecisionNote {
  /** The decision's id in the trail (to revoke it). */
  decision: number;
  by: string;
  at: string;
  reason: string;
  /** The API token it came through. */
  token?: string;
  expiresAt?: string;
}

/** A criterion, or a whole model, exempted as not applicable. */
export interface ExemptEntry extends DecisionNote {
  scope: 'criterion' | 'model';
  model: string;
  modelName: string;
  layer?: string;
  layerName?: string;
  criterionId?: string;
  statement?: string;
  level?: number;
  /** What the data shows of the criterion all the same. */
  status?: CriterionStatus;
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
  period?: {
    from: string | null;
    to: string;
    narrowed: boolean;
    /**
     * Set when the window holds none of the account's tickets but earlier ones are stored (an old
     * export judged as of today, say): how many, and when the first and the last was created.
     */
    earlier?: { tickets: number; first: string; last: string };
    /**
     * Set when the window holds none of the account's tickets but later ones are stored (an as-of
     * before the first ticket of an import, say): how many, and when the first and the last was
     * created.
     */
    later?: { tickets: number; first: string; last: string };
  };
  metrics: Metric[];
  layers: LayerSuggestion[];
  advice?: Advice[];
  /** How each group was classified (tiers, specialists, ops, partner…), for the reader to check. */
  groups?: GroupReading[];
  /** Why each absent metric is absent, kept so that judging the snapshot again keeps the reasons. */
  absent?: Record<string, string>;
  /** Criteria and models exempted as not applicable, with who decided and why. */
  exempt?: ExemptEntry[];
  /**
   * Set on a stored snapshot judged again with the decisions as they stand (src/review/reviewed.ts):
   * which snapshot, when, how many decisions counted, and the rules it was stored with when the
   * rules used now differ.
   */
  reviewed?: {
    snapshotId: number;
    at: string;
    decisions: number;
    storedRules?: { version: string; hash: string };
  };
}
