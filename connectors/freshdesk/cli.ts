import { defineCli } from '../shared/connector-cli.js';

/**
 * `maturity connect freshdesk`: its flags and how they become the settings and credentials, which
 * config.ts's schemas then parse. Free of zod, so `maturity connect --help` loads no schema.
 */
export const cli = defineCli({
  description: 'connect a Freshdesk account with an API key',
  options: {
    domain: {
      help: 'acme, acme.freshdesk.com or https://acme.freshdesk.com',
      arg: 'domain',
      required: true,
      address: true,
    },
    apiKey: {
      help: "an agent's API key (Profile settings ► View API key; an admin sees everything)",
      arg: 'key',
      required: true,
      secret: true,
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
    planField: {
      help: 'company field that holds the support plan (default: account_tier, whose tiers count as undetermined plans unless an SLA policy is applied to the companies of one of them)',
      arg: 'key',
    },
  },
  input: (f) => ({
    config: {
      domain: f.domain,
      ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
      ...(f.since ? { since: f.since } : {}),
      ...(f.planField ? { planField: f.planField } : {}),
    },
    secret: { apiKey: f.apiKey },
  }),
  example: ['--domain', 'acme', '--api-key', 'key-123'],
});
