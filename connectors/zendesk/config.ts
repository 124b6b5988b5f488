import { z } from 'zod';
import { inputError } from '../../src/errors.js';
import { commaList, defineCli } from '../shared/connector-cli.js';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Accepts `acme`, `acme.zendesk.com` or `https://acme.zendesk.com/...` and returns the subdomain
 * label and the account's base URL. Returns an error sentence when the label is not valid.
 */
export function parseSubdomain(input: string): { subdomain: string; url: string } | string {
  const raw = input.trim().toLowerCase();
  let host = raw;
  if (/^[a-z]+:\/\//.test(raw)) {
    try {
      host = new URL(raw).hostname;
    } catch {
      return `"${input}" is not a valid URL`;
    }
  } else {
    host = raw.replace(/\/.*$/, '');
  }
  const label = host.endsWith('.zendesk.com') ? host.slice(0, -'.zendesk.com'.length) : host;
  if (!LABEL.test(label)) {
    return `"${input}" is not a Zendesk subdomain: give the part before .zendesk.com (letters, digits and "-"), e.g. acme for https://acme.zendesk.com`;
  }
  return { subdomain: label, url: `https://${label}.zendesk.com` };
}

export const ZendeskConfig = z
  .object({
    subdomain: z.string().min(1, 'the Zendesk subdomain is required'),
    /** Another host for the same API: a proxy, a test server, the built-in simulator. */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
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
    const parsed = parseSubdomain(c.subdomain);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', path: ['subdomain'], message: parsed });
      return z.NEVER;
    }
    return { ...c, subdomain: parsed.subdomain, baseUrl: c.baseUrl ?? parsed.url };
  });
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

/** `maturity connect zendesk`: its flags and how they become the settings and credentials. */
export const cli = defineCli({
  description: 'connect a Zendesk account with an admin API token (or an OAuth token)',
  options: {
    subdomain: {
      help: 'acme, acme.zendesk.com or https://acme.zendesk.com',
      arg: 'subdomain',
      required: true,
    },
    email: { help: "an admin's email address (with --token)", arg: 'email' },
    token: { help: 'an API token from Admin Center', arg: 'token' },
    oauthToken: { help: 'an OAuth access token (instead of --email/--token)', arg: 'token' },
    baseUrl: { help: 'another host for the API (a proxy, a test server)', arg: 'url' },
    planField: { help: 'organisation field that holds the support plan', arg: 'key' },
    planTags: { help: 'comma-separated organisation tags that name plans', arg: 'tags' },
    knowledgeTags: {
      help: 'comma-separated ticket tags meaning "answered with an article"',
      arg: 'tags',
    },
    since: {
      help: 'history to export on the first sync (YYYY-MM-DD; default two years)',
      arg: 'date',
    },
  },
  input(f) {
    if (f.oauthToken && (f.email || f.token))
      throw inputError('give either --email and --token, or --oauth-token, not both');
    if (!f.oauthToken && !(f.email && f.token))
      throw inputError('--email and --token are required (or --oauth-token)');
    const planTags = commaList(f.planTags);
    const knowledgeTags = commaList(f.knowledgeTags);
    return {
      config: {
        subdomain: f.subdomain,
        ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
        ...(f.planField ? { planField: f.planField } : {}),
        ...(planTags ? { planTags } : {}),
        ...(knowledgeTags ? { knowledgeTags } : {}),
        ...(f.since ? { since: f.since } : {}),
      },
      secret: f.oauthToken ? { oauthToken: f.oauthToken } : { email: f.email, token: f.token },
    };
  },
  example: ['--subdomain', 'acme', '--email', 'admin@acme.example', '--token', 'tok-123'],
});
