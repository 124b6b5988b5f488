import { inputError } from '../errors.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Account names appear in commands, reports and job ids: letters, digits, ".", "_" and "-". */
export function checkAccountName(name: string): string {
  if (!NAME.test(name)) {
    throw inputError(
      `--name must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit (got "${name}")`,
    );
  }
  return name;
}
