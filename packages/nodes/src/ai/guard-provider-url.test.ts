import { describe, expect, it } from 'vitest';
import type { ResolvedAiProvider } from './ai-provider';
import { guardProviderUrl, type AddressResolver } from './guard-provider-url';

const provider = (baseURL: string, source: ResolvedAiProvider['source'] = 'node-credential'): ResolvedAiProvider => ({ apiKey: 'k', baseURL, apiMode: 'chat_completions', source });
const dns = (table: Record<string, string[]>): AddressResolver => (host) => Promise.resolve((table[host] ?? []).map((address) => ({ address })));

describe('guardProviderUrl', () => {
  const resolve = dns({ 'api.example.com': ['93.184.216.34'], 'evil.example.com': ['10.0.0.5'], 'ollama.lan': ['192.168.1.20'] });

  it('lets public hosts through and refuses names that resolve to private addresses', async () => {
    await expect(guardProviderUrl(provider('https://api.example.com/v1'), {}, resolve)).resolves.toBeUndefined();
    await expect(guardProviderUrl(provider('https://evil.example.com/v1'), {}, resolve)).rejects.toMatchObject({ code: 'OUT_ERR_SSRF_BLOCKED' });
    await expect(guardProviderUrl(provider('http://[::1]:11434/v1'), {}, resolve)).rejects.toMatchObject({ code: 'OUT_ERR_SSRF_BLOCKED' });
  });

  it('honours the allow list (host:port, IP) and the operator-provided base URL', async () => {
    await expect(guardProviderUrl(provider('http://ollama.lan:11434/v1'), { allowList: ['ollama.lan:11434'] }, resolve)).resolves.toBeUndefined();
    await expect(guardProviderUrl(provider('http://ollama.lan:8080/v1'), { allowList: ['ollama.lan:11434'] }, resolve)).rejects.toMatchObject({ code: 'OUT_ERR_SSRF_BLOCKED' });
    await expect(guardProviderUrl(provider('http://127.0.0.1:11434/v1'), { allowList: ['127.0.0.1'] }, resolve)).resolves.toBeUndefined();
    await expect(guardProviderUrl(provider('http://127.0.0.1:11434/v1', 'services'), {}, resolve)).resolves.toBeUndefined();
  });
});
