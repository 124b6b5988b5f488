import { z } from 'zod';
import { flagOf } from '../../connectors/shared/connector-cli.js';
import { accountNameProblem } from '../domain/account-name.js';
import { inputError, zodSentence } from '../errors.js';

/**
 * Typed command-line flags. Each command module declares a zod schema of the flags commander
 * hands it (keys camelCased: `--lock-ms` ► `lockMs`; a string for `--x <value>`, `true` for a
 * switch, `false` for `--no-x`, absent when not given) and parses them first thing with
 * `parseFlags`, so the command's body works with typed, validated values and a bad value stops
 * it before anything is opened or stored. The flags' type is `z.infer` of the schema.
 *
 * Every message is a phrase that follows the flag's name, so a failure is one line naming the
 * flag as the user typed it: `--tickets must be a whole number from 0 to 2000000 (got "abc")`.
 */
export function parseFlags<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw ?? {}, { error: fallbackPhrase });
  if (r.success) return r.data;
  throw inputError(
    zodSentence(r.error, {
      top: 'the flags',
      label: (path) => flagOf(String(path[0])),
      separator: ' ',
    }),
  );
}

/** A phrase for the issues the builders below do not word themselves (a missing or mistyped value). */
const fallbackPhrase: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'invalid_type') return undefined;
  return issue.input === undefined
    ? 'is required'
    : `must be a ${issue.expected} (got ${JSON.stringify(issue.input)})`;
};

/**
 * A flag whose value is the string as given, when `problem` finds nothing wrong with it.
 * `problem` returns a phrase that follows the flag (`must be like 90d, 6m or all (got "x")`).
 */
export const checkedString = (problem: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message, input: value });
  });

/**
 * A flag read from its string by `read` (undefined: unreadable). A value it cannot read fails
 * with `<rule> (got "<value>")`, e.g. `must be a share from 0 to 0.5 (got "0.9")`.
 */
export function readFlag<T>(rule: string, read: (value: string) => T | undefined) {
  return z.string().transform((value, ctx): T => {
    const out = read(value);
    if (out !== undefined) return out;
    ctx.issues.push({ code: 'custom', message: `${rule} (got "${value}")`, input: value });
    return z.NEVER;
  });
}

/** A whole number from `min` to `max` (to the largest safe integer when `max` is left out). */
export const wholeNumber = (min: number, max?: number) =>
  readFlag(
    max === undefined
      ? `must be a whole number of at least ${min}`
      : `must be a whole number from ${min} to ${max}`,
    (value) => {
      const n = /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : NaN;
      return Number.isSafeInteger(n) && n >= min && n <= (max ?? Number.MAX_SAFE_INTEGER)
        ? n
        : undefined;
    },
  );

/** A share (a decimal number) from `min` to `max`. */
export const share = (min: number, max: number) =>
  readFlag(`must be a share from ${min} to ${max}`, (value) => {
    const n = value.trim() === '' ? NaN : Number(value);
    return n >= min && n <= max ? n : undefined;
  });

/** One of `values` (`ignoreCase`: `MDY` reads as `mdy`); typed as their union. */
export const oneOf = <const V extends readonly [string, ...string[]]>(
  values: V,
  o: { ignoreCase?: boolean } = {},
) =>
  readFlag(`must be ${orList(values)}`, (value): V[number] | undefined => {
    const v = o.ignoreCase ? value.toLowerCase() : value;
    return values.find((x) => x === v);
  });

/** An account name (`--name`): letters, digits, ".", "_" and "-". */
export const accountName = checkedString(accountNameProblem);

/** `a, b or c` */
export const orList = (values: readonly string[]): string =>
  values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : (values[0] ?? '');
