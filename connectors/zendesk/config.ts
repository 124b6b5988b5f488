import { z } from 'zod';
import { accountHost } from '../shared/account-host.js';
import { addressUrl } from '../shared/address-url.js';
import { cliAddresses, type AddressPolicy } from '../shared/check-address.js';

/**
 * Accepts `acme`, `acme.zendesk.com` or `https://acme.zendesk.com/...` and returns the subdomain
 * label and the account's base URL (the shared account-host reading: a host given in full goes
 * through the shared address check first). Returns an error phrase (following `--subdomain`) when
 * it is not valid.
 */
export function parseSubdomain(
  input: string,
  policy: AddressPolicy = cliAddresses,
): { subdomain: string; url: string } | string {
  const r = accountHost(input, {
    policy,
    suffix: '.zendesk.com',
    credentialsFlag: 'their own flags',
    notLabel: (shown) =>
      `"${shown}" is not a Zendesk subdomain: give the part before .zendesk.com (letters, digits and "-"), e.g. acme for https://acme.zendesk.com`,
  });
  return typeof r === 'string' ? r : { subdomain: r.label, url: r.url };
}

/**
 * The settings under an address policy (check-address.ts): `ZendeskConfig` is the command line's
 * (private and loopback hosts allowed); the HTTP API builds it with `{ allowPrivate: false }`.
 */
export const zendeskConfig = (addresses: AddressPolicy = cliAddresses) =>
  z
    .object({
      subdomain: z.string().min(1, 'the Zendesk subdomain is required'),
      /** Another host for the same API: a proxy, a test server, the built-in simulator. */
      baseUrl: addressUrl(addresses).optional(),
      /** Organisation field whose value names the plan (e.g. support_plan). */
      planField: z.string().min(1).max(200).optional(),
      /** Organisation tags that name plans (e.g. ["standard", "premium"]). */
      planTags: z.array(z.string().min(1).max(200)).max(100).optional(),
      /** Ticket tags that mean "linked to / resolved with a knowledge article". */
      knowledgeTags: z.array(z.string().min(1).max(200)).max(100).optional(),
      /** History to export on the first sync (ISO date); default two years. */
      since: z.iso.date().optional(),
      /** Client-side budget of the incremental exports (Zendesk documents 10 per minute). */
      incrementalPerMinute: z.number().int().min(1).max(100_000).default(10),
    })
    .transform((c, ctx) => {
      const parsed = parseSubdomain(c.subdomain, addresses);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', path: ['subdomain'], message: parsed });
        return z.NEVER;
      }
      return { ...c, subdomain: parsed.subdomain, baseUrl: c.baseUrl ?? parsed.url };
    });
export const ZendeskConfig = zendeskConfig();
export type ZendeskConfig = z.output<typeof ZendeskConfig>;

export const ZendeskSecret = z
  .object({
    email: z.email('--email must be the email address of a Zendesk admin').optional(),
    token: z.string().min(1, '--token is empty').optional(),
    oauthToken: z.string().min(1, '--oauth-token is empty').optional(),
  })
  .superRefine((s, ctx) => {
    if (s.oauthToken) return;
    if (!s.email)
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required with --token' });
    if (!s.token)
      ctx.addIssue({
        code: 'custom',
        path: ['token'],
        message: 'is required (an API token from Admin Center), or give --oauth-token',
      });
  });
export type ZendeskSecret = z.infer<typeof ZendeskSecret>;

/** The Authorization header: API token (email/token) or OAuth bearer. */
export function authHeader(secret: ZendeskSecret): string {
  if (secret.oauthToken) return `Bearer ${secret.oauthToken}`;
  return `Basic ${Buffer.from(`${secret.email}/token:${secret.token}`).toString('base64')}`;
}
