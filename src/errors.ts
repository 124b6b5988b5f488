/**
 * The error catalogue. Every error the product raises on purpose has a code listed here and in
 * the README ("Error codes"); a test checks the two agree.
 */
export const errorCodes = {
  E_INPUT: 'The command line or a request was invalid.',
  E_CONFIG: 'An environment variable is invalid.',
  E_ACCOUNT_NOT_FOUND: 'No account has that name.',
  E_NO_SNAPSHOT: 'The account has no snapshot yet.',
  E_IMPORT_INVALID: 'An import file failed validation; nothing was stored.',
  E_RULES_INVALID: 'A rules file failed validation.',
  E_STORE: 'The database could not be opened or migrated.',
  E_CONNECTOR_AUTH: 'The helpdesk rejected the credentials.',
  E_CONNECTOR_NOT_FOUND: 'The helpdesk instance or subdomain does not exist.',
  E_CONNECTOR_RESPONSE: 'The helpdesk answered with something that is not the expected JSON.',
  E_CONNECTOR_RATE_LIMIT: 'The helpdesk rate limit asks for a longer wait than the cap.',
  E_CONNECTOR_UNAVAILABLE: 'The helpdesk could not be reached after retries.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class MaturityError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  /** For rate limits: how long the source asked us to wait. */
  readonly retryAfterMs?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'MaturityError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

export const inputError = (message: string) => new MaturityError('E_INPUT', message);

/**
 * The one-line sentence users see for a zod failure: "<where>: <message>" for its first issue.
 * `where` is the issue's path joined with dots, `label(path)` when given (e.g. a CLI flag name),
 * or `top` for an issue about the whole value.
 */
export function zodSentence(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  o: { top?: string; label?: (path: readonly PropertyKey[]) => string } = {},
): string {
  const issue = error.issues[0];
  if (!issue) return `${o.top ?? 'value'}: is invalid`;
  const where = issue.path.length
    ? (o.label?.(issue.path) ?? issue.path.map(String).join('.'))
    : (o.top ?? 'value');
  return `${where}: ${issue.message}`;
}
