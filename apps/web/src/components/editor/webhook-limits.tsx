'use client';
/**
 * A webhook trigger's limits and headers: largest accepted body, a token-bucket rate limit, the sync-mode wait,
 * and which request headers are copied into the payload. Numbers are clamped to what the API accepts.
 */
import { useEffect, useState } from 'react';
import type { JsonObject } from '@outrun/schemas';

interface Props {
  config: JsonObject;
  setConfig: (patch: JsonObject) => void;
  /** Replaces the whole config (to drop a key). */
  replaceConfig: (next: JsonObject) => void;
}

const MAX_BODY_KIB = 16 * 1024;
const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n));

/** "X-Request-Id, user-agent" → ["x-request-id", "user-agent"]: lower-case, unique, no blanks. */
export function parseHeaderList(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).map((h) => h.trim().toLowerCase()).filter((h) => h.length > 0 && h.length <= 100))];
}

export function WebhookLimits({ config, setConfig, replaceConfig }: Props) {
  const maxBody = typeof config.maxBodyBytes === 'number' ? config.maxBodyBytes : 1024 * 1024;
  const rate = (config.rateLimit ?? null) as { rps: number; burst: number } | null;
  const headers = Array.isArray(config.includeHeaders) ? (config.includeHeaders as string[]) : [];
  const [headerText, setHeaderText] = useState(headers.join(', '));
  useEffect(() => setHeaderText(headers.join(', ')), [headers.join(',')]);

  return (
    <fieldset className="stack">
      <legend>Limits and headers</legend>
      <label>
        Largest body (KiB)
        <input type="number" name="maxBodyKiB" min={1} max={MAX_BODY_KIB} value={Math.max(1, Math.round(maxBody / 1024))} onChange={(e) => setConfig({ maxBodyBytes: clamp(Math.round(Number(e.target.value) || 1), 1, MAX_BODY_KIB) * 1024 })} />
        <span className="field-help">Bigger deliveries are refused with 413.</span>
      </label>
      <label className="check">
        <input
          type="checkbox"
          name="rateLimited"
          checked={rate !== null}
          onChange={(e) => {
            if (e.target.checked) setConfig({ rateLimit: { rps: 10, burst: 20 } });
            else {
              const { rateLimit: _drop, ...rest } = config;
              replaceConfig(rest);
            }
          }}
        />{' '}
        Rate limit
      </label>
      {rate ? (
        <div className="row">
          <label>
            Requests per second
            <input type="number" name="rps" min={0.01} max={100000} step="any" value={rate.rps} onChange={(e) => setConfig({ rateLimit: { ...rate, rps: clamp(Number(e.target.value) || 0.01, 0.01, 100_000) } })} />
          </label>
          <label>
            Burst
            <input type="number" name="burst" min={1} max={1000000} value={rate.burst} onChange={(e) => setConfig({ rateLimit: { ...rate, burst: clamp(Math.round(Number(e.target.value) || 1), 1, 1_000_000) } })} />
          </label>
        </div>
      ) : null}
      {config.responseMode === 'sync' ? (
        <label>
          Sync wait (ms)
          <input type="number" name="syncTimeoutMs" min={100} max={300000} value={typeof config.syncTimeoutMs === 'number' ? config.syncTimeoutMs : 30_000} onChange={(e) => setConfig({ syncTimeoutMs: clamp(Math.round(Number(e.target.value) || 100), 100, 300_000) })} />
          <span className="field-help">Past this wait the caller gets 202 with the run id.</span>
        </label>
      ) : null}
      <label>
        Headers to include in the payload
        <input name="includeHeaders" className="mono" value={headerText} placeholder="x-request-id, user-agent" onChange={(e) => setHeaderText(e.target.value)} onBlur={() => setConfig({ includeHeaders: parseHeaderList(headerText) })} />
        <span className="field-help">Comma-separated; they appear under trigger.headers.</span>
      </label>
    </fieldset>
  );
}
