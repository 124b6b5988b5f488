import { inputError } from '../../src/errors.js';
import { defineCli } from '../shared/connector-cli.js';

/**
 * `maturity connect servicenow`: its flags and how they become the settings and credentials, which
 * config.ts's schemas then parse. Free of zod, so `maturity connect --help` loads no schema.
 */
export const cli = defineCli({
  description: 'connect a ServiceNow instance with a user and password (or an OAuth token)',
  options: {
    instance: {
      help: 'the instance address, like https://acme.service-now.com',
      arg: 'url',
      required: true,
      address: true,
    },
    user: { help: 'a user with the itil role (and read on the tables in the README)', arg: 'user' },
    password: { help: "the user's password", arg: 'password', secret: true },
    oauthToken: {
      help: 'an OAuth access token (instead of --user/--password)',
      arg: 'token',
      secret: true,
    },
    baseUrl: {
      help: 'another host for the API (a proxy, a test server)',
      arg: 'url',
      address: true,
    },
  },
  input(f) {
    if (f.oauthToken && (f.user || f.password))
      throw inputError('give either --user and --password, or --oauth-token, not both');
    if (!f.oauthToken && !(f.user && f.password))
      throw inputError('--user and --password are required (or --oauth-token)');
    return {
      config: {
        instance: f.instance,
        ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
        ...(f.user ? { user: f.user } : {}),
      },
      secret: f.oauthToken ? { oauthToken: f.oauthToken } : { password: f.password },
    };
  },
  example: ['--instance', 'https://acme.service-now.com', '--user', 'reader', '--password', 'pw'],
});
