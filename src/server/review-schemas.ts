import { z } from 'zod';
import { decisionKinds } from '../domain/decisions.js';

/**
 * Response schemas of the review routes: what src/review/ returns, as the serializer enforces it
 * and the OpenAPI document shows it. Loose objects: a field the review modules add passes through.
 */

const isoInstant = z.iso.datetime({ offset: true });

export const Decision = z
  .looseObject({
    id: z.number().int(),
    account: z.string(),
    kind: z.enum(decisionKinds),
    actor: z.string().describe('Who decided: the API token’s name, or a person from the CLI'),
    token: z.string().optional().describe('The API token the decision came through'),
    at: isoInstant,
    model: z.string().optional(),
    layer: z.string().optional(),
    criterionId: z.string().optional(),
    inPlace: z.boolean().optional(),
    level: z.number().int().optional(),
    reason: z.string(),
    evidenceUrl: z.string().optional(),
    since: isoInstant.optional(),
    expiresAt: isoInstant.optional(),
    revokes: z.number().int().optional(),
    fingerprint: z.string().optional(),
    suggestedLevel: z.number().int().optional(),
  })
  .meta({ id: 'Decision' });

export const ListedDecision = Decision.extend({
  state: z.enum(['active', 'expired', 'revoked', 'revoke']),
  revokedBy: z
    .object({ id: z.number().int(), actor: z.string(), at: isoInstant, reason: z.string() })
    .optional(),
}).meta({ id: 'ListedDecision' });

export const PendingCriterion = z
  .looseObject({
    model: z.string(),
    modelName: z.string(),
    layer: z.string(),
    layerName: z.string(),
    criterionId: z.string(),
    statement: z.string(),
    level: z.number().int(),
    layerLevel: z.number().int(),
    reason: z.string().optional(),
    wouldDecide: z.string().optional(),
    byReviewer: z.boolean(),
    unlocks: z.boolean(),
  })
  .meta({ id: 'PendingCriterion' });

export const Action = z
  .looseObject({
    kind: z.enum(['improve', 'data', 'review']),
    key: z.string(),
    text: z.string(),
    detail: z.string().optional(),
    unlocks: z.number().int(),
    targets: z.array(
      z.looseObject({
        model: z.string(),
        layer: z.string(),
        text: z.string(),
        level: z.number().int(),
        levelName: z.string(),
        alone: z.boolean(),
        others: z.number().int(),
      }),
    ),
    criteria: z.array(
      z.looseObject({
        model: z.string(),
        layer: z.string(),
        id: z.string(),
        statement: z.string(),
        anchor: z.string(),
      }),
    ),
  })
  .meta({ id: 'Action' });

const Ref = z.object({ id: z.number().int(), asOf: isoInstant });

export const Diff = z
  .looseObject({
    from: Ref.describe('The earlier snapshot'),
    to: Ref.describe('The later snapshot'),
    rulesChanged: z
      .object({ from: z.string(), to: z.string(), words: z.string() })
      .optional()
      .describe('The two were judged with other rules'),
    layers: z.array(
      z.looseObject({
        model: z.string(),
        layer: z.string(),
        layerName: z.string(),
        from: z.number().int(),
        to: z.number().int(),
        fromName: z.string(),
        toName: z.string(),
        because: z.array(z.string()),
        words: z.string(),
      }),
    ),
    overrides: z.array(z.string()),
    lines: z.array(z.string()).describe('Every change in words, one line each'),
  })
  .meta({ id: 'Diff' });
