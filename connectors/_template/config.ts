import { z } from 'zod';
import { addressUrl } from '../shared/address-url.js';
import { cliAddresses, type AddressPolicy } from '../shared/check-address.js';

/**
 * The connector's settings (stored in clear) and credentials (sealed). Name the keys after the
 * flags (`url` ► `--url`): a zod issue is then reported under the flag the user typed.
 *
 * Every setting that names a host to call is an `addressUrl` (connectors/shared/address-url.ts):
 * the one address check (no metadata or link-local host in any spelling, no user or password in
 * the URL, private hosts as the policy says). The settings are built for an address policy:
 * `TemplateConfig` is the command line's, the HTTP API asks `templateConfig({ allowPrivate: false })`.
 */
export const templateConfig = (addresses: AddressPolicy = cliAddresses) =>
  z.object({
    /** The account's API address. */
    url: addressUrl(addresses),
  });
export const TemplateConfig = templateConfig();
export type TemplateConfig = z.infer<typeof TemplateConfig>;

export const TemplateSecret = z.object({
  token: z.string().min(1, 'is empty'),
});
export type TemplateSecret = z.infer<typeof TemplateSecret>;
