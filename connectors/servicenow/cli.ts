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
      help: 'an OAuth access token (instead of --user/--password; it expires, so syncs stop)',
      arg: 'token',
      secret: true,
    },
    oauthClientId: {
      help: "the OAuth application's client id (with --oauth-refresh-token)",
      arg: 'id',
    },
    oauthClientSecret: {
      help: "the OAuth application's client secret (with --oauth-refresh-token)",
      arg: 'secret',
      secret: true,
    },
    oauthRefreshToken: {
      help: 'an OAuth refresh token: access tokens are made from it as they expire',
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
    const ways = [
      f.user || f.password ? '--user and --password' : '',
      f.oauthToken ? '--oauth-token' : '',
      f.oauthRefreshToken || f.oauthClientId || f.oauthClientSecret ? '--oauth-refresh-token' : '',
    ].filter(Boolean);
    if (ways.length > 1) throw inputError(`give one way to sign in, not ${ways.join(' and ')}`);
    if (f.oauthRefreshToken || f.oauthClientId || f.oauthClientSecret) {
      if (!(f.oauthRefreshToken && f.oauthClientId && f.oauthClientSecret))
        throw inputError(
          '--oauth-refresh-token needs --oauth-client-id and --oauth-client-secret (all three)',
        );
    } else if (!f.oauthToken && !(f.user && f.password))
      throw inputError(
        '--user and --password are required (or --oauth-token, or --oauth-refresh-token)',
      );
    return {
      config: {
        instance: f.instance,
        ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
        ...(f.user ? { user: f.user } : {}),
        ...(f.oauthClientId ? { oauthClientId: f.oauthClientId } : {}),
      },
      secret: f.oauthRefreshToken
        ? { oauthRefreshToken: f.oauthRefreshToken, oauthClientSecret: f.oauthClientSecret }
        : f.oauthToken
          ? { oauthToken: f.oauthToken }
          : { password: f.password },
    };
  },
  example: ['--instance', 'https://acme.service-now.com', '--user', 'reader', '--password', 'pw'],
});
