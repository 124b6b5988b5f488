import { z } from 'zod';
import { checkAddress, type AddressPolicy } from './check-address.js';

/**
 * A setting that names a host to call (`--base-url`, `--instance`, `--url`…), checked with the
 * one address check (check-address.ts) under `policy`: http(s) (https only with `httpsOnly`),
 * no user name or password, no link-local or metadata host, private ones as the policy says.
 * The value kept is the URL as WHATWG URL normalises it (`http://0x7f.1:9/` ► `http://127.0.0.1:9`),
 * so the host stored and called is the one that was checked; a trailing slash is dropped.
 */
export const addressUrl = (
  policy: AddressPolicy,
  o: { httpsOnly?: boolean; example?: string } = {},
) =>
  z.string().transform((raw, ctx) => {
    const r = checkAddress(raw, { policy, ...o });
    if ('problem' in r) {
      ctx.addIssue({ code: 'custom', message: r.problem });
      return z.NEVER;
    }
    return r.url.href.replace(/\/+$/, '');
  });
