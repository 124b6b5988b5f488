import { existsSync } from 'node:fs';
import { checkRulesDir, defaultRulesDir, formatProblem } from '../engine/index.js';
import { MaturityError } from '../errors.js';
import type { CliContext } from './context.js';

export function rulesCheckCommand(ctx: CliContext, dir: string | undefined): void {
  const target = dir ?? defaultRulesDir;
  if (!existsSync(target))
    throw new MaturityError('E_INPUT', `rules directory ${target} does not exist`);
  const { rules, problems } = checkRulesDir(target);
  if (!rules) {
    throw new MaturityError('E_RULES_INVALID', problems.map(formatProblem).join('\n'));
  }
  const criteria = rules.models.reduce(
    (n, m) =>
      n + m.layerRules.reduce((k, l) => k + l.levels.reduce((j, v) => j + v.criteria.length, 0), 0),
    0,
  );
  ctx.io.out(
    `rules ${rules.version} ok: ${rules.models.map((m) => `${m.id} (${m.layerRules.length} layers)`).join(', ')}; ${criteria} criteria; hash ${rules.hash.slice(0, 12)}`,
  );
}
