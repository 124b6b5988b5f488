import { z } from 'zod';
import { MaturityError, errorCatalogue, type ErrorCode } from '../errors.js';

/**
 * Errors as RFC 9457 problem details (`application/problem+json`): `type` names the error code
 * (a URN), `title` is the catalogue's meaning of the code, `detail` the one sentence about this
 * request, `code` the `E_*` code of src/errors.ts. A request that fails validation lists each
 * field and what is wrong with it in `errors`.
 */
export const Problem = z
  .object({
    type: z.string().describe('urn:maturity:error:<code>'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    code: z
      .enum(Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]])
      .optional()
      .describe('The E_* code (README, Error codes); absent only from an unexpected failure (500)'),
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          in: z.enum(['body', 'querystring', 'params', 'headers']),
          field: z.string(),
          message: z.string(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_TYPE = 'application/problem+json';

/**
 * The HTTP status of each error code: one table, complete (a new code does not typecheck until it
 * has its status). Input the request gave is 4xx; a helpdesk or dependency failing is 502/503.
 */
export const statusOf = {
  E_INPUT: 400,
  E_CONFIG: 503,
  E_ACCOUNT_NOT_FOUND: 404,
  E_NO_SNAPSHOT: 404,
  E_IMPORT_INVALID: 400,
  E_RULES_INVALID: 500,
  E_STORE: 503,
  E_STORE_UNAVAILABLE: 503,
  E_STORE_BUSY: 503,
  E_CONNECTOR_AUTH: 422,
  E_CONNECTOR_NOT_FOUND: 422,
  E_CONNECTOR_RESPONSE: 502,
  E_CONNECTOR_RATE_LIMIT: 503,
  E_CONNECTOR_UNAVAILABLE: 502,
  E_SYNC_FAILED: 502,
  E_REDIS_UNAVAILABLE: 503,
  E_UNAUTHORIZED: 401,
  E_FORBIDDEN: 403,
  E_NOT_FOUND: 404,
} as const satisfies Record<ErrorCode, number>;

/**
 * A MaturityError answered with another status than its code's (a name taken: 409 with E_INPUT,
 * since the command line calls it bad input too).
 */
export class HttpProblem extends MaturityError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

export const conflict = (message: string) => new HttpProblem(409, 'E_INPUT', message);
export const notFound = (message: string) => new MaturityError('E_NOT_FOUND', message);

export function problemOf(err: MaturityError, instance?: string): Problem {
  const status = err instanceof HttpProblem ? err.status : statusOf[err.code];
  return {
    type: `urn:maturity:error:${err.code}`,
    title: errorCatalogue[err.code].meaning,
    status,
    detail: err.message,
    code: err.code,
    ...(instance ? { instance } : {}),
  };
}

/** A problem response in a route's schema (and so in the OpenAPI document). */
export const problemResponse = {
  description: 'A problem (RFC 9457)',
  content: { [PROBLEM_TYPE]: { schema: Problem } },
};

/**
 * The problem responses of a route: the statuses it names, and those every route may answer
 * (400 bad input, 401 no or bad token, 403 role too low, 500).
 */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(
    [...new Set([400, 401, 403, 500, ...statuses])].map((s) => [s, problemResponse]),
  ) as Record<number, typeof problemResponse>;

/** A 500 without a code: a failure nobody meant (a bug, a database hiccup); the log says more. */
export const internalProblem = (detail: string): Problem => ({
  type: 'about:blank',
  title: 'Internal Server Error',
  status: 500,
  detail,
});
