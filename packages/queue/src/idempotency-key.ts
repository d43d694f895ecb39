import { createHash } from 'node:crypto';

/** Where a caller-chosen idempotency key came from; each source has its own key space. */
export const IdempotencySource = { webhook: 'webhook', manual: 'manual' } as const;
export type IdempotencySource = (typeof IdempotencySource)[keyof typeof IdempotencySource];

/** Longest key stored as is; longer encodings are stored as their SHA-256. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/**
 * The run idempotency key of a caller-chosen id, unambiguous by construction: a JSON array of
 * `[source, scope, id]` (scope: the webhook trigger id, or the workflow id of a manual run), so no choice of
 * trigger id or delivery id can produce another trigger's key (`wh:a:b:c` could be trigger `a:b` or `a`), and
 * a manual key can never equal a schedule occurrence's `sched:…` or a data change's `data:…` key (those never
 * start with `[`). Encodings over 200 characters become `sha256:<hex of the encoding>`, which no
 * JSON array and no `sched:`/`data:` key can equal either.
 */
export function runIdempotencyKey(source: IdempotencySource, scope: string, id: string): string {
  const encoded = JSON.stringify([source, scope, id]);
  if (encoded.length <= MAX_IDEMPOTENCY_KEY_LENGTH) return encoded;
  return `sha256:${createHash('sha256').update(encoded).digest('hex')}`;
}
