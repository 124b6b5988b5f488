import { z } from 'zod';

const kebab = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (like sla-policy-defined)');

export const Condition = z.strictObject({
  metric: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be a dotted metric id'),
  op: z.enum(['>=', '<=', '>', '<', '==', 'present']),
  value: z.number().optional(),
  /** Fewer observations than this make the condition unknown, never unmet. */
  minSample: z.number().int().min(0).optional(),
  /** Compare the interval's lower or upper bound instead of the point value (proportions). */
  bound: z.enum(['value', 'lower', 'upper']).optional(),
  /** Compare one entry of the metric's breakdown instead of its value. */
  breakdown: z.string().optional(),
});
export type Condition = z.infer<typeof Condition>;

export const When = z.union([
  Condition,
  z.strictObject({ all: z.array(Condition).min(1) }),
  z.strictObject({ any: z.array(Condition).min(1) }),
]);
export type When = z.infer<typeof When>;

export const Criterion = z
  .strictObject({
    id: kebab,
    statement: z.string().min(5),
    /** Why this threshold: the rule's own defence. */
    why: z.string().optional(),
    when: When.optional(),
    /** Decided only by a reviewer's attestation. */
    attest: z.literal(true).optional(),
    /** How long an attestation of this criterion stays valid. */
    attestationValidDays: z.number().int().min(1).max(3650).optional(),
    wouldDecide: z.string().optional(),
    /**
     * The data can confirm the criterion but never rule it out (it shows a trace of the practice,
     * whose absence proves nothing): unmet data leaves it unknown, for an attestation to decide.
     */
    confirmOnly: z.literal(true).optional(),
  })
  .refine((c) => (c.when ? !c.attest : c.attest), {
    message: 'a criterion needs either `when` (a data condition) or `attest: true`, not both',
  })
  .refine((c) => !c.confirmOnly || c.when, {
    message: '`confirmOnly` needs a `when` condition',
  });
export type Criterion = z.infer<typeof Criterion>;

export const LayerFile = z.strictObject({
  layer: kebab,
  name: z.string().min(1),
  description: z.string().optional(),
  levels: z
    .array(
      z.strictObject({
        level: z.number().int().min(1),
        criteria: z.array(Criterion).min(1, 'every level needs at least one criterion'),
      }),
    )
    .min(1),
});
export type LayerFile = z.infer<typeof LayerFile>;

export const AdviceRule = z.strictObject({
  id: kebab,
  /** The layer whose proven level the advice watches. */
  layer: kebab,
  severity: z.enum(['urgent', 'advice']),
  /** Raised only while the layer's proven level is at most this. */
  whenLevelAtMost: z.number().int().min(0),
  when: Condition,
  /** What to tell the reader; {metric.id} is replaced by the metric's value. */
  text: z.string().min(5),
});
export type AdviceRule = z.infer<typeof AdviceRule>;

export const ModelFile = z.strictObject({
  id: kebab,
  name: z.string().min(1),
  description: z.string().optional(),
  /** The name of "level 0" when the data shows the first level is not there. */
  baseline: z.string().min(1),
  /** The name of "level 0" while the first level is still undecided (unknown, not absent). */
  undecided: z.string().min(1).optional(),
  /**
   * The baseline is a choice, not a gap ("no support partner"): while the data shows the first
   * level is not there, no action proposes leaving it.
   */
  baselineIsChoice: z.literal(true).optional(),
  advice: z.array(AdviceRule).default([]),
  levels: z
    .array(
      z.strictObject({
        level: z.number().int().min(1),
        name: z.string().min(1),
        summary: z.string().optional(),
      }),
    )
    .min(1),
  layers: z.array(kebab).min(1),
});
export type ModelFile = z.infer<typeof ModelFile>;

export const RulesIndex = z.strictObject({
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version like 1.0.0'),
  models: z.array(kebab).min(1),
});

export interface Layer extends LayerFile {
  file: string;
}
export interface Model extends ModelFile {
  layerRules: Layer[];
}
export interface RuleSet {
  version: string;
  hash: string;
  dir: string;
  models: Model[];
}
