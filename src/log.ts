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

/** What of an error may be logged: its code and message, never its cause (which can hold request headers). */
export const safeError = (err: unknown) =>
  err instanceof Error
    ? { name: err.name, message: err.message, ...('code' in err ? { code: String(err.code) } : {}) }
    : { message: String(err) };

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
