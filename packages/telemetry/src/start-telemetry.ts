/**
 * Sets up tracing for one process: a tracer provider with a batch processor and the OTLP/HTTP (JSON)
 * exporter, async-local context, and the W3C trace-context propagator. Without an endpoint it registers
 * nothing: `@opentelemetry/api` stays a no-op and `isTracingEnabled()` is false.
 */
import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as Core from '@opentelemetry/core';
import type * as ExporterOtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import { setTracingState } from './tracing-state';

// The SDK (~9 MB of RSS per process) is loaded only when tracing is on; `startTelemetry` stays synchronous, so
// it is required (the packages ship CommonJS builds). They share the API's global registry with the ESM copy.
const requireSdk = createRequire(import.meta.url);
function loadSdk() {
  return {
    ...(requireSdk('@opentelemetry/context-async-hooks') as typeof ContextAsyncHooks),
    ...(requireSdk('@opentelemetry/core') as typeof Core),
    ...(requireSdk('@opentelemetry/exporter-trace-otlp-http') as typeof ExporterOtlpHttp),
    ...(requireSdk('@opentelemetry/resources') as typeof Resources),
    ...(requireSdk('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase),
  };
}

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * The standard `OTEL_*` variables Outrun reads itself, plus its own switch for incoming `traceparent`. The
 * exporter reads the others it knows (`OTEL_EXPORTER_OTLP_HEADERS`, `…_TIMEOUT`, `OTEL_BSP_*`) directly.
 * Services extend their env schema with it.
 */
export const TelemetryEnv = z.object({
  /** OTLP/HTTP base URL of a collector, e.g. http://localhost:4318 (traces go to `/v1/traces`); unset = tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** Full traces URL; wins over the base endpoint. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** `service.name` of this process's spans. @default the service (outrun-api, outrun-listener, outrun-runner, outrun) */
  OTEL_SERVICE_NAME: z.string().min(1).max(200).optional(),
  /** `true` turns tracing off even with an endpoint. @default false */
  OTEL_SDK_DISABLED: flag.optional(),
  /** Webhooks continue a caller's `traceparent` header; `false` starts a new trace per request (linked to none). @default true */
  OUTRUN_TRACE_INCOMING_TRACEPARENT: flag.default(true),
  /**
   * Run view link to the run's trace, `{runId}` replaced: a trace search by the `outrun.run.id` attribute, e.g.
   * Jaeger `http://localhost:16686/search?service=outrun-runner&tags=%7B%22outrun.run.id%22%3A%22{runId}%22%7D`. Read by the web app.
   */
  OUTRUN_TRACE_URL_TEMPLATE: z.string().includes('{runId}').optional(),
});
export type TelemetryEnv = z.infer<typeof TelemetryEnv>;

export interface StartTelemetryOptions {
  /** `service.name` when `OTEL_SERVICE_NAME` is unset. */
  serviceName: string;
  env: Partial<TelemetryEnv>;
  /** Replaces the OTLP exporter (tests). */
  exporter?: SpanExporter;
}

/** A started telemetry: `shutdown` flushes pending spans (call it before exiting). */
export interface Telemetry {
  enabled: boolean;
  /** Sends every finished span now. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const OFF: Telemetry = { enabled: false, flush: () => Promise.resolve(), shutdown: () => Promise.resolve() };

/** The traces URL from the env, or undefined when tracing is off. */
export function tracesUrl(env: Partial<TelemetryEnv>): string | undefined {
  if (env.OTEL_SDK_DISABLED === true) return undefined;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/** Starts tracing when the env asks for it; once per process (a second call returns the first). */
let started: Telemetry | undefined;
export function startTelemetry(options: StartTelemetryOptions): Telemetry {
  if (started) return started;
  const url = tracesUrl(options.env);
  setTracingState({ enabled: false, trustIncomingTraceparent: options.env.OUTRUN_TRACE_INCOMING_TRACEPARENT ?? true });
  if (url === undefined && options.exporter === undefined) return OFF;
  const { AsyncLocalStorageContextManager, BasicTracerProvider, BatchSpanProcessor, OTLPTraceExporter, resourceFromAttributes, W3CTraceContextPropagator } = loadSdk();
  const exporter = options.exporter ?? new OTLPTraceExporter(url === undefined ? {} : { url });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.env.OTEL_SERVICE_NAME ?? options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracingState({ enabled: true });
  started = {
    enabled: true,
    flush: () => provider.forceFlush(),
    async shutdown() {
      setTracingState({ enabled: false });
      await provider.shutdown();
    },
  };
  return started;
}
