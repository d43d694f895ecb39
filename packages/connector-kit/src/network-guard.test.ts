import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkCredentialHosts, createNetworkGuard, splitHostPort } from './network-guard';
import { defineCredential } from './define-connector';

const blocked = { code: 'OUT_ERR_SSRF_BLOCKED' };

describe('network guard for connector hosts', () => {
  it('refuses loopback, private, link-local (metadata) addresses by default', async () => {
    const guard = createNetworkGuard();
    await expect(guard('127.0.0.1', 5432)).rejects.toMatchObject(blocked);
    await expect(guard('10.1.2.3', 6379)).rejects.toMatchObject(blocked);
    await expect(guard('169.254.169.254', 80)).rejects.toMatchObject(blocked);
    await expect(guard('[::1]', 3306)).rejects.toMatchObject(blocked);
    await expect(guard('93.184.215.14', 5432)).resolves.toBeUndefined();
  });

  it('checks what a name resolves to, and honours the allow list (host, host:port, CIDR)', async () => {
    const resolve = async (name: string) => (name === 'db.internal' ? [{ address: '192.168.1.5' }] : [{ address: '93.184.215.14' }, { address: '10.0.0.1' }]);
    await expect(createNetworkGuard({ resolve })('db.internal', 5432)).rejects.toThrow(/db\.internal:5432 resolves to 192\.168\.1\.5/);
    // One private address among public ones is enough to refuse: the driver may pick any.
    await expect(createNetworkGuard({ resolve })('mixed.example', 5432)).rejects.toMatchObject(blocked);
    await expect(createNetworkGuard({ resolve, allowList: ['db.internal:5432'] })('db.internal', 5432)).resolves.toBeUndefined();
    await expect(createNetworkGuard({ resolve, allowList: ['db.internal:5432'] })('db.internal', 6379)).rejects.toMatchObject(blocked);
    await expect(createNetworkGuard({ allowList: ['127.0.0.0/8'] })('127.0.0.1', 1883)).resolves.toBeUndefined();
    await expect(createNetworkGuard({ allowPrivateNetwork: true })('10.0.0.1', 1883)).resolves.toBeUndefined();
  });

  it("checks each host a credential type declares; the error names the host, not the secret", async () => {
    const definition = defineCredential({
      label: 'db',
      schema: z.object({ host: z.string(), port: z.number(), password: z.string() }),
      secretFields: ['password'],
      hosts: (c) => [{ host: c.host, port: c.port }],
    });
    const err = await checkCredentialHosts(definition, { host: '127.0.0.1', port: 5432, password: 'hunter2-secret' }, createNetworkGuard()).catch((e: unknown) => e as Error);
    expect(err).toMatchObject(blocked);
    expect(err?.message).toContain('127.0.0.1:5432');
    expect(err?.message).not.toContain('hunter2');
    await expect(checkCredentialHosts(definition, { host: '127.0.0.1', port: 5432, password: 'x' }, undefined)).resolves.toBeUndefined();
  });

  it('splits NATS-style server entries', () => {
    expect(splitHostPort('127.0.0.1:4222', 4222)).toEqual({ host: '127.0.0.1', port: 4222 });
    expect(splitHostPort('nats://user:pw@nats.internal:4333', 4222)).toEqual({ host: 'nats.internal', port: 4333 });
    expect(splitHostPort('[::1]:4222', 1)).toEqual({ host: '::1', port: 4222 });
    expect(splitHostPort('nats.example', 4222)).toEqual({ host: 'nats.example', port: 4222 });
  });
});
