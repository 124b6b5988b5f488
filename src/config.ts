import path from 'node:path';
import { z } from 'zod';
import { MaturityError, zodSentence } from './errors.js';

const Env = z.object({
  MATURITY_HOME: z.string().min(1).default('./.maturity'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  MATURITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MATURITY_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  /**
   * `maturity serve`: accounts connected through the API may name private and loopback hosts (an
   * on-premises helpdesk). Off by default; link-local and metadata addresses are always refused.
   */
  MATURITY_ALLOW_PRIVATE_ADDRESSES: z.stringbool('must be true or false').default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  /** Seconds a command waits for another that holds the embedded store (0: do not wait). */
  MATURITY_STORE_WAIT: z.coerce
    .number('must be a number of seconds')
    .min(0, 'must be 0 or more seconds')
    .max(86_400, 'must be at most 86400 seconds (a day)')
    .default(60),
});

export type Config = z.infer<typeof Env> & { dbDir: string };

/** Reads every environment variable the product uses, once, at the edge. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    throw new MaturityError(
      'E_CONFIG',
      `environment variable ${zodSentence(parsed.error, { label: (p) => String(p[0]) }).replace(': ', ' ')}`,
    );
  }
  return { ...parsed.data, dbDir: path.resolve(parsed.data.MATURITY_HOME, 'db') };
}
