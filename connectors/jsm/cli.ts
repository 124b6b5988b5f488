import { defineCli } from '../shared/connector-cli.js';

/**
 * `maturity connect jsm`: its flags and how they become the settings and credentials, which
 * config.ts's schemas then parse. Free of zod, so `maturity connect --help` loads no schema.
 */
export const cli = defineCli({
  description: 'connect a Jira Service Management site with an email and API token',
  options: {
    site: {
      help: 'acme, acme.atlassian.net or https://acme.atlassian.net',
      arg: 'site',
      required: true,
      address: true,
    },
    email: {
      help: "the Atlassian account's email (a Jira administrator who is an agent reads everything)",
      arg: 'email',
      required: true,
    },
    token: {
      help: 'an API token of that account (id.atlassian.com ► Security ► API tokens)',
      arg: 'token',
      required: true,
      secret: true,
    },
    project: {
      help: 'only this service project (its key; default: every service desk)',
      arg: 'key',
    },
    baseUrl: {
      help: 'another host for the API (a proxy, a test server)',
      arg: 'url',
      address: true,
    },
    since: {
      help: 'history to read on the first sync (YYYY-MM-DD; default two years)',
      arg: 'date',
    },
    teamField: {
      help: 'the issue field that names the team (its name or id; default: a field named Team)',
      arg: 'field',
    },
  },
  input: (f) => ({
    config: {
      site: f.site,
      ...(f.project ? { project: f.project } : {}),
      ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
      ...(f.since ? { since: f.since } : {}),
      ...(f.teamField ? { teamField: f.teamField } : {}),
    },
    secret: { email: f.email, token: f.token },
  }),
  example: ['--site', 'acme', '--email', 'admin@acme.example', '--token', 'token-123'],
});
