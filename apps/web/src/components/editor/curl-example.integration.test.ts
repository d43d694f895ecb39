/**
 * The curl examples the Triggers panel shows are run for real (bash + openssl + curl) against a local server,
 * and their signatures are checked with an independent HMAC computation.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpSink, type HttpSink } from '@outrun/testing/http-sink';
import { curlExample } from './curl-example';

const exec = promisify(execFile);
let sink: HttpSink;
beforeAll(async () => {
  sink = await startHttpSink({ status: 202 });
});
afterAll(async () => {
  await sink.close();
});

async function send(auth: string, secret: string) {
  sink.reset();
  await exec('bash', ['-c', curlExample({ url: `${sink.url}/webhook/ws/trg`, auth, secret })]);
  const [req] = await sink.waitForRequests(1);
  if (!req) throw new Error('no request');
  return req;
}

describe('curl examples', () => {
  it('hmac: a valid Standard Webhooks signature over id.timestamp.body', async () => {
    const secret = `whsec_${Buffer.from('a 24-byte key for tests!').toString('base64')}`;
    const req = await send('hmac', secret);
    const id = String(req.headers['webhook-id']);
    const ts = String(req.headers['webhook-timestamp']);
    const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(`${id}.${ts}.${req.body}`).digest('base64');
    expect(req.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(JSON.parse(req.body)).toEqual({ hello: 'world' });
  });

  it('github: sha256=<hex HMAC of the body>', async () => {
    const req = await send('github', "It's a Secret to Everybody");
    const expected = createHmac('sha256', "It's a Secret to Everybody").update(req.body).digest('hex');
    expect(req.headers['x-hub-signature-256']).toBe(`sha256=${expected}`);
  });

  it('stripe: t=<ts>,v1=<hex HMAC of "t.body"> keyed with the secret as-is', async () => {
    const req = await send('stripe', 'whsec_stripe_test');
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['stripe-signature']));
    expect(match).not.toBeNull();
    expect(match?.[2]).toBe(createHmac('sha256', 'whsec_stripe_test').update(`${match?.[1]}.${req.body}`).digest('hex'));
  });
});
