import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { MaturityError } from '../errors.js';
import { createLogger } from '../log.js';
import type { CliContext } from './context.js';
import { checkedString, parseFlags, wholeNumber } from './flags.js';

export const ServeFlags = z.object({
  /** Default: PORT, else 8080. */
  port: wholeNumber(1, 65535).optional(),
  host: checkedString((h) =>
    h.trim() && !/[\s/]/.test(h) ? undefined : `must be a host name or IP address (got "${h}")`,
  ).default('127.0.0.1'),
  /** With no token configured, serve anyway: on a loopback address only, anyone local is admin. */
  insecureLocal: z.boolean().default(false),
  /** Accounts connected through the API may name private and loopback hosts. */
  allowPrivateAddresses: z.boolean().default(false),
});
export type ServeFlags = z.infer<typeof ServeFlags>;

/** Whether a host only answers this machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

const urlHost = (host: string) => (isIPv6(host) ? `[${host}]` : host);

export interface ServeOptions {
  /** Resolves when the server should stop (default: SIGINT or SIGTERM). */
  stop?: Promise<unknown>;
  /** Called once the server listens, with its address. */
  onListening?: (url: string) => void;
}

/**
 * `maturity serve`: the HTTP API (and the review page) until SIGINT or SIGTERM, then a graceful
 * stop: no new requests, in-flight ones and in-process snapshot jobs finish, the queues and the
 * store close. On the embedded store the server holds it while it runs: another command fails
 * at once, pointing at the API. It refuses to start with no token configured (MATURITY_API_TOKEN
 * or `maturity tokens create`), unless `--insecure-local` on a loopback address.
 */
export async function serveCommand(
  ctx: CliContext,
  rawFlags: unknown,
  o: ServeOptions = {},
): Promise<void> {
  const flags = parseFlags(ServeFlags, rawFlags);
  const port = flags.port ?? ctx.config.PORT;
  const host = flags.host.trim();
  if (flags.insecureLocal && !isLoopbackHost(host))
    throw new MaturityError(
      'E_INPUT',
      `--insecure-local serves without tokens, so only on a loopback --host (127.0.0.1, ::1 or localhost), not ${host}`,
    );
  const queue = ctx.config.REDIS_URL ? ctx.queueSetup() : undefined;
  const url = `http://${urlHost(host)}:${port}/api/v1`;
  const store = await ctx.openStore({ serving: url });

  const { tokensConfigured } = await import('../server/api-tokens.js');
  const envToken = ctx.config.MATURITY_API_TOKEN;
  if (!(await tokensConfigured(store, envToken)) && !flags.insecureLocal)
    throw new MaturityError(
      'E_CONFIG',
      'no API token is configured: set MATURITY_API_TOKEN, or create one first with: maturity tokens create NAME --role admin (for a try on this machine only: maturity serve --insecure-local)',
    );
  if (queue) {
    const { checkRedis } = await import('../jobs/queues.js');
    await checkRedis(queue);
  }

  const { buildServer } = await import('../server/app.js');
  const logger = createLogger(ctx.config.LOG_LEVEL);
  const app = await buildServer({
    store,
    rules: ctx.rules(),
    box: ctx.secretBox(),
    ...(envToken ? { envToken } : {}),
    ...(flags.insecureLocal ? { insecureLocal: true } : {}),
    allowPrivateAddresses:
      flags.allowPrivateAddresses || ctx.config.MATURITY_ALLOW_PRIVATE_ADDRESSES,
    ...(queue ? { queue } : {}),
    logger,
  });
  const stopped = o.stop ?? stopSignal(ctx);
  try {
    await app.listen({ port, host });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new MaturityError(
      'E_CONFIG',
      code === 'EADDRINUSE'
        ? `port ${port} on ${host} is in use: stop what listens there, or pass --port`
        : `cannot listen on ${host}:${port} (${code ?? (err as Error).message})`,
    );
  }
  o.onListening?.(url);
  ctx.io.out(
    `maturity serve: review page at ${url.replace(/\/api\/v1$/, '/')}, API at ${url} (OpenAPI: ${url}/openapi.json, docs: ${url}/docs)${flags.insecureLocal && !envToken ? '; no token needed while none exists (--insecure-local)' : ''}; stop with Ctrl-C`,
  );
  await stopped;
  ctx.io.err('maturity serve: stopping (in-flight requests and jobs finish first)…');
  await app.close();
  logger.flush();
}

/** Resolves on the first SIGINT or SIGTERM; a second one ends the process at once. */
function stopSignal(ctx: CliContext): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      process.once('SIGINT', again);
      process.once('SIGTERM', again);
      resolve(signal);
    };
    const again = () => {
      ctx.io.err('maturity serve: stopping now');
      process.exit(1);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}
