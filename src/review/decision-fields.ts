import type { CriterionResult, LayerSuggestion, SnapshotBody } from '../domain/evidence.js';

/**
 * The review decisions a snapshot body may carry (disputes, exemptions, overrides), read the same
 * way wherever they are shown. Kept in one file so the outputs follow the body's shape in one place.
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

type Loose = Record<string, unknown>;
const str = (o: Loose, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
const obj = (v: unknown): Loose | undefined =>
  v && typeof v === 'object' ? (v as Loose) : undefined;

function who(o: Loose): Pick<Dispute, 'by' | 'reason' | 'at'> {
  const by = str(o, 'by') ?? str(o, 'actor');
  const reason = str(o, 'reason');
  const at = str(o, 'at');
  return { ...(by ? { by } : {}), ...(reason ? { reason } : {}), ...(at ? { at } : {}) };
}

/** The dispute on a criterion, if a reviewer disputes what the data shows. */
export function disputeOf(c: CriterionResult): Dispute | undefined {
  const d = (c as unknown as Loose).disputed;
  if (!d) return undefined;
  const o = obj(d);
  if (!o) return {};
  const said = typeof o.inPlace === 'boolean' ? o.inPlace : o.value;
  return { ...who(o), ...(typeof said === 'boolean' ? { value: said } : {}) };
}

/** The exemption of a criterion (not applicable), if any. */
export function exemptionOf(c: CriterionResult): Omit<Exemption, 'model'> | undefined {
  const e = (c as unknown as Loose).exempt;
  if (!e) return undefined;
  const o = obj(e);
  return o
    ? { ...who(o), ...(str(o, 'expiresAt') ? { expiresAt: str(o, 'expiresAt')! } : {}) }
    : {};
}

/** The level a reviewer decided for a layer, next to the suggested one. */
export function overrideOf(l: LayerSuggestion): Override | undefined {
  const o = obj((l as unknown as Loose).override);
  if (!o || typeof o.level !== 'number') return undefined;
  return {
    level: o.level,
    ...(str(o, 'levelName') ? { levelName: str(o, 'levelName')! } : {}),
    ...who(o),
    stale: o.stale === true,
  };
}

/** Everything exempt in a snapshot: the body's list, and criteria marked exempt on the layers. */
export function exemptionsOf(body: SnapshotBody): Exemption[] {
  const out: Exemption[] = [];
  const list = (body as unknown as Loose).exempt;
  if (Array.isArray(list))
    for (const e of list) {
      const o = obj(e);
      if (!o || typeof o.model !== 'string') continue;
      const criterionId = str(o, 'criterionId') ?? str(o, 'criterion');
      const layer = str(o, 'layer');
      const expiresAt = str(o, 'expiresAt');
      out.push({
        model: o.model,
        ...(layer ? { layer } : {}),
        ...(criterionId ? { criterionId } : {}),
        ...who(o),
        ...(expiresAt ? { expiresAt } : {}),
      });
    }
  for (const l of body.layers)
    for (const c of l.criteria) {
      const e = exemptionOf(c);
      if (!e) continue;
      if (out.some((x) => x.model === l.model && x.criterionId === c.id)) continue;
      out.push({ model: l.model, layer: l.layer, criterionId: c.id, ...e });
    }
  return out;
}

/** The whole model of this layer is exempt (not applicable here). */
export function layerExempt(l: LayerSuggestion): Omit<Exemption, 'model'> | undefined {
  const e = (l as unknown as Loose).exempt;
  if (!e) return undefined;
  const o = obj(e);
  return o ? who(o) : {};
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
