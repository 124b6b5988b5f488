import { z } from 'zod';
import { addressUrl } from '../shared/address-url.js';
import { checkAddress, cliAddresses, type AddressPolicy } from '../shared/check-address.js';

const HOST =
  /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/**
 * --instance: an https URL naming a host, normalised to its origin (https://acme.service-now.com),
 * through the shared address check (no user or password, no metadata or link-local host,
 * private ones as the policy says).
 */
const instanceUrl = (addresses: AddressPolicy) =>
  z.string().transform((raw, ctx) => {
    const r = checkAddress(raw, {
      policy: addresses,
      httpsOnly: true,
      example: 'https://acme.service-now.com',
    });
    const u = 'url' in r ? r.url : undefined;
    const problem = !u
      ? 'problem' in r && r.problem
      : !HOST.test(u.hostname)
        ? `must name a host such as acme.service-now.com (got "${raw}")`
        : (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash
          ? `must be the instance address only, without a path or query (got "${raw}")`
          : '';
    if (problem || !u) {
      ctx.addIssue({ code: 'custom', message: problem || 'is invalid' });
      return z.NEVER;
    }
    return u.origin;
  });

/**
 * The settings under an address policy (check-address.ts): `ServiceNowConfig` is the command
 * line's (private and loopback hosts allowed); the HTTP API builds it with
 * `{ allowPrivate: false }`. `--base-url` (a proxy, a test server) may use http.
 */
export const serviceNowConfig = (addresses: AddressPolicy = cliAddresses) =>
  z.object({
    instance: instanceUrl(addresses),
    baseUrl: addressUrl(addresses).optional(),
    /** Basic-auth user (not secret); absent with an OAuth token. */
    user: z.string().min(1).max(200).optional(),
    /** The OAuth application's client id, with a refresh token (Application Registry). */
    oauthClientId: z.string().min(1).max(200).optional(),
    /** Records per Table API page (sysparm_limit). */
    pageSize: z.number().int().min(1).max(10_000).optional(),
    /** Surveys count for CSAT when triggered by a record of these tables (default: incident). */
    surveyTriggerTables: z
      .array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a table name such as incident'))
      .min(1)
      .max(20)
      .optional(),
  });
export const ServiceNowConfig = serviceNowConfig();
export type ServiceNowConfig = z.infer<typeof ServiceNowConfig>;

/**
 * Basic auth (with config.user), an OAuth access token as it stands, or an OAuth refresh token
 * with the application's secret (config.oauthClientId), from which access tokens are made as
 * they expire (an instance's last 30 minutes by default).
 */
export const ServiceNowSecret = z
  .object({
    password: z.string().min(1).max(1000).optional(),
    oauthToken: z.string().min(1).max(5000).optional(),
    oauthRefreshToken: z.string().min(1).max(5000).optional(),
    oauthClientSecret: z.string().min(1).max(1000).optional(),
  })
  .refine((s) => Boolean(s.password || s.oauthToken || s.oauthRefreshToken), {
    path: ['password'],
    message: 'required (or --oauth-token, or --oauth-refresh-token)',
  })
  .refine((s) => !s.oauthRefreshToken || s.oauthClientSecret, {
    path: ['oauthClientSecret'],
    message: 'required with --oauth-refresh-token',
  });
export type ServiceNowSecret = z.infer<typeof ServiceNowSecret>;
