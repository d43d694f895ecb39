/**
 * Whether this process traces. Read on hot paths before any span work, so an untraced process pays one
 * boolean check per webhook, job and step. Set only by `startTelemetry`.
 */
let enabled = false;
let trustIncoming = true;

/** True once `startTelemetry` registered an exporting tracer provider. */
export function isTracingEnabled(): boolean {
  return enabled;
}

/** Whether webhooks continue a caller's `traceparent` (else every request starts a new trace). */
export function trustsIncomingTraceparent(): boolean {
  return trustIncoming;
}

/** @internal used by `startTelemetry` and its shutdown. */
export function setTracingState(state: { enabled: boolean; trustIncomingTraceparent?: boolean }): void {
  enabled = state.enabled;
  if (state.trustIncomingTraceparent !== undefined) trustIncoming = state.trustIncomingTraceparent;
}
