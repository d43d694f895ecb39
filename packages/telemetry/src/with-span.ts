/** Span helpers that do nothing but call through when tracing is off. */
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { isTracingEnabled } from './tracing-state';

export { SpanKind, SpanStatusCode, type Span, type Context, type Attributes };

/** The tracer every Outrun span comes from. */
export const tracer = () => trace.getTracer('outrun');

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Parent context (a job's or a request's); the active context otherwise. */
  parent?: Context;
  /** Epoch ms the span began (a step recorded after the fact). @default now */
  startTime?: number;
}

const spanOptions = (o: SpanOptions) => ({
  kind: o.kind ?? SpanKind.INTERNAL,
  ...(o.attributes ? { attributes: o.attributes } : {}),
  ...(o.startTime !== undefined ? { startTime: o.startTime } : {}),
});

/** Marks a span failed with the error (its `code` as `outrun.error.code`). */
export function recordError(span: Span, err: unknown): void {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (err instanceof Error) span.recordException(err);
  if (typeof e?.code === 'string') span.setAttribute('outrun.error.code', e.code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof e?.message === 'string' ? e.message : String(err) });
}

/**
 * Runs `fn` inside a new active span (ended when `fn` settles, marked failed when it throws).
 * Tracing off: `fn(undefined)` directly, no span object at all.
 */
export async function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!isTracingEnabled()) return fn(undefined);
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, spanOptions(options), parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    recordError(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Starts a span the caller ends itself (steps, whose outcome arrives in a later hook); undefined when off. */
export function startSpan(name: string, options: SpanOptions): Span | undefined {
  if (!isTracingEnabled()) return undefined;
  return tracer().startSpan(name, spanOptions(options), options.parent ?? context.active());
}

/** Runs `fn` with `span` as the active span (children nest under it). */
export function runInSpan<T>(span: Span | undefined, fn: () => T): T {
  if (span === undefined) return fn();
  return context.with(trace.setSpan(context.active(), span), fn);
}

/** The active span when tracing, for adding attributes from deep inside a call. */
export function activeSpan(): Span | undefined {
  return isTracingEnabled() ? trace.getActiveSpan() : undefined;
}
