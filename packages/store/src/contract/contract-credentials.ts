import { expect, it } from 'vitest';
import type { ContractContext } from './harness';

/** Encrypted credentials. */
export function credentialCases(c: ContractContext): void {
  it('stores credentials encrypted: metadata listed, secret only through getSecret, rotation by updateSecret', async () => {
    const cr = c.store.credentials;
    const info = await cr.create('ws', { name: 'Stripe', type: 'webhook_secret', data: { secret: 'whsec_one' } });
    expect(info).toMatchObject({ workspaceId: 'ws', name: 'Stripe', type: 'webhook_secret', allowedHosts: [] });
    expect(JSON.stringify(await cr.list('ws'))).not.toContain('whsec_one');
    expect(await cr.getInfo('ws', info.id)).toEqual(info);
    expect(await cr.getSecret('ws', info.id)).toEqual({ secret: 'whsec_one' });
    expect(await cr.updateSecret('ws', info.id, { secret: 'whsec_two' })).toBe(true);
    expect(await cr.getSecret('ws', info.id)).toEqual({ secret: 'whsec_two' });
    expect(await cr.updateSecret('ws', 'missing', { a: 'b' })).toBe(false);
    expect(await cr.delete('ws', info.id)).toBe(true);
    expect(await cr.delete('ws', info.id)).toBe(false);
    expect(await cr.getSecret('ws', info.id)).toBeNull();
    expect(await cr.getInfo('ws', info.id)).toBeNull();
  });

  it('never writes a credential in plain text', async () => {
    if (!c.fixture.rawBytes) return;
    const canary = `canary-${Math.random().toString(36).slice(2)}-secret`;
    const info = await c.store.credentials.create('ws', { name: 'api', type: 'http_bearer', data: { token: canary } });
    await c.store.credentials.updateSecret('ws', info.id, { token: `${canary}-rotated` });
    await c.store.credentials.create('ws', { name: 'api2', type: 'generic', data: { nested: { value: canary } } });
    const bytes = await c.fixture.rawBytes();
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from(canary))).toBe(false);
    expect(bytes.includes(Buffer.from(Buffer.from(canary).toString('base64').slice(0, 16)))).toBe(false);
    expect(await c.store.credentials.getSecret('ws', info.id)).toEqual({ token: `${canary}-rotated` });
  });

  it('keeps the hosts a credential may be sent to, lists them, and replaces them only in its own workspace', async () => {
    const cr = c.store.credentials;
    const info = await cr.create('ws', { name: 'crm', type: 'http_bearer', data: { token: 't' }, allowedHosts: ['https://api.crm.example', '*.crm.example'] });
    expect(info.allowedHosts).toEqual(['https://api.crm.example', '*.crm.example']);
    expect((await cr.list('ws')).find((i) => i.id === info.id)?.allowedHosts).toEqual(['https://api.crm.example', '*.crm.example']);
    expect(await cr.setAllowedHosts('other-ws', info.id, ['evil.example'])).toBeNull();
    const updated = await cr.setAllowedHosts('ws', info.id, ['api.crm.example:8443']);
    expect(updated).toMatchObject({ id: info.id, allowedHosts: ['api.crm.example:8443'] });
    expect((await cr.getInfo('ws', info.id))?.allowedHosts).toEqual(['api.crm.example:8443']);
    expect(await cr.getSecret('ws', info.id)).toEqual({ token: 't' });
    expect(await cr.setAllowedHosts('ws', 'missing', ['a.example'])).toBeNull();
  });
}
