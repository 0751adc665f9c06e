import { isIPv4, isIPv6 } from 'node:net';

/**
 * The address a request came from, as a rate-limit key. Security: with no trusted proxy, only the
 * socket counts, since any client can write X-Forwarded-For. Behind `trustedProxyHops` proxies
 * that each append the address they saw, the client is the entry the outermost one appended
 * (counted from the right); anything further left was written by the client.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustedProxyHops: number): string {
  return addressKey(requestAddress(socketAddress, forwardedFor, trustedProxyHops));
}

/** The client's own address by the same rule, unabridged: what the audit log and sign-in limits record. */
export function requestAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustedProxyHops: number): string {
  if (trustedProxyHops > 0) {
    const hops = (forwardedFor ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
    const client = hops[hops.length - trustedProxyHops];
    if (client !== undefined) return client;
  }
  return socketAddress ?? '';
}

/**
 * One key per IPv4 address and per IPv6 /64: a single IPv6 subscriber usually holds a whole /64
 * and could otherwise take a fresh address, and a fresh budget, for every request.
 */
export function addressKey(address: string): string {
  const plain = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(plain);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(plain)) return plain;
  if (!isIPv6(plain)) return 'unknown';
  const groups = ipv6Groups(plain);
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 split in two). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
