import { describe, expect, it } from 'vitest';
import { embeddedIpv4, formatIp, parseIp } from './ip-address';
import { createSsrfPolicy, isBlockedAddress, parseAllowEntry } from './ssrf-policy';

const ip = (text: string) => {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`test bug: ${text} is not an IP`);
  return parsed;
};

describe('parseIp', () => {
  it.each([
    ['::1', '0:0:0:0:0:0:0:1'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1'],
    ['::ffff:127.0.0.1', '0:0:0:0:0:ffff:7f00:1'],
    ['[2001:db8::5]', '2001:db8:0:0:0:0:0:5'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('parses %s', (text, groups) => {
    const bytes = ip(text).bytes;
    const actual = Array.from({ length: 8 }, (_, i) => (((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0)).toString(16)).join(':');
    expect(actual).toBe(groups);
  });

  it('rejects non-addresses', () => {
    for (const text of ['localhost', '127.1', '256.0.0.1', '1:2:3', '', '::g']) expect(parseIp(text)).toBeNull();
  });

  it('unwraps embedded IPv4 forms', () => {
    expect(formatIp(embeddedIpv4(ip('::ffff:10.1.2.3'))!)).toBe('10.1.2.3');
    expect(formatIp(embeddedIpv4(ip('64:ff9b::a9fe:a9fe'))!)).toBe('169.254.169.254');
    expect(formatIp(embeddedIpv4(ip('2002:7f00:1::'))!)).toBe('127.0.0.1');
    expect(embeddedIpv4(ip('2001:db8::1'))).toBeNull();
  });
});

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '100.127.255.255', '0.0.0.0', '0.1.2.3', '224.0.0.1', '255.255.255.255', '::1', '::', 'fc00::1',
    'fd00:ec2::254', 'fe80::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::ffff:10.0.0.1',
    '::ffff:7f00:1', '64:ff9b::7f00:1', '2002:a00:1::1', '::127.0.0.1',
  ])('blocks %s', (address) => {
    expect(isBlockedAddress(ip(address))).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2002:808:808::1'])(
    'allows public %s',
    (address) => {
      expect(isBlockedAddress(ip(address))).toBe(false);
    },
  );
});

describe('allow-list', () => {
  const at = (hostname: string, port: number, address: string) => ({ hostname, port, address: ip(address) });

  it('blocks private destinations by default and explains why', () => {
    expect(createSsrfPolicy().check(at('localhost', 80, '127.0.0.1'))).toMatch(/localhost:80 resolves to 127\.0\.0\.1/);
    expect(createSsrfPolicy().check(at('example.com', 443, '93.184.215.14'))).toBeNull();
  });

  it('an ip:port entry allows that IP on that port only', () => {
    const policy = createSsrfPolicy({ allowList: ['127.0.0.1:8080'] });
    expect(policy.check(at('127.0.0.1', 8080, '127.0.0.1'))).toBeNull();
    expect(policy.check(at('127.0.0.1', 8081, '127.0.0.1'))).not.toBeNull();
    expect(policy.check(at('127.0.0.2', 8080, '127.0.0.2'))).not.toBeNull();
    // The entry is about the IP connected to, whatever name led there.
    expect(policy.check(at('localhost', 8080, '127.0.0.1'))).toBeNull();
  });

  it('a host name entry allows the name, never a literal IP', () => {
    const policy = createSsrfPolicy({ allowList: ['internal.test', '*.corp.test:8443'] });
    expect(policy.check(at('internal.test', 1234, '10.0.0.5'))).toBeNull();
    expect(policy.check(at('INTERNAL.test.', 1234, '10.0.0.5'))).toBeNull();
    expect(policy.check(at('10.0.0.5', 1234, '10.0.0.5'))).not.toBeNull();
    expect(policy.check(at('api.corp.test', 8443, '10.0.0.6'))).toBeNull();
    expect(policy.check(at('api.corp.test', 443, '10.0.0.6'))).not.toBeNull();
    expect(policy.check(at('corp.test', 8443, '10.0.0.6'))).not.toBeNull();
  });

  it('CIDR entries match resolved IPs, including their IPv4-mapped form', () => {
    const policy = createSsrfPolicy({ allowList: ['10.1.0.0/16', '[::1]:9000'] });
    expect(policy.check(at('a', 80, '10.1.2.3'))).toBeNull();
    expect(policy.check(at('a', 80, '::ffff:10.1.2.3'))).toBeNull();
    expect(policy.check(at('a', 80, '10.2.0.1'))).not.toBeNull();
    expect(policy.check(at('a', 9000, '::1'))).toBeNull();
    expect(policy.check(at('a', 9001, '::1'))).not.toBeNull();
  });

  it('allowPrivateNetwork turns the guard off', () => {
    expect(createSsrfPolicy({ allowPrivateNetwork: true }).check(at('x', 80, '169.254.169.254'))).toBeNull();
  });

  it('rejects malformed entries up front', () => {
    for (const bad of ['', '10.0.0.0/33', 'host:99999', 'bad host', '1.2.3.4/x', 'http://x']) {
      expect(() => parseAllowEntry(bad), bad).toThrow();
    }
  });
});
