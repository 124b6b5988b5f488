import type { CriterionResult, LayerSuggestion, SnapshotBody } from '../domain/evidence.js';

/**
 * The review decisions a snapshot body carries (disputes, exemptions, overrides), read the same
 * way wherever they are shown.
 */

export interface Dispute {
  by?: string;
  reason?: string;
  at?: string;
  /** What the reviewer says: true "in place", false "not in place". */
  value?: boolean;
}

export interface Exemption {
  model: string;
  layer?: string;
  /** Absent when the whole model is exempt. */
  criterionId?: string;
  reason?: string;
  by?: string;
  at?: string;
  expiresAt?: string;
}

export interface Override {
  level: number;
  levelName?: string;
  by?: string;
  reason?: string;
  at?: string;
  /** The evidence behind the suggestion changed since the override was made. */
  stale: boolean;
}

type Note = { by: string; reason: string; at: string; expiresAt?: string };
const who = (n: Note) => ({
  by: n.by,
  reason: n.reason,
  at: n.at,
  ...(n.expiresAt ? { expiresAt: n.expiresAt } : {}),
});

/** The dispute on a criterion, if a reviewer disputes what the data shows. */
export function disputeOf(c: CriterionResult): Dispute | undefined {
  const d = c.disputed;
  return d ? { by: d.by, reason: d.reason, at: d.at, value: d.inPlace } : undefined;
}

/** The exemption of a criterion (not applicable), if any. */
export function exemptionOf(c: CriterionResult): Omit<Exemption, 'model'> | undefined {
  return c.exempt ? who(c.exempt) : undefined;
}

/** The whole model of this layer is exempt (not applicable here). */
export function layerExempt(l: LayerSuggestion): Omit<Exemption, 'model'> | undefined {
  return l.exempt ? who(l.exempt) : undefined;
}

/** The level a reviewer decided for a layer, next to the suggested one. */
export function overrideOf(l: LayerSuggestion): Override | undefined {
  const o = l.override;
  return o
    ? {
        level: o.level,
        levelName: o.levelName,
        by: o.by,
        reason: o.reason,
        at: o.at,
        stale: o.stale,
      }
    : undefined;
}

/** Everything exempt in a snapshot: the body's list, and criteria marked exempt on the layers. */
export function exemptionsOf(body: SnapshotBody): Exemption[] {
  const out: Exemption[] = (body.exempt ?? []).map((e) => ({
    model: e.model,
    ...(e.layer ? { layer: e.layer } : {}),
    ...(e.scope === 'criterion' && e.criterionId ? { criterionId: e.criterionId } : {}),
    ...who(e),
  }));
  for (const l of body.layers)
    for (const c of l.criteria) {
      const e = exemptionOf(c);
      if (!e || c.exempt?.scope === 'model') continue;
      if (out.some((x) => x.model === l.model && x.criterionId === c.id)) continue;
      out.push({ model: l.model, layer: l.layer, criterionId: c.id, ...e });
    }
  return out;
}

/** Whether a criterion is out of the review: exempt itself, or its whole model is. */
export function isExempt(
  body: SnapshotBody,
  model: string,
  c: CriterionResult,
  exemptions = exemptionsOf(body),
): boolean {
  if (exemptionOf(c)) return true;
  return exemptions.some(
    (e) => e.model === model && (e.criterionId === undefined || e.criterionId === c.id),
  );
}
