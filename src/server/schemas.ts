import { z } from 'zod';
import { accountNameProblem } from '../domain/account-name.js';
import { Metric } from '../domain/evidence.js';
import { asOfProblem, windowSpecProblem } from '../metrics/window.js';

/**
 * The zod schemas of the API: each validates requests (or, for responses, is enforced by the
 * serializer) and is the OpenAPI document's description of the same thing. Objects that the review
 * modules extend (a snapshot's layers and criteria) are loose: fields added there pass through.
 */

/**
 * A value typed by a TypeScript interface, handed over as what a route's schema says. The
 * serializer checks every answer against its schema when it is sent (a mismatch is a 500 and a
 * log line), so the run-time check stands where the interface has no index signature.
 */
export const answer = <S extends z.ZodType>(_schema: S, value: unknown): z.output<S> =>
  value as z.output<S>;

/** A phrase check as a zod refinement (the messages follow the field's name). */
const checked = (problem: (v: string) => string | undefined) =>
  z.string().superRefine((v, ctx) => {
    const message = problem(v);
    if (message) ctx.addIssue({ code: 'custom', message, input: v });
  });

export const AccountName = checked(accountNameProblem).describe(
  'An account name: 1-63 letters, digits, ".", "_" or "-"',
);
export const AccountParams = z.object({ account: AccountName });

/** A snapshot id in a path (a positive whole number). */
export const SnapshotId = z.coerce
  .number('must be a snapshot id (a whole number)')
  .int('must be a snapshot id (a whole number)')
  .min(1, 'must be a snapshot id (a whole number from 1)')
  .max(2_147_483_647, 'must be a snapshot id');

export const AsOf = checked(asOfProblem).describe(
  'A date (YYYY-MM-DD: the end of that day, UTC) or an ISO date-time',
);
export const WindowSpec = checked(windowSpecProblem).describe('90d, 6m or all');

const isoInstant = z.iso.datetime({ offset: true });

/** Who decided, when and why: a decision of the audit trail (its id, to revoke it). */
const DecisionNote = z.object({
  decision: z.number().int(),
  by: z.string(),
  at: isoInstant,
  reason: z.string(),
  token: z.string().optional(),
  expiresAt: isoInstant.optional(),
});

export const Criterion = z.looseObject({
  id: z.string(),
  statement: z.string(),
  level: z.number().int(),
  status: z.enum(['met', 'unmet', 'unknown']),
  attested: z.boolean().optional(),
  values: z.record(z.string(), z.number()).optional(),
  gap: z.string().optional(),
  reason: z.string().optional(),
  wouldDecide: z.string().optional(),
  confirmOnly: z.boolean().optional(),
  attestation: DecisionNote.extend({
    inPlace: z.boolean(),
    since: isoInstant.optional(),
    evidenceUrl: z.string().optional(),
  })
    .optional()
    .describe('The attestation that decided it (the data could not)'),
  disputed: DecisionNote.extend({ inPlace: z.boolean(), evidenceUrl: z.string().optional() })
    .optional()
    .describe('A reviewer says the opposite of what the data shows; the status stays the data’s'),
  exempt: DecisionNote.extend({ scope: z.enum(['criterion', 'model']) })
    .optional()
    .describe('Not applicable here'),
});

export const Layer = z.looseObject({
  model: z.string(),
  modelName: z.string(),
  layer: z.string(),
  layerName: z.string(),
  level: z.number().int(),
  levelName: z.string(),
  possibleLevel: z.number().int(),
  possibleLevelName: z.string(),
  awaiting: z.object({ data: z.number().int(), review: z.number().int() }),
  nextLevelName: z.string().optional(),
  criteria: z.array(Criterion),
  blockers: z.array(Criterion),
  unknowns: z.array(Criterion),
  heldFromPrevious: z.boolean().optional(),
  fingerprint: z
    .string()
    .optional()
    .describe('What the evidence says about the layer; an override made against another is stale'),
  override: DecisionNote.extend({
    level: z.number().int(),
    levelName: z.string(),
    suggestedThen: z.number().int().optional(),
    stale: z.boolean().describe('The evidence changed since the override was made'),
  })
    .optional()
    .describe('The level a reviewer decided, beside the suggested `level`'),
  exempt: DecisionNote.optional().describe('The whole model does not apply here'),
});

export const Snapshot = z
  .looseObject({
    id: z.number().int().describe('The stored snapshot this is'),
    account: z.string(),
    asOf: isoInstant,
    window: z.string(),
    rulesVersion: z.string(),
    rulesHash: z.string(),
    partial: z.boolean(),
    failedSources: z.array(z.string()).optional(),
    dataAge: z
      .array(z.object({ source: z.string(), lastSynced: isoInstant.nullable() }))
      .optional(),
    period: z
      .object({
        from: isoInstant.nullable(),
        to: isoInstant,
        narrowed: z.boolean(),
        earlier: z
          .object({ tickets: z.number().int(), first: isoInstant, last: isoInstant })
          .optional()
          .describe(
            'Set when the window holds none of the stored tickets and older ones exist: how many, first and last creation',
          ),
        later: z
          .object({ tickets: z.number().int(), first: isoInstant, last: isoInstant })
          .optional()
          .describe(
            'Set when the window holds none of the stored tickets and newer ones exist (an as-of before the first): how many, first and last creation',
          ),
      })
      .optional(),
    metrics: z.array(Metric),
    layers: z.array(Layer),
    advice: z
      .array(
        z.object({
          id: z.string(),
          model: z.string(),
          layer: z.string(),
          severity: z.enum(['urgent', 'advice']),
          text: z.string(),
          values: z.record(z.string(), z.number()),
        }),
      )
      .optional(),
    groups: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          roles: z.array(z.string()),
          by: z.enum(['name', 'mapping', 'flag', 'opaque', 'none']),
        }),
      )
      .optional(),
    absent: z
      .record(z.string(), z.string())
      .optional()
      .describe('Why each absent metric is absent'),
    exempt: z
      .array(
        DecisionNote.extend({
          scope: z.enum(['criterion', 'model']),
          model: z.string(),
          modelName: z.string(),
          layer: z.string().optional(),
          layerName: z.string().optional(),
          criterionId: z.string().optional(),
          statement: z.string().optional(),
          level: z.number().int().optional(),
          status: z.enum(['met', 'unmet', 'unknown']).optional(),
        }),
      )
      .optional()
      .describe('Criteria and models exempted as not applicable'),
    reviewed: z
      .object({
        snapshotId: z.number().int(),
        at: isoInstant,
        decisions: z.number().int(),
        storedRules: z.object({ version: z.string(), hash: z.string() }).optional(),
      })
      .optional()
      .describe('Judged again with the decisions as they stand, and when'),
  })
  .meta({ id: 'Snapshot' });

export const SnapshotEntry = z
  .object({
    id: z.number().int(),
    asOf: isoInstant,
    window: z.string(),
    rulesVersion: z.string(),
  })
  .meta({ id: 'SnapshotEntry' });

export const LatestSnapshot = SnapshotEntry.nullable();

export const AccountSummary = z
  .object({
    name: z.string(),
    connector: z.string(),
    status: z.string(),
    statusDetail: z.string().nullable(),
    needsAttention: z.boolean().describe('The last sync or connection check failed for good'),
    createdAt: isoInstant,
    latestSnapshot: LatestSnapshot,
  })
  .meta({ id: 'AccountSummary' });

export const AccountDetail = AccountSummary.extend({
  settings: z.record(z.string(), z.unknown()).describe('The connector settings (no credentials)'),
  credentials: z.enum(['stored (encrypted)', 'none']),
  records: z.record(z.string(), z.number().int()),
  quarantined: z.number().int(),
  lastSync: z.record(z.string(), isoInstant),
  snapshots: z.number().int(),
  schedule: z
    .object({ cron: z.string(), tz: z.string(), enabled: z.boolean() })
    .nullable()
    .describe('null: never set (connected accounts get the nightly default from a worker)'),
}).meta({ id: 'AccountDetail' });

export const Job = z
  .object({
    id: z.string(),
    kind: z.literal('snapshot'),
    account: z.string(),
    mode: z.enum(['inline', 'queued']),
    state: z.enum(['queued', 'running', 'done', 'failed']),
    createdAt: isoInstant,
    finishedAt: isoInstant.optional(),
    result: z
      .object({
        stored: z
          .boolean()
          .describe('False: a partial snapshot did not replace the day’s complete one'),
        asOf: isoInstant,
        partial: z.boolean(),
        snapshotId: z.number().int().optional(),
      })
      .optional(),
    error: z.object({ code: z.string().nullable(), message: z.string() }).optional(),
    location: z.string().describe('Where to poll this job'),
  })
  .meta({ id: 'Job' });
export type Job = z.infer<typeof Job>;
