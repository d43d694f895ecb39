/**
 * What "Run now" offers as the trigger payload: shaped exactly like a real delivery of the chosen trigger, so a
 * test run takes the branches a real event would. A webhook delivery is `{body, query, headers, method}`
 * (the listener's shape: headers are the ones the trigger includes, lower-cased).
 */
import type { JsonObject, JsonValue, TriggerInput } from '@outrun/schemas';

export function samplePayload(trigger: TriggerInput | undefined): JsonObject {
  switch (trigger?.type) {
    case 'webhook': {
      const include = (trigger.config as { includeHeaders?: string[] } | undefined)?.includeHeaders ?? [];
      const headers: JsonObject = {};
      for (const name of include) headers[name.toLowerCase()] = name.toLowerCase() === 'content-type' ? 'application/json' : '';
      return { body: {}, query: {}, headers, method: (trigger.config as { methods?: string[] } | undefined)?.methods?.[0] ?? 'POST' };
    }
    case 'schedule': {
      const config = trigger.config as { cron?: string; timezone?: string } | undefined;
      return { scheduledAt: new Date().toISOString(), cron: config?.cron ?? '', timezone: config?.timezone ?? 'UTC' };
    }
    case 'data_change': {
      const config = trigger.config as { collection?: string } | undefined;
      return { operation: 'insert', collection: config?.collection ?? '', documentId: '', document: {}, before: null, at: new Date().toISOString() };
    }
    default:
      return {};
  }
}

/** Why a payload does not look like a delivery of this trigger (null when it does). */
export function payloadProblem(trigger: TriggerInput | undefined, payload: JsonValue): string | null {
  if (trigger?.type !== 'webhook') return null;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return 'A webhook delivery is an object: {"body", "query", "headers", "method"}.';
  const missing = ['body', 'query', 'headers', 'method'].filter((k) => !(k in payload));
  if (missing.length > 0) return `A webhook delivery has ${missing.map((k) => `"${k}"`).join(', ')}: the request body goes under "body" (nodes read it as input.body).`;
  const extra = Object.keys(payload).filter((k) => !['body', 'query', 'headers', 'method'].includes(k));
  if (extra.length > 0) return `A webhook delivery has only "body", "query", "headers" and "method"; move ${extra.map((k) => `"${k}"`).join(', ')} under "body".`;
  return null;
}
