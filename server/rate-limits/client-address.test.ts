import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, requestAddress } from './client-address.ts';

describe('client address', () => {
  it('trusts only the socket when no proxy is configured, whatever X-Forwarded-For claims', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.1', 0)).toBe('198.51.100.7');
    expect(clientAddress('198.51.100.7', undefined, 0)).toBe('198.51.100.7');
  });

  it('behind trusted proxies takes the entry the outermost one appended, never what the client wrote', () => {
    // The client wrote "1.1.1.1"; the load balancer appended the address it saw.
    expect(clientAddress('10.0.0.5', '1.1.1.1, 203.0.113.9', 1)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.5', '1.1.1.1, 203.0.113.9, 10.0.0.4', 2)).toBe('203.0.113.9');
    // Fewer entries than proxies: the request did not come through them all; the socket decides.
    expect(clientAddress('10.0.0.5', '', 1)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '203.0.113.9', 2)).toBe('10.0.0.5');
  });

  it('keys IPv6 by its /64, so that one subscriber cannot rotate addresses for fresh budgets', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:DB8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address it is', () => {
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('::FFFF:203.0.113.9')).toBe('203.0.113.9');
  });

  it('puts whatever is not an address into one shared bucket', () => {
    expect(addressKey('')).toBe('unknown');
    expect(addressKey('not-an-ip')).toBe('unknown');
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
  });
});

describe('the address recorded for a request', () => {
  it('is the socket unless proxies are trusted, then the entry the outermost one appended, unabridged', () => {
    expect(requestAddress('10.0.0.9', '203.0.113.7', 0)).toBe('10.0.0.9');
    expect(requestAddress('10.0.0.9', 'forged, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(requestAddress('10.0.0.9', '2001:db8:1:2:3:4:5:6', 1)).toBe('2001:db8:1:2:3:4:5:6');
    expect(requestAddress('10.0.0.9', undefined, 1)).toBe('10.0.0.9');
  });
});
