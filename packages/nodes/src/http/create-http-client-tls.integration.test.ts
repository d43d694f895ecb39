/**
 * TLS through the IP-pinning connector: the socket goes to the checked IP, yet SNI and certificate
 * verification still use the URL's host name. The certificate is made by `openssl` at test time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@outrun/schemas';
import { createHttpClient } from './create-http-client';

function makeCertificate(dir: string): { cert: string; key: string } | null {
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=secure.test', '-addext', 'subjectAltName=DNS:secure.test'], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } catch {
    return null;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'outrun-tls-'));
const pair = makeCertificate(dir);
if (!pair) console.warn('skipping TLS tests: openssl is not available to make a test certificate');
let server: Server;
let port = 0;
const sni: Array<string | undefined> = [];

beforeAll(async () => {
  if (!pair) return;
  server = createServer({ ...pair, SNICallback: (name, cb) => {
      sni.push(name);
      cb(null);
    } }, (_req, res) => res.end('secure ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  if (pair) await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!pair)('createHttpClient over TLS', () => {
  const resolve = (hostname: string) => Promise.resolve(hostname === 'secure.test' ? [{ address: '127.0.0.1', family: 4 }] : []);

  it('connects to the pinned IP with the host name for SNI and certificate checks', async () => {
    const http = createHttpClient({ resolve, allowList: ['secure.test'], ca: pair?.cert ?? '' });
    const response = await http.request({ method: 'GET', url: `https://secure.test:${port}/` });
    expect(response).toMatchObject({ status: 200, body: 'secure ok' });
    expect(sni).toContain('secure.test');
    await http.close();
  });

  it('still verifies the certificate: the IP literal does not match it, an unknown CA is refused', async () => {
    const byIp = createHttpClient({ allowList: [`127.0.0.1:${port}`], ca: pair?.cert ?? '' });
    const ipError = await byIp.request({ method: 'GET', url: `https://127.0.0.1:${port}/` }).catch((e: unknown) => e);
    expect(ipError).toMatchObject({ code: ErrorCode.HTTP_REQUEST });
    expect((ipError as Error).message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID|altname|IP: 127\.0\.0\.1/i);
    const untrusted = createHttpClient({ resolve, allowList: ['secure.test'] });
    const caError = (await untrusted.request({ method: 'GET', url: `https://secure.test:${port}/` }).catch((e: unknown) => e)) as Error;
    expect(caError).toBeInstanceOf(Error);
    expect(caError.message).toMatch(/self[- ]signed|certificate/i);
    await Promise.all([byIp.close(), untrusted.close()]);
  });
});
