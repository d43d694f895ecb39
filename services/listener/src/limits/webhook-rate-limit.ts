/**
 * Webhook rate limits: every trigger has a token bucket — its own `rateLimit`, or the instance default
 * (`OUTRUN_WEBHOOK_RATE_LIMIT_*`, 100/s, bursts of 200) — and every workspace one more over all its triggers
 * (`OUTRUN_WEBHOOK_WORKSPACE_RATE_LIMIT_*`, 500/s, bursts of 1000), so neither a noisy sender nor a workspace with
 * many triggers can take the whole ingest path. Buckets are kept across trigger index reloads (an unrelated edit
 * must not refill them) and replaced when their configuration changes.
 */
import type { LimitsResolver } from '@outrun/config';
import type { WebhookEntry } from '../triggers/trigger-index';
import { TokenBucket } from '../webhook/token-bucket';

export interface RateDecision {
  /** 0 when accepted, else ms until a token is available. */
  waitMs: number;
  /** Which bucket refused. */
  scope?: 'trigger' | 'workspace';
}

export class WebhookRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly limits: LimitsResolver) {}

  take(entry: WebhookEntry, nowMs: number): RateDecision {
    const limits = this.limits.forWorkspace(entry.workspaceId);
    const own = entry.config.rateLimit ?? limits.webhookRateLimit;
    const trigger = this.bucket(`t:${entry.source}`, own.rps, own.burst, nowMs).take(nowMs);
    if (trigger > 0) return { waitMs: trigger, scope: 'trigger' };
    const ws = limits.webhookWorkspaceRateLimit;
    const workspace = this.bucket(`w:${entry.workspaceId}`, ws.rps, ws.burst, nowMs).take(nowMs);
    return workspace > 0 ? { waitMs: workspace, scope: 'workspace' } : { waitMs: 0 };
  }

  private bucket(key: string, rps: number, burst: number, nowMs: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.rps !== rps || bucket.burst !== burst) this.buckets.set(key, (bucket = new TokenBucket(rps, burst, nowMs)));
    return bucket;
  }
}
