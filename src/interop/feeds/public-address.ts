import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

// Addresses a feed may not be fetched from unless FEEDS_ALLOW_PRIVATE is set: the
// machine itself, private networks, link-local (cloud metadata at 169.254.169.254),
// carrier-grade NAT, and their IPv6 kin. A feed's URL is typed in chat; it must not
// make the bot reach into its own network.
const PRIVATE = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) PRIVATE.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is private, loopback, link-local or otherwise not the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether a host as written (a name or an address, IPv6 in brackets or not) is this machine or a private network. */
export function isPrivateHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return /^localhost$|\.localhost$/i.test(bare) || isPrivateAddress(bare);
}

/**
 * Throws when `url`'s host is, or resolves to, a private address. Names are resolved
 * here; the fetch resolves again (a name that changes its answer in between is not
 * caught: an allow-list proxy is the stronger control where that matters).
 */
export async function mustBePublic(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isPrivateHost(host)) throw new PrivateAddressError(url.host);
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.some(isPrivateAddress)) throw new PrivateAddressError(url.host);
}

export class PrivateAddressError extends Error {
  constructor(host: string) {
    super(`${host} is a private or loopback address; feeds fetch only from the public internet unless FEEDS_ALLOW_PRIVATE is set`);
  }
}
