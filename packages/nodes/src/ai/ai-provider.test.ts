import { describe, expect, it } from 'vitest';
import type { NodeServices } from '@outrun/engine';
import { defaultApiMode, getAiServices, resolveAiProvider } from './ai-provider';
import { parseRetryAfterMs } from './translate-ai-error';

const withCredentials = (creds: Record<string, Record<string, string>>): NodeServices => ({
  credentials: { get: (id) => Promise.resolve(creds[id] ?? null), allowedHosts: (id) => Promise.resolve(creds[id] ? [] : null) },
});

describe('resolveAiProvider', () => {
  it('prefers the node credential, then the workspace default credential, then services.ai', async () => {
    const services = withCredentials({ node: { apiKey: 'sk-node' }, ws: { apiKey: 'sk-ws', baseURL: 'http://localhost:11434/v1' } });
    const ai = { apiKey: 'sk-env', defaultCredentialId: 'ws' };
    expect(await resolveAiProvider(services, ai, 'node')).toMatchObject({ apiKey: 'sk-node', baseURL: 'https://api.openai.com/v1', apiMode: 'responses', source: 'node-credential' });
    expect(await resolveAiProvider(services, ai, undefined)).toMatchObject({ apiKey: 'sk-ws', baseURL: 'http://localhost:11434/v1', apiMode: 'chat_completions', source: 'workspace-credential' });
    expect(await resolveAiProvider(services, { apiKey: 'sk-env' }, undefined)).toMatchObject({ apiKey: 'sk-env', apiMode: 'responses', source: 'services' });
  });

  it('keeps an explicit apiMode and rejects credentials that are not openai credentials', async () => {
    const services = withCredentials({ vllm: { baseURL: 'http://gpu:8000/v1', apiMode: 'responses' }, http: { token: 't' } });
    expect(await resolveAiProvider(services, {}, 'vllm')).toMatchObject({ apiKey: 'not-needed', apiMode: 'responses' });
    await expect(resolveAiProvider(services, {}, 'http')).rejects.toMatchObject({ code: 'OUT_ERR_AI_AUTH' });
    await expect(resolveAiProvider(services, {}, 'nope')).rejects.toMatchObject({ code: 'OUT_ERR_CREDENTIAL_NOT_FOUND' });
    await expect(resolveAiProvider({}, {}, undefined)).rejects.toMatchObject({ code: 'OUT_ERR_AI_AUTH' });
  });

  it('defaults to chat completions except on api.openai.com', () => {
    expect(defaultApiMode('https://api.openai.com/v1')).toBe('responses');
    expect(defaultApiMode('http://localhost:1234/v1')).toBe('chat_completions');
  });

  it('rejects a malformed services.ai with OUT_ERR_CONFIG', () => {
    expect(() => getAiServices({ ai: { baseURL: 'ftp://x' } })).toThrow(expect.objectContaining({ code: 'OUT_ERR_CONFIG' }) as Error);
    expect(getAiServices({})).toEqual({});
  });
});

describe('parseRetryAfterMs', () => {
  const h = (entries: Record<string, string>) => new Headers(entries);
  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    expect(parseRetryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(parseRetryAfterMs(h({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfterMs(h({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfterMs(h({ 'retry-after': new Date(now + 3000).toUTCString() }), now)).toBe(3000);
    expect(parseRetryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });
});
