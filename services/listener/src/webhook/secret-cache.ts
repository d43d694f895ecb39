import type { CredentialStore } from '@outrun/store';

interface Entry {
  secrets: readonly string[];
  loadedAt: number;
  pending?: Promise<readonly string[]>;
}

export interface SecretCacheOptions {
  /** How long decrypted secrets are reused. @default 10000 */
  ttlMs?: number;
  /** A failed verification refetches once when the cached copy is older than this (picks up a rotation). @default 1000 */
  refreshAfterMs?: number;
  /** Monotonic time for the cache (not the business clock). @default performance.now */
  now?: () => number;
}

/**
 * Webhook secrets from `webhook_secret` credentials (`{secrets: string[]}`, newest first), decrypted once and
 * kept briefly, so the hot path does no store read per request. Concurrent misses share one fetch.
 */
export class SecretCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly refreshAfterMs: number;
  private readonly now: () => number;

  constructor(
    private readonly credentials: CredentialStore,
    options: SecretCacheOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.ttlMs = options.ttlMs ?? 10_000;
    this.refreshAfterMs = options.refreshAfterMs ?? 1000;
  }

  /** Cached secrets, or a fetch when missing/expired. Synchronous value when cached (no promise on the hot path). */
  get(workspaceId: string, credentialId: string): readonly string[] | Promise<readonly string[]> {
    const entry = this.entries.get(`${workspaceId}/${credentialId}`);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) return entry.secrets;
    return this.load(workspaceId, credentialId);
  }

  /** True when a cached copy is old enough that refetching after a failed check is worthwhile. */
  isStale(workspaceId: string, credentialId: string): boolean {
    const entry = this.entries.get(`${workspaceId}/${credentialId}`);
    return !entry || this.now() - entry.loadedAt >= this.refreshAfterMs;
  }

  load(workspaceId: string, credentialId: string): Promise<readonly string[]> {
    const key = `${workspaceId}/${credentialId}`;
    const entry = this.entries.get(key);
    if (entry?.pending) return entry.pending;
    const pending = this.credentials.getSecret(workspaceId, credentialId).then(
      (data) => {
        const secrets = extractSecrets(data);
        this.entries.set(key, { secrets, loadedAt: this.now() });
        return secrets;
      },
      (error: unknown) => {
        if (entry) delete entry.pending;
        throw error;
      },
    );
    if (entry) entry.pending = pending;
    else this.entries.set(key, { secrets: [], loadedAt: -Infinity, pending });
    return pending;
  }

  /** Forgets one credential's secrets (it changed: a rotation revoked the previous secret). */
  evict(workspaceId: string, credentialId: string): void {
    this.entries.delete(`${workspaceId}/${credentialId}`);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** `{secrets: [...]}` (canonical), or a single `secret`/`token`/`password` string. */
export function extractSecrets(data: Record<string, unknown> | null): string[] {
  if (!data) return [];
  if (Array.isArray(data.secrets)) return data.secrets.filter((s): s is string => typeof s === 'string' && s !== '');
  for (const key of ['secret', 'token', 'password']) {
    const value = data[key];
    if (typeof value === 'string' && value !== '') return [value];
  }
  return [];
}
