/**
 * The error catalogue. Every error the product raises on purpose has a code listed here and in
 * the README ("Error codes") with its meaning, whether the queue retries it and the CLI's exit
 * code; a test checks the two agree. Throw sites say what went wrong; what to do about it (retry,
 * pause, give up; which exit code) is read from here by the worker and the CLI.
 */

/**
 * How the queue treats a failed job:
 * - `no`: never retried (BullMQ UnrecoverableError): retrying cannot help until someone acts;
 * - `backoff`: retried with exponential backoff;
 * - `after-wait`: the sync queue pauses for as long as the source asked (the error's
 *   `retryAfterMs`), then the job runs again; without a wait, as `backoff`.
 */
export type RetryPolicy = 'no' | 'backoff' | 'after-wait';

export interface ErrorPolicy {
  meaning: string;
  retry: RetryPolicy;
  /**
   * The CLI's exit code: 2 for bad input — anything the user gave that fails its checks (the
   * command line, an environment variable, an import, rules or group-roles file) —, 1 otherwise.
   */
  exit: 1 | 2;
}

export const errorCatalogue = {
  E_INPUT: { meaning: 'The command line or a request was invalid.', retry: 'no', exit: 2 },
  E_CONFIG: { meaning: 'An environment variable is invalid.', retry: 'no', exit: 2 },
  E_ACCOUNT_NOT_FOUND: { meaning: 'No account has that name.', retry: 'no', exit: 1 },
  E_NO_SNAPSHOT: { meaning: 'The account has no snapshot yet.', retry: 'no', exit: 1 },
  E_IMPORT_INVALID: {
    meaning: 'An import file failed validation; nothing was stored.',
    retry: 'no',
    exit: 2,
  },
  E_RULES_INVALID: { meaning: 'A rules file failed validation.', retry: 'no', exit: 2 },
  E_STORE: { meaning: 'The database could not be opened or migrated.', retry: 'no', exit: 1 },
  E_STORE_UNAVAILABLE: {
    meaning:
      'The connection to PostgreSQL was lost during a step (a restart, a failover); the step did not finish.',
    retry: 'backoff',
    exit: 1,
  },
  E_STORE_BUSY: {
    meaning: 'Another command holds the embedded store; this one waited, then gave up.',
    retry: 'backoff',
    exit: 1,
  },
  E_CONNECTOR_AUTH: { meaning: 'The helpdesk rejected the credentials.', retry: 'no', exit: 1 },
  E_CONNECTOR_NOT_FOUND: {
    meaning: 'The helpdesk instance or subdomain does not exist.',
    retry: 'no',
    exit: 1,
  },
  E_CONNECTOR_RESPONSE: {
    meaning: 'The helpdesk answered with something that is not the expected JSON.',
    retry: 'no',
    exit: 1,
  },
  E_CONNECTOR_RATE_LIMIT: {
    meaning: 'The helpdesk rate limit asks for a longer wait than the cap.',
    retry: 'after-wait',
    exit: 1,
  },
  E_CONNECTOR_UNAVAILABLE: {
    meaning: 'The helpdesk could not be reached after retries.',
    retry: 'backoff',
    exit: 1,
  },
  E_SYNC_FAILED: {
    meaning: "Every stream of a snapshot's sync failed; no snapshot was stored.",
    retry: 'no',
    exit: 1,
  },
  E_REDIS_UNAVAILABLE: {
    meaning: 'Redis (REDIS_URL) could not be reached, or lost the queued job.',
    retry: 'backoff',
    exit: 1,
  },
  E_UNAUTHORIZED: {
    meaning: 'The API request carries no token, or one that is unknown or revoked.',
    retry: 'no',
    exit: 1,
  },
  E_FORBIDDEN: {
    meaning: "The API token's role does not allow this request.",
    retry: 'no',
    exit: 1,
  },
  E_NOT_FOUND: {
    meaning: 'No snapshot, job, token or route has that name or id.',
    retry: 'no',
    exit: 1,
  },
} as const satisfies Record<string, ErrorPolicy>;

export type ErrorCode = keyof typeof errorCatalogue;

/** Each code's meaning (the README's "Error codes" table). */
export const errorCodes = Object.fromEntries(
  Object.entries(errorCatalogue).map(([code, p]) => [code, p.meaning]),
) as { [C in ErrorCode]: (typeof errorCatalogue)[C]['meaning'] };

export const errorPolicy = (code: ErrorCode): ErrorPolicy => errorCatalogue[code];

export class MaturityError extends Error {
  readonly code: ErrorCode;

  /** For rate limits: how long the source asked us to wait. */
  readonly retryAfterMs?: number;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'MaturityError';
    this.code = code;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether a queue may run the job again (the catalogue's policy for this code). */
  get retryable(): boolean {
    return errorCatalogue[this.code].retry !== 'no';
  }
}

export const inputError = (message: string) => new MaturityError('E_INPUT', message);

/**
 * The one-line sentence users see for a zod failure: "<where>: <message>" for its first issue.
 * `where` is the issue's path joined with dots, `label(path)` when given (e.g. a CLI flag name),
 * or `top` for an issue about the whole value. `separator` (default ": ") goes between the two;
 * " " where the messages are phrases that follow a name ("--tickets must be …").
 */
export function zodSentence(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  o: { top?: string; label?: (path: readonly PropertyKey[]) => string; separator?: string } = {},
): string {
  const issue = error.issues[0];
  const separator = o.separator ?? ': ';
  if (!issue) return `${o.top ?? 'value'}${separator}is invalid`;
  const where = issue.path.length
    ? (o.label?.(issue.path) ?? issue.path.map(String).join('.'))
    : (o.top ?? 'value');
  return `${where}${separator}${issue.message}`;
}
