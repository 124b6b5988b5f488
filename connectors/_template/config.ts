import { z } from 'zod';

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
