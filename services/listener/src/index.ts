/**
 * @outrun/listener — turns the outside world into runs: webhooks (`/webhook/:workspaceId/:triggerId`),
 * schedules (one timer wheel, DST-aware cron) and data changes (the store's change feed). Every accepted
 * event is one durably recorded run plus one queue job.
 */
export { createListener, type Listener, type ListenerDeps, type ListenerOptions } from './server';
export { ListenerEnv, loadListenerEnv } from './env';
export { nextFireTimes } from '@outrun/engine';
export { verifyWebhookAuth, signStandardWebhook, TIMESTAMP_TOLERANCE_MS, type AuthResult } from './webhook/verify-webhook-auth';
export { scheduleIdempotencyKey } from './schedule/scheduler';
export { dataIdempotencyKey } from './data/data-change-follower';
export { composeListener, type ComposedListener } from './compose';
