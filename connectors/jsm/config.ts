import { z } from 'zod';
import { accountHost } from '../shared/account-host.js';
import { addressUrl } from '../shared/address-url.js';
import { cliAddresses, type AddressPolicy } from '../shared/check-address.js';

/**
 * `acme`, `acme.atlassian.net` or `https://acme.atlassian.net/...` ► the site's label and its API
 * address (the shared account-host reading). Jira Cloud's REST APIs answer on the site's
 * atlassian.net name, so any other host goes through `--base-url`. Returns the phrase that
 * follows `--site` when it is not valid.
 */
export function parseSite(
  input: string,
  policy: AddressPolicy = cliAddresses,
): { site: string; url: string } | string {
  const r = accountHost(input, {
    policy,
    suffix: '.atlassian.net',
    credentialsFlag: '--email and --token',
    notLabel: (shown) =>
      `"${shown}" is not a Jira Cloud site: give the site's name before .atlassian.net (e.g. acme for https://acme.atlassian.net), and --base-url for another host`,
  });
  return typeof r === 'string' ? r : { site: r.label, url: r.url };
}

/** A Jira project key as JQL and the service desk API write it (e.g. IT, HELP, SD2). */
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

/**
 * The settings under an address policy (check-address.ts): `JsmConfig` is the command line's
 * (private and loopback hosts allowed); the HTTP API builds it with `{ allowPrivate: false }`.
 */
export const jsmConfig = (addresses: AddressPolicy = cliAddresses) =>
  z
    .object({
      site: z.string().min(1, 'the Jira Cloud site is required'),
      /** Another host for the same API: a proxy, a test server. */
      baseUrl: addressUrl(addresses).optional(),
      /** Only this service project (its key); default every service desk the account sees. */
      project: z
        .string()
        .transform((k) => k.trim().toUpperCase())
        .pipe(
          z
            .string()
            .regex(PROJECT_KEY, 'must be a project key (capital letters and digits, e.g. IT)'),
        )
        .optional(),
      /** History to read on the first sync (ISO date); default two years. */
      since: z.iso.date().optional(),
      /** The issue field naming the team (name or id, e.g. Team or customfield_10001). */
      teamField: z.string().trim().min(1).max(200).optional(),
      /** Issues per search page (Jira's default is 50; it may answer fewer). */
      pageSize: z.number().int().min(1).max(5000).default(100),
    })
    .transform((c, ctx) => {
      const parsed = parseSite(c.site, addresses);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', path: ['site'], message: parsed });
        return z.NEVER;
      }
      return { ...c, site: parsed.site, baseUrl: c.baseUrl ?? parsed.url };
    });
export const JsmConfig = jsmConfig();
export type JsmConfig = z.output<typeof JsmConfig>;

export const JsmSecret = z.object({
  email: z.email('--email must be the email address of an Atlassian account'),
  token: z.string().min(1, '--token is empty'),
});
export type JsmSecret = z.infer<typeof JsmSecret>;

/** Basic auth with the account's email and an API token, as Jira Cloud documents for scripts. */
export const authHeader = (secret: JsmSecret): string =>
  `Basic ${Buffer.from(`${secret.email}:${secret.token}`).toString('base64')}`;
