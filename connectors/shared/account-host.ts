import { isIPv6 } from 'node:net';
import { checkAddress, hostProblem, withoutUserinfo, type AddressPolicy } from './check-address.js';

/** A DNS label: the account's name in a vendor's domain (`acme` in acme.zendesk.com). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * An account flag that names a vendor-hosted account (`--subdomain`, `--domain`, `--site`): `acme`,
 * `acme.<suffix>` or `https://acme.<suffix>/...` ► the label and the account's base URL. A host
 * given in full (a URL, a dotted name, an IP address) goes through the shared address check first,
 * so a metadata or link-local address is named as such; anything else that is not a label under
 * `suffix` gets `notLabel(input)`. Returns the phrase that follows the flag when it is not valid.
 */
export function accountHost(
  input: string,
  o: {
    policy: AddressPolicy;
    /** The vendor's domain, with its leading dot: `.zendesk.com`. */
    suffix: string;
    /** What to say about an input that is not the account's name (quotes it, without userinfo). */
    notLabel: (shown: string) => string;
    /** The flag that carries the credentials, for a URL that carries them instead. */
    credentialsFlag: string;
  },
): { label: string; url: string } | string {
  const raw = input.trim().toLowerCase();
  let host: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(raw)) {
    const r = checkAddress(raw, { policy: o.policy, example: `https://acme${o.suffix}` });
    if ('problem' in r) return r.problem;
    host = r.url.hostname;
  } else {
    host = raw.replace(/\/.*$/, '');
    if (host.includes('@'))
      return `must not carry a user name or password (give the credentials with ${o.credentialsFlag})`;
    if (!LABEL.test(host)) {
      let url: URL | undefined;
      try {
        url = new URL(`https://${isIPv6(host) ? `[${host}]` : host}`);
      } catch {
        // not a host either: said below
      }
      const problem = url && hostProblem(url.hostname, o.policy);
      if (problem) return problem;
    }
  }
  const label = host.endsWith(o.suffix) ? host.slice(0, -o.suffix.length) : host;
  if (!LABEL.test(label)) return o.notLabel(withoutUserinfo(input));
  return { label, url: `https://${label}${o.suffix}` };
}
