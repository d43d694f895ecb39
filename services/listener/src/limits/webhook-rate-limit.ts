/**
 * Webhook rate limits: every trigger has a token bucket — its own `rateLimit`, or the instance default
 * (`OUTRUN_WEBHOOK_RATE_LIMIT_*`, 100/s, bursts of 200) — and every workspace one more over all its triggers
 * (`OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_*`, 500/s, bursts of 1000), so neither a noisy sender nor a workspace with
 * many triggers can take the whole ingest path. Buckets are kept across trigger index reloads (an unrelated edit
 * must not refill them); a changed limit applies from the next request.
 */
import { TokenBuckets, type LimitsResolver } from '@outrun/config';
import type { WebhookEntry } from '../triggers/trigger-index';

export interface RateDecision {
  /** 0 when accepted, else ms until a token is available. */
  waitMs: number;
  /** Which bucket refused. */
  scope?: 'trigger' | 'workspace';
}

export class WebhookRateLimiter {
  private readonly buckets = new TokenBuckets({ rps: 1, burst: 1 });

  constructor(private readonly limits: LimitsResolver) {}

  take(entry: WebhookEntry, nowMs: number): RateDecision {
    const limits = this.limits.forWorkspace(entry.workspaceId);
    const trigger = this.buckets.take(`t:${entry.source}`, entry.config.rateLimit ?? limits.webhookRateLimit, nowMs);
    if (!trigger.allowed) return { waitMs: trigger.retryAfterMs, scope: 'trigger' };
    const workspace = this.buckets.take(`w:${entry.workspaceId}`, limits.webhookWorkspaceRateLimit, nowMs);
    return workspace.allowed ? { waitMs: 0 } : { waitMs: workspace.retryAfterMs, scope: 'workspace' };
  }
}
