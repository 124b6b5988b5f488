import { pino, type DestinationStream, type Logger } from 'pino';

/** Keys that hold credentials anywhere in a logged object: never printed. */
export const secretKeys = [
  'token',
  'apiToken',
  'oauthToken',
  'password',
  'secret',
  'authorization',
  'Authorization',
  'cookie',
  'MATURITY_SECRET',
];

const paths = secretKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`, `*.*.*.*.${k}`]);

/**
 * What of an error may be logged: its name, message and code, never its cause (which can hold
 * request headers). Idempotent, so a logged `err` that already went through it (the logger's
 * serializer applies it again) keeps its message. An AggregateError (a host with several
 * addresses refused them all) without a message takes its first error's.
 */
export const safeError = (err: unknown): { name?: string; message: string; code?: string } => {
  if (err instanceof Error) {
    const code = 'code' in err && err.code !== undefined ? { code: String(err.code) } : {};
    const inner = err instanceof AggregateError ? (err.errors as unknown[])[0] : undefined;
    const message =
      err.message || (inner instanceof Error ? inner.message : '') || code.code || err.name;
    return { name: err.name, message, ...code };
  }
  if (
    err &&
    typeof err === 'object' &&
    typeof (err as { message?: unknown }).message === 'string'
  ) {
    const e = err as { name?: unknown; message: string; code?: unknown };
    return {
      ...(typeof e.name === 'string' ? { name: e.name } : {}),
      message: e.message,
      ...(e.code !== undefined ? { code: String(e.code) } : {}),
    };
  }
  return { message: String(err) };
};

/** JSON logs on stderr (stdout is for command output), with every secret-bearing key censored. */
export function createLogger(level = 'warn', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths, censor: '[redacted]' },
      serializers: { err: safeError },
    },
    destination ?? pino.destination(2),
  );
}
