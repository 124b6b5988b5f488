import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { AddressPolicy } from '../../connectors/shared/check-address.js';
import type { HttpClientOptions } from '../../connectors/shared/http-client.js';
import type { RuleSet } from '../engine/index.js';
import type { QueueSetup } from '../jobs/queues.js';
import type { SecretBox } from '../store/secrets.js';
import type { Store } from '../store/store.js';
import type { SnapshotJobs } from './snapshot-jobs.js';

/** Where the JSON API lives. */
export const API = '/api/v1';

export interface ServerOptions {
  store: Store;
  rules: RuleSet;
  box: SecretBox;
  /** MATURITY_API_TOKEN: an admin token named "env". */
  envToken?: string;
  /**
   * `--insecure-local` (the caller checked that the address is loopback): while no token exists,
   * a request without one acts as an admin named "local".
   */
  insecureLocal?: boolean;
  /**
   * Let accounts connected through the API name private and loopback hosts (`serve
   * --allow-private-addresses`); link-local and cloud metadata addresses are refused whatever it
   * says.
   */
  allowPrivateAddresses?: boolean;
  /** Queued mode (REDIS_URL with DATABASE_URL): snapshots run on the workers. */
  queue?: QueueSetup;
  /** Connector HTTP client options (tests). */
  clientOptions?: Partial<HttpClientOptions>;
  /** Request and error logs (pino, with secrets redacted); none when absent. */
  logger?: Logger;
  /** The clock decisions are judged by (tests); default the real one. */
  now?: () => Date;
}

/** Which hosts the server may call for an account: private ones only when the operator says so. */
export const addressPolicy = (o: Pick<ServerOptions, 'allowPrivateAddresses'>): AddressPolicy => ({
  allowPrivate: o.allowPrivateAddresses === true,
});

/** What route modules get. */
export interface ServerContext extends ServerOptions {
  jobs: SnapshotJobs;
}

/** The app as route modules see it: zod schemas type the requests and replies. */
export type ZodApp = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;
