import { z } from 'zod';
import { defineCli } from '../shared/connector-cli.js';

/**
 * The connector's settings (stored in clear) and credentials (sealed). Name the keys after the
 * flags (`url` ► `--url`): a zod issue is then reported under the flag the user typed.
 */
export const TemplateConfig = z.object({
  /** The account's API address. */
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://acme.example' }),
});
export type TemplateConfig = z.infer<typeof TemplateConfig>;

export const TemplateSecret = z.object({
  token: z.string().min(1, 'is empty'),
});
export type TemplateSecret = z.infer<typeof TemplateSecret>;

/** `maturity connect template`: its flags and how they become the settings and credentials. */
export const cli = defineCli({
  description: 'connect an account of the template helpdesk with an API token',
  options: {
    url: { help: 'the account address, like https://acme.example', arg: 'url', required: true },
    token: { help: 'an API token', arg: 'token', required: true },
  },
  // Throw inputError(...) here for a combination of flags that cannot work.
  input: (f) => ({ config: { url: f.url }, secret: { token: f.token } }),
  example: ['--url', 'https://acme.example', '--token', 'tok-123'],
});
