/** The webhook server span continues a caller's traceparent, unless OUTRUN_TRACE_INCOMING_TRACEPARENT=false. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTracingState, startTelemetry, type Telemetry } from '@outrun/telemetry';
import { startOtlpReceiver, type OtlpReceiver } from '@outrun/testing/otlp-receiver';
import { traceWebhook } from './trace-webhook';

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
let receiver: OtlpReceiver;
let telemetry: Telemetry;
let server: Server;
let url: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  telemetry = startTelemetry({ serviceName: 'outrun-listener', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
  server = createServer((req, res) => {
    void traceWebhook(req, res, { workspaceId: 'ws', triggerId: 'hook' }, () => {
      res.writeHead(202).end();
      return Promise.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/ws/hook`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await telemetry.shutdown();
  await receiver.close();
});

async function spanOf(traceparent: string) {
  receiver.spans.length = 0;
  expect((await fetch(url, { method: 'POST', headers: { traceparent } })).status).toBe(202);
  await telemetry.flush();
  expect(receiver.spans).toHaveLength(1);
  return receiver.spans[0]!;
}

describe('incoming traceparent', () => {
  it('is continued by default', async () => {
    const span = await spanOf(`00-${CALLER_TRACE}-00f067aa0ba902b7-01`);
    expect(span).toMatchObject({ traceId: CALLER_TRACE, parentSpanId: '00f067aa0ba902b7', kind: 2 });
    expect(span.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 202, 'outrun.trigger.id': 'hook' });
  });

  it('starts a new trace when not trusted', async () => {
    setTracingState({ enabled: true, trustIncomingTraceparent: false });
    const span = await spanOf(`00-${CALLER_TRACE}-00f067aa0ba902b7-01`);
    expect(span.traceId).not.toBe(CALLER_TRACE);
    expect(span.parentSpanId).toBe('');
    setTracingState({ enabled: true, trustIncomingTraceparent: true });
  });
});
