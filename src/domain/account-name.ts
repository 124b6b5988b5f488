import { inputError } from '../errors.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * Why a name cannot be an account's, as a phrase that follows the flag (`must be 1-63 …`), or
 * undefined when it can. Account names appear in commands, reports and job ids.
 */
export function accountNameProblem(name: string): string | undefined {
  return NAME.test(name)
    ? undefined
    : `must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit (got "${name}")`;
}

/** Account names appear in commands, reports and job ids: letters, digits, ".", "_" and "-". */
export function checkAccountName(name: string): string {
  const problem = accountNameProblem(name);
  if (problem) throw inputError(`--name ${problem}`);
  return name;
}
