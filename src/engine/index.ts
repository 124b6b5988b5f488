import { fileURLToPath } from 'node:url';
import { metricCatalogue } from '../metrics/index.js';
import { checkRules, loadRules } from './load-rules.js';
import type { RuleSet } from './rules-schema.js';

/** The rules shipped with the product: <package root>/rules. */
export const defaultRulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));

export const knownMetricIds = (): Set<string> => new Set(metricCatalogue.keys());

export const loadDefaultRules = (dir = defaultRulesDir): RuleSet =>
  loadRules(dir, knownMetricIds());

export const checkRulesDir = (dir: string) => checkRules(dir, knownMetricIds());

export { suggestLevels } from './suggest-levels.js';
export { advise } from './advise.js';
export { holdLevels } from './hold-levels.js';
export { judge, type JudgeInput, type Judgement } from './judge.js';
export {
  activeDecisions,
  attestationValidDays,
  criterionIndex,
  DEFAULT_ATTESTATION_DAYS,
  validity,
} from './active-decisions.js';
export { dataStatus, evidenceFingerprint } from './fingerprint.js';
export { formatProblem } from './load-rules.js';
export type { RuleSet } from './rules-schema.js';
