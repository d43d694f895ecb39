/** Without an endpoint nothing is registered: helpers call through, no header, no log fields, no job field. */
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { currentTraceContext, injectTraceHeaders, isTracingEnabled, startSpan, startTelemetry, traceLogFields, tracesUrl, withSpan } from './index';

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('starts nothing and leaves every helper a pass-through', async () => {
    const telemetry = startTelemetry({ serviceName: 'test', env: {} });
    expect(telemetry.enabled).toBe(false);
    expect(isTracingEnabled()).toBe(false);
    expect(await withSpan('x', {}, (span) => Promise.resolve(span))).toBeUndefined();
    expect(startSpan('x', {})).toBeUndefined();
    expect(currentTraceContext()).toBeUndefined();
    const headers: Record<string, string> = {};
    injectTraceHeaders(headers);
    expect(headers).toEqual({});
    expect(traceLogFields()).toEqual({});
    // The global API stays the no-op one.
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(false);
  });

  it('derives the traces URL from the standard variables', () => {
    expect(tracesUrl({})).toBeUndefined();
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:9/traces' })).toBe('http://t:9/traces');
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: true })).toBeUndefined();
  });
});
