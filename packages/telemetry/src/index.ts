/**
 * @outrun/telemetry — OpenTelemetry tracing for every Outrun process: the SDK set up once per process and
 * exported over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set,
 * W3C trace-context helpers that carry a trace across the queue and outbound HTTP, and span helpers that cost
 * one boolean check when tracing is off.
 */
export * from './attributes';
export * from './start-telemetry';
export * from './tracing-state';
export * from './trace-context';
export * from './with-span';
export * from './log-fields';
