import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * The one check of every address a connector is told to call (`--base-url`, `--instance`,
 * `--subdomain`, `--site`, `--domain`…): the settings schemas run it through `addressUrl`
 * (address-url.ts), the HTTP client runs it again on what a host name resolves to.
 *
 * Always refused, whatever the policy: link-local addresses (169.254.0.0/16, fe80::/10) and
 * cloud metadata endpoints (169.254.169.254, fd00:ec2::254, 100.100.100.200, 192.0.0.192 and
 * their host names: metadata, metadata.google.internal, instance-data…), multicast and reserved
 * ranges. A URL's host is parsed with WHATWG URL first, which turns every IPv4 spelling (decimal
 * 2852039166, hex 0xa9fea9fe, octal 0251.0376.0251.0376, short 169.254.43518, a trailing dot,
 * full-width digits) into dotted decimal; an IPv6 address that carries an IPv4 one (mapped
 * ::ffff:a9fe:a9fe, compatible ::a9fe:a9fe, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by
 * the IPv4 address inside.
 *
 * Private and loopback addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, 127/8, ::1,
 * localhost, names under .internal/.local/.home.arpa, one-label names) depend on the policy:
 * the CLI allows them (`cliAddresses`: an operator's own proxy, test server or the demo's
 * simulator on 127.0.0.1); an account created through the HTTP API passes
 * `{ allowPrivate: false }` unless the operator enables them, so a user of the API cannot make
 * the server call into its own network.
 */
export interface AddressPolicy {
  /** Allow private, shared (CGNAT), unique-local and loopback addresses and local names. */
  allowPrivate: boolean;
}

/** The command line's policy: the operator's own private and loopback hosts are fine. */
export const cliAddresses: AddressPolicy = { allowPrivate: true };

export type AddressClass =
  'public' | 'private' | 'loopback' | 'link-local' | 'metadata' | 'reserved';

const METADATA_IPS = ['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192'];
const METADATA_IP6 = ['fd00:ec2::254'];
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.tencentyun.com',
  'instance-data',
  'instance-data.ec2.internal',
]);

const list = (ranges: [string, number, 'ipv4' | 'ipv6'][]) => {
  const b = new BlockList();
  for (const [net, prefix, type] of ranges) b.addSubnet(net, prefix, type);
  return b;
};
const metadata = new BlockList();
for (const a of METADATA_IPS) metadata.addAddress(a, 'ipv4');
for (const a of METADATA_IP6) metadata.addAddress(a, 'ipv6');
const linkLocal = list([
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
const reserved = list([
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['ff00::', 8, 'ipv6'], // multicast
]);
const loopback = list([
  ['127.0.0.0', 8, 'ipv4'],
  ['0.0.0.0', 8, 'ipv4'], // "this host": connecting to it reaches the loopback
  ['::1', 128, 'ipv6'],
  ['::', 128, 'ipv6'],
]);
const privateNets = list([
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // shared address space (carrier-grade NAT)
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['fc00::', 7, 'ipv6'], // unique local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated)
]);

/** The class of an IP address (no brackets, no zone). */
export function classifyIp(ip: string): AddressClass {
  const type = isIPv4(ip) ? 'ipv4' : 'ipv6';
  if (type === 'ipv6') {
    const inner = embeddedIpv4(ip);
    if (inner) return classifyIp(inner);
  }
  if (metadata.check(ip, type)) return 'metadata';
  if (linkLocal.check(ip, type)) return 'link-local';
  if (reserved.check(ip, type)) return 'reserved';
  if (loopback.check(ip, type)) return 'loopback';
  if (privateNets.check(ip, type)) return 'private';
  return 'public';
}

/**
 * The class of a URL's host as WHATWG URL gives it (`URL#hostname`: IPv4 in dotted decimal,
 * IPv6 in brackets, names lower-case, punycode). A host name is judged by its text only: what
 * it resolves to is checked when the HTTP client connects (`checkResolved`).
 */
export function classifyHost(hostname: string): AddressClass {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIPv4(host) || isIPv6(host)) return classifyIp(host);
  const name = host.replace(/\.+$/, '').toLowerCase();
  if (
    METADATA_NAMES.has(name) ||
    name.endsWith('.metadata.google.internal') ||
    /^instance-data\.[a-z0-9-]+\.(compute\.)?internal$/.test(name)
  )
    return 'metadata';
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  if (!name.includes('.') || /\.(internal|local|home\.arpa)$/.test(name)) return 'private';
  return 'public';
}

/** What a host of this class is, when the policy refuses it. */
function refusal(cls: AddressClass, policy: AddressPolicy): string | undefined {
  if (cls === 'metadata') return 'a cloud metadata address';
  if (cls === 'link-local') return 'a link-local address';
  if (cls === 'reserved') return 'a multicast or reserved address';
  if ((cls === 'private' || cls === 'loopback') && !policy.allowPrivate)
    return 'a private or loopback address';
  return undefined;
}

/**
 * What is wrong with calling this host under the policy, as a phrase that follows the flag
 * (`--base-url must not point at a cloud metadata address (169.254.169.254)`); undefined when
 * it may be called.
 */
export function hostProblem(hostname: string, policy: AddressPolicy): string | undefined {
  const cls = classifyHost(hostname);
  const what = refusal(cls, policy);
  if (!what) return undefined;
  const why = cls === 'private' || cls === 'loopback' ? ': this server does not allow them' : '';
  const inner = embeddedIpv4(hostname.replace(/^\[(.*)\]$/, '$1'));
  return `must not point at ${what} (${hostname}${inner ? `, that is ${inner}` : ''})${why}`;
}

/**
 * Checks a URL the user typed: http(s) (or https only), no user name or password in it (the
 * message never repeats them), a host the policy allows. Returns the parsed URL, whose host is
 * the normalised one that was checked, or a phrase that follows the flag's name.
 */
export function checkAddress(
  raw: string,
  o: { policy: AddressPolicy; httpsOnly?: boolean; example?: string },
): { url: URL } | { problem: string } {
  const example = o.example ?? 'https://acme.example';
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return {
      problem: `must be an ${o.httpsOnly ? 'https' : 'http(s)'} URL like ${example} (got "${withoutUserinfo(raw)}")`,
    };
  }
  if (url.username || url.password)
    return {
      problem: 'must not carry a user name or password (give the credentials with their own flags)',
    };
  if (o.httpsOnly ? url.protocol !== 'https:' : !/^https?:$/.test(url.protocol))
    return {
      problem: `must use ${o.httpsOnly ? 'https' : 'http or https'} (got ${url.protocol.slice(0, -1)})`,
    };
  const problem = hostProblem(url.hostname, o.policy);
  return problem ? { problem } : { url };
}

/**
 * What is wrong with an address a host name resolved to (the HTTP client's lookup), so a name
 * that points at the metadata endpoint is refused when connecting, whatever it is called; and so
 * is a private one under a policy that refuses them. Undefined when it may be called.
 */
export function resolvedProblem(
  hostname: string,
  address: string,
  policy: AddressPolicy,
): string | undefined {
  const what = refusal(classifyIp(address), policy);
  return what && `${hostname} resolves to ${what} (${address}): refused`;
}

/**
 * An address as it may be repeated in a message: whatever comes before an `@` (a user name and
 * password, even in text that is not a URL: `user:secret@host`) becomes `***`.
 */
export const withoutUserinfo = (raw: string): string => {
  const at = raw.lastIndexOf('@');
  if (at < 0) return raw;
  const scheme = /^\s*[a-z][a-z0-9+.-]*:\/\//i.exec(raw)?.[0] ?? '';
  return `${scheme}***@${raw.slice(at + 1)}`;
};

/** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4), if any. */
function embeddedIpv4(ip: string): string | undefined {
  const w = isIPv6(ip) ? ipv6Words(ip) : undefined;
  if (!w) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && w[5] === 0xffff) return v4(w[6]!, w[7]!); // ::ffff:a.b.c.d
  if (zero(0, 6) && (w[6] !== 0 || w[7]! > 1)) return v4(w[6]!, w[7]!); // ::a.b.c.d
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return v4(w[6]!, w[7]!); // NAT64
  if (w[0] === 0x2002) return v4(w[1]!, w[2]!); // 6to4
  return undefined;
}

/** An IPv6 address as its eight 16-bit words (a trailing dotted IPv4 part included). */
function ipv6Words(ip: string): number[] | undefined {
  let text = ip.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((x) => parseInt(x, 16)) : []);
  const h = part(head);
  const t = part(tail);
  const words =
    tail === undefined
      ? h
      : [...h, ...Array<number>(Math.max(0, 8 - h.length - t.length)).fill(0), ...t];
  return words.length === 8 && words.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff)
    ? words
    : undefined;
}
