/**
 * The real exporter against a real OTLP/HTTP receiver: spans arrive as JSON with their parent links, a job's
 * trace context and an incoming `traceparent` continue the trace, log fields name the active span.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@outrun/testing/otlp-receiver';
import { RunJob } from '@outrun/schemas';
import { contextFromCarrier, currentTraceContext, injectTraceHeaders, isTracingEnabled, SpanKind, startTelemetry, traceLogFields, withSpan, type Telemetry } from './index';

let receiver: OtlpReceiver;
let telemetry: Telemetry;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  telemetry = startTelemetry({ serviceName: 'outrun-test', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
});
afterAll(async () => {
  await telemetry.shutdown();
  await receiver.close();
});

describe('OTLP/HTTP export', () => {
  it('exports nested spans with the service name and carries the context through a job payload and headers', async () => {
    expect(isTracingEnabled()).toBe(true);
    const caller = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    let job: RunJob | undefined;
    let headers: Record<string, string> = {};
    let logFields: ReturnType<typeof traceLogFields> = {};
    await withSpan('request', { kind: SpanKind.SERVER, parent: contextFromCarrier(caller) }, async () => {
      await withSpan('run.queued', { kind: SpanKind.PRODUCER }, () => {
        job = RunJob.parse({ kind: 'start', workspaceId: 'ws', runId: 'run', trace: currentTraceContext() });
        return Promise.resolve();
      });
    });
    // "Another process": only the job's field links the consumer to the producer.
    await withSpan('run.attempt', { kind: SpanKind.CONSUMER, parent: contextFromCarrier(job?.trace) }, async () => {
      headers = {};
      injectTraceHeaders(headers);
      logFields = traceLogFields();
      return Promise.resolve();
    });
    await telemetry.flush();
    const byName = Object.fromEntries(receiver.spans.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['request', 'run.attempt', 'run.queued']);
    expect(new Set(receiver.spans.map((s) => s.traceId))).toEqual(new Set(['0af7651916cd43dd8448eb211c80319c']));
    expect(byName['request']).toMatchObject({ service: 'outrun-test', kind: 2, parentSpanId: 'b7ad6b7169203331' });
    expect(byName['run.queued']).toMatchObject({ kind: 4, parentSpanId: byName['request']?.spanId });
    expect(byName['run.attempt']).toMatchObject({ kind: 5, parentSpanId: byName['run.queued']?.spanId });
    expect(headers['traceparent']).toBe(`00-0af7651916cd43dd8448eb211c80319c-${byName['run.attempt']?.spanId}-01`);
    expect(logFields).toEqual({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: byName['run.attempt']?.spanId });
    expect(receiver.contentTypes[0]).toMatch(/^application\/json/);
  });

  it('ignores a malformed traceparent (a new trace starts) and marks a throwing span as failed', async () => {
    receiver.spans.length = 0;
    await expect(withSpan('bad', { parent: contextFromCarrier({ traceparent: 'zz-not-a-trace' }) }, () => Promise.reject(Object.assign(new Error('boom'), { code: 'OUT_ERR_X' })))).rejects.toThrow('boom');
    await telemetry.flush();
    expect(receiver.spans).toHaveLength(1);
    expect(receiver.spans[0]).toMatchObject({ parentSpanId: '', statusCode: 2, attributes: { 'outrun.error.code': 'OUT_ERR_X' } });
  });
});
