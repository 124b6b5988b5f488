import { inputError } from '../../src/errors.js';
import { commaList, defineCli } from '../shared/connector-cli.js';

/**
 * `maturity connect zendesk`: its flags and how they become the settings and credentials, which
 * config.ts's schemas then parse. Free of zod, so `maturity connect --help` loads no schema.
 */
export const cli = defineCli({
  description: 'connect a Zendesk account with an admin API token (or an OAuth token)',
  options: {
    subdomain: {
      help: 'acme, acme.zendesk.com or https://acme.zendesk.com',
      arg: 'subdomain',
      required: true,
      address: true,
    },
    email: { help: "an admin's email address (with --token)", arg: 'email' },
    token: { help: 'an API token from Admin Center', arg: 'token', secret: true },
    oauthToken: {
      help: 'an OAuth access token (instead of --email/--token)',
      arg: 'token',
      secret: true,
    },
    baseUrl: {
      help: 'another host for the API (a proxy, a test server)',
      arg: 'url',
      address: true,
    },
    planField: {
      help: 'organisation field that holds the support plan (without it or --plan-tags, plans found only by a name are undetermined)',
      arg: 'key',
    },
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
