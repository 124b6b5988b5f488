import { defineCli } from '../shared/connector-cli.js';

/**
 * `maturity connect template`: its flags and how they become the settings and credentials, which
 * config.ts's schemas then parse. Free of zod, so `maturity connect --help` loads no schema.
 */
export const cli = defineCli({
  description: 'connect an account of the template helpdesk with an API token',
  // `address: true` on a flag naming a host to call (its setting is an addressUrl in config.ts);
  // `secret: true` on a credential: it may then also come from --token-file, --token-stdin or
  // MATURITY_<ID>_TOKEN, and is never printed.
  options: {
    url: {
      help: 'the account address, like https://acme.example',
      arg: 'url',
      required: true,
      address: true,
    },
    token: { help: 'an API token', arg: 'token', required: true, secret: true },
  },
  // Throw inputError(...) (src/errors.ts) for a combination of flags that cannot work.
  input: (f) => ({ config: { url: f.url }, secret: { token: f.token } }),
  example: ['--url', 'https://acme.example', '--token', 'tok-123'],
});
