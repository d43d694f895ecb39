import { describe, expect, it } from 'vitest';
import { CredentialHost, isHostAllowed } from './credential-hosts';
import { CredentialInput } from './workspace';

const allowed = (hosts: string[], url: string) => isHostAllowed(hosts.map((h) => CredentialHost.parse(h)), new URL(url));

describe('credential allowedHosts', () => {
  it('matches origins exactly (scheme, host, port)', () => {
    expect(allowed(['https://api.example.com'], 'https://api.example.com/v1/x')).toBe(true);
    expect(allowed(['https://api.example.com/'], 'https://api.example.com:443/')).toBe(true);
    expect(allowed(['https://api.example.com'], 'http://api.example.com/')).toBe(false);
    expect(allowed(['https://api.example.com'], 'https://api.example.com:8443/')).toBe(false);
    expect(allowed(['https://api.example.com'], 'https://api.example.com.evil.test/')).toBe(false);
  });

  it('matches hosts (optionally with a port) and *.domain wildcards, never a suffix trick', () => {
    expect(allowed(['API.Example.com'], 'http://api.example.com:8080/')).toBe(true);
    expect(allowed(['api.example.com:8443'], 'https://api.example.com:8443/')).toBe(true);
    expect(allowed(['api.example.com:8443'], 'https://api.example.com/')).toBe(false);
    expect(allowed(['*.example.com'], 'https://a.b.example.com/')).toBe(true);
    expect(allowed(['*.example.com'], 'https://example.com/')).toBe(false);
    expect(allowed(['*.example.com'], 'https://evilexample.com/')).toBe(false);
    expect(allowed(['[::1]:8080'], 'http://[::1]:8080/')).toBe(true);
    expect(allowed([], 'https://api.example.com/')).toBe(false);
  });

  it('refuses entries that are not an origin, host or wildcard', () => {
    for (const bad of ['*', 'https://*', 'ftp://x.example', 'https://a.example/path', 'a b', '*.']) expect(CredentialHost.safeParse(bad).success, bad).toBe(false);
  });

  it('requires allowedHosts for credentials sent over HTTP, and none for webhook secrets', () => {
    const missing = CredentialInput.safeParse({ name: 'crm', type: 'http_bearer', data: { token: 't' } });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(['allowedHosts']);
    expect(CredentialInput.safeParse({ name: 'crm', type: 'http_bearer', data: { token: 't' }, allowedHosts: ['api.crm.example'] }).success).toBe(true);
    expect(CredentialInput.safeParse({ name: 'hook', type: 'webhook_secret', data: {}, allowedHosts: ['x.example'] }).success).toBe(false);
    expect(CredentialInput.safeParse({ name: 'hook', type: 'webhook_secret', data: {} }).success).toBe(true);
  });
});
