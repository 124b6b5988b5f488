import { z } from 'zod';
import { accountHost } from '../shared/account-host.js';
import { addressUrl } from '../shared/address-url.js';
import { cliAddresses, type AddressPolicy } from '../shared/check-address.js';

/**
 * `acme`, `acme.freshdesk.com` or `https://acme.freshdesk.com/...` ► the account's label and its
 * API address (the shared account-host reading). Freshdesk's API answers only on the account's
 * freshdesk.com name, never on a custom portal domain (https://developers.freshdesk.com/api/:
 * "works only via Freshdesk domains and not via custom CNAMEs"), so another host is refused with a
 * sentence saying so. Returns the phrase that follows `--domain` when it is not valid.
 */
export function parseDomain(
  input: string,
  policy: AddressPolicy = cliAddresses,
): { domain: string; url: string } | string {
  const r = accountHost(input, {
    policy,
    suffix: '.freshdesk.com',
    credentialsFlag: '--api-key',
    notLabel: (shown) =>
      `"${shown}" is not a Freshdesk domain: give the account's name before .freshdesk.com (e.g. acme for https://acme.freshdesk.com; the API does not answer on custom portal domains), and --base-url for another host`,
  });
  return typeof r === 'string' ? r : { domain: r.label, url: r.url };
}

/**
 * The settings under an address policy (check-address.ts): `FreshdeskConfig` is the command
 * line's (private and loopback hosts allowed); the HTTP API builds it with `{ allowPrivate: false }`.
 */
export const freshdeskConfig = (addresses: AddressPolicy = cliAddresses) =>
  z
    .object({
      domain: z.string().min(1, 'the Freshdesk domain is required'),
      /** Another host for the same API: a proxy, a test server. */
      baseUrl: addressUrl(addresses).optional(),
      /** History to read on the first sync (ISO date); default two years. */
      since: z.iso.date().optional(),
      /** Company field that holds the plan: a custom field's name, or account_tier (default). */
      planField: z.string().min(1).max(200).optional(),
      /**
       * The deepest page Freshdesk serves for one query (documented: 300). A page past it is
       * never asked for: updated_since moves forward instead (streams/ticket-pages.ts).
       */
      pageCeiling: z.number().int().min(2).max(10_000).default(300),
    })
    .transform((c, ctx) => {
      const parsed = parseDomain(c.domain, addresses);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', path: ['domain'], message: parsed });
        return z.NEVER;
      }
      return { ...c, domain: parsed.domain, baseUrl: c.baseUrl ?? parsed.url };
    });
export const FreshdeskConfig = freshdeskConfig();
export type FreshdeskConfig = z.output<typeof FreshdeskConfig>;

export const FreshdeskSecret = z.object({
  apiKey: z.string().min(1, '--api-key is empty'),
});
export type FreshdeskSecret = z.infer<typeof FreshdeskSecret>;

/** Basic auth with the API key as the user and `X` as the password, as Freshdesk documents. */
export const authHeader = (secret: FreshdeskSecret): string =>
  `Basic ${Buffer.from(`${secret.apiKey}:X`).toString('base64')}`;
