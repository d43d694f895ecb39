import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OperationalError, NonRetriableError } from '@outrun/schemas';
import { createManualClock } from '@outrun/nodes';
import { classifyError, collectPages, connectorPackageNames, CredentialRateLimits, defineAction, defineConnector, defineCredential, loadConnectors, nextLink, redactingLogger, resolveTrigger } from './index';
import { runAction } from './testing';

const cred = defineCredential({ label: 'k', schema: z.object({ key: z.string() }), secretFields: ['key'] });
const base = { version: '1.2.3', label: 'T', description: 'd', category: 'other' as const, icon: 'globe' };

describe('defineConnector', () => {
  it('pins the major and rejects malformed declarations', () => {
    const ok = defineConnector({ ...base, name: 'test', credentials: { cred }, actions: { echo: defineAction({ label: 'e', description: 'e', params: z.object({ v: z.string() }), run: async ({ params }) => params.v }) } });
    expect(ok.major).toBe(1);
    expect(() => defineConnector({ ...base, name: 'Bad Name', actions: {} })).toThrow(/name/);
    expect(() => defineConnector({ ...base, name: 'x', version: '1.0', actions: {} })).toThrow(/semver/);
    expect(() => defineConnector({ ...base, name: 'x', actions: { a: defineAction({ label: 'a', description: 'a', credential: cred, params: z.object({}), run: async () => null }) } })).toThrow(/credential type/);
    expect(() => defineCredential({ label: 'k', schema: z.object({ a: z.string() }), secretFields: ['b'] }) && defineConnector({ ...base, name: 'y', credentials: { c: { label: 'k', schema: z.object({ a: z.string() }), secretFields: ['b'] } }, actions: {} })).toThrow(/secret field/);
  });

  it('resolves a pinned trigger version or explains what is installed', () => {
    const c = defineConnector({ ...base, name: 'src', actions: {}, triggers: { t: { label: 't', description: 't', params: z.object({}), open: async () => ({ close: async () => undefined }) } } });
    expect(resolveTrigger([c], 'src.t@1').key).toBe('t');
    expect(() => resolveTrigger([c], 'src.t@2')).toThrow(/major version 2/);
    expect(() => resolveTrigger([c], 'other.t@1')).toThrow(/No installed connector/);
  });
});

describe('runtime services', () => {
  it('masks secrets in log messages and fields', () => {
    const lines: unknown[] = [];
    const log = redactingLogger({ debug: () => undefined, info: (m, f) => lines.push([m, f]), warn: () => undefined, error: () => undefined }, ['s3cr3t-value']);
    log.info('token s3cr3t-value used', { nested: { url: 'https://u:s3cr3t-value@h' } });
    expect(JSON.stringify(lines)).not.toContain('s3cr3t-value');
    expect(JSON.stringify(lines)).toContain('[redacted]');
  });

  it('classifies transient and permanent failures', () => {
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), [], 'x')).toBeInstanceOf(OperationalError);
    expect(classifyError(Object.assign(new Error('deadlock'), { code: '40P01' }), [], 'x')).toBeInstanceOf(OperationalError);
    expect(classifyError(Object.assign(new Error('syntax error'), { code: '42601' }), [], 'x')).toBeInstanceOf(NonRetriableError);
    expect(classifyError(Object.assign(new Error('bad'), { status: 503 }), [], 'x')).toBeInstanceOf(OperationalError);
    expect(classifyError(new Error('password pw-123456 rejected'), ['pw-123456'], 'x').message).not.toContain('pw-123456');
  });

  it('paginates with caps and stops on a repeated cursor', async () => {
    const pages: Record<string, { items: number[]; next?: string }> = { start: { items: [1, 2], next: 'b' }, b: { items: [3], next: 'b' } };
    expect(await collectPages((c) => Promise.resolve(pages[c ?? 'start']!))).toEqual([1, 2, 3]);
    expect(await collectPages(() => Promise.resolve({ items: [1, 2, 3], next: String(Math.random()) }), { maxItems: 5 })).toHaveLength(5);
    expect(nextLink('<https://api.x/p?page=2>; rel="next", <https://api.x/p?page=9>; rel="last"')).toBe('https://api.x/p?page=2');
  });

  it('rate limits per credential with the injected clock', async () => {
    const clock = createManualClock(0);
    const limits = new CredentialRateLimits(clock);
    const a = limits.limiter('ws/a', { rps: 1, burst: 2 });
    await a.take();
    await a.take();
    expect(clock.sleeps).toEqual([]);
    await a.take();
    // The third request waited one token's time (1 s at 1 rps); another credential has its own bucket.
    expect(clock.sleeps).toEqual([1000]);
    await limits.limiter('ws/b', { rps: 1, burst: 2 }).take();
    expect(clock.sleeps).toEqual([1000]);
  });

  it('an action needing a credential fails clearly without one', async () => {
    const c = defineConnector({ ...base, name: 'needs', credentials: { cred }, actions: { a: defineAction({ label: 'a', description: 'a', credential: cred, params: z.object({}), run: async ({ credential }) => credential.key }) } });
    await expect(runAction(c, 'a', { params: {} })).rejects.toMatchObject({ code: 'OUT_ERR_CONNECTOR_CREDENTIAL' });
    await expect(runAction(c, 'a', { params: {}, credential: { nope: 1 } })).rejects.toMatchObject({ code: 'OUT_ERR_CONNECTOR_CREDENTIAL', details: [{ path: 'credential.key' }] });
    expect((await runAction(c, 'a', { params: {}, credential: { key: 'k1' } })).output).toBe('k1');
  });
});

describe('loading by package name', () => {
  it('expands builtin and loads every in-repo connector', async () => {
    const names = connectorPackageNames('builtin,@acme/x');
    expect(names).toContain('@outrun/connector-postgres');
    expect(names.at(-1)).toBe('@acme/x');
    const loaded = await loadConnectors(connectorPackageNames(undefined));
    expect(loaded.map((c) => c.name)).toEqual(['postgres', 'mysql', 'redis', 'rabbitmq', 'mqtt', 'nats', 'email', 'slack', 'github']);
    await expect(loadConnectors(['outrun-connector-not-installed'])).rejects.toThrow(/cannot load "outrun-connector-not-installed"/);
  });
});
