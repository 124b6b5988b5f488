import type { Criterion, Layer, Model, RuleSet } from '../engine/rules-schema.js';
import { inputError } from '../errors.js';

/**
 * What a decision is about, looked up in the rules: a model, a layer or a criterion, named as
 * the user wrote it (`yearly-support-goals`, or `ftworks/yearly-support-goals`; `offerings` or
 * `ftworks/offerings`). An unknown name is refused in one line naming the valid ones, or the
 * closest when there are too many to list.
 */

/** How an input field is named to the user (`--model` on the command line, `model` in the API). */
export type Label = (field: string) => string;
export const plainLabel: Label = (field) => field;

export function findModel(rules: RuleSet, id: string, label: Label = plainLabel): Model {
  const model = rules.models.find((m) => m.id === id);
  if (model) return model;
  const ids = rules.models.map((m) => m.id);
  throw inputError(`${label('model')} must be ${orList(ids)} (got "${id}")`);
}

export interface CriterionTarget {
  model: Model;
  layer: Layer;
  criterion: Criterion;
  level: number;
}

/** A criterion by its id, in `model` (or `model/criterion`), else in whichever model has it. */
export function findCriterion(
  rules: RuleSet,
  name: string,
  model?: string,
  label: Label = plainLabel,
): CriterionTarget {
  const [m, id] = split(name, model);
  const models = m ? [findModel(rules, m, label)] : rules.models;
  const all = models.flatMap((mo) =>
    mo.layerRules.flatMap((layer) =>
      layer.levels.flatMap((lvl) =>
        lvl.criteria.map((criterion) => ({ model: mo, layer, criterion, level: lvl.level })),
      ),
    ),
  );
  const found = all.filter((t) => t.criterion.id === id);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    const where = found.map((t) => t.model.id);
    throw inputError(
      `${label('criterion')} "${id}" is in ${orList(where)}: name the model with ${label('model')} (or write ${where[0]}/${id})`,
    );
  }
  const near = closest(
    id,
    all.map((t) => t.criterion.id),
  );
  const scope = m ? `model ${m}` : 'any model';
  throw inputError(
    `${label('criterion')} "${id}" is not a criterion of ${scope}${near ? `; did you mean "${near}"?` : ''} (the criteria are listed in rules/ and by \`maturity review pending\`)`,
  );
}

/** A layer by its id, in `model` (or `model/layer`), else in whichever model has it. */
export function findLayer(
  rules: RuleSet,
  name: string,
  model?: string,
  label: Label = plainLabel,
): { model: Model; layer: Layer } {
  const [m, id] = split(name, model);
  const models = m ? [findModel(rules, m, label)] : rules.models;
  const all = models.flatMap((mo) => mo.layerRules.map((layer) => ({ model: mo, layer })));
  const found = all.filter((t) => t.layer.layer === id);
  if (found.length === 1) return found[0]!;
  const names = all.map((t) => `${t.model.id}/${t.layer.layer}`);
  if (found.length > 1)
    throw inputError(
      `${label('layer')} "${id}" is in ${orList(found.map((t) => t.model.id))}: write it as model/layer (${orList(found.map((t) => `${t.model.id}/${id}`))})`,
    );
  const near = closest(
    id,
    all.map((t) => t.layer.layer),
  );
  throw inputError(
    `${label('layer')} must be one of ${names.join(', ')}${near ? `; did you mean "${near}"?` : ''} (got "${name}")`,
  );
}

/** `model/name` or `name` (with the model given apart, or none). */
function split(name: string, model?: string): [string | undefined, string] {
  const slash = name.indexOf('/');
  if (slash < 0) return [model, name];
  const m = name.slice(0, slash);
  if (model && model !== m)
    throw inputError(`"${name}" names model ${m}, but the model given is ${model}`);
  return [m, name.slice(slash + 1)];
}

/** The candidate nearest to `name` by edit distance, when it is near enough to be a typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of new Set(candidates)) {
    // A candidate that contains the name (or the reverse) is nearer than its edit distance says.
    const d = c.includes(name) || name.includes(c) ? 1 : distance(name, c);
    if (d < bestScore) [best, bestScore] = [c, d];
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(name.length / 2))
    ? best
    : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        prev[j]! + 1,
        row[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = row;
  }
  return prev[b.length]!;
}

/** `a, b or c` */
const orList = (values: readonly string[]): string =>
  values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : (values[0] ?? '');
