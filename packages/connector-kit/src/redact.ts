/** A logger and error text that never carry a credential's secret values. */
import type { NodeLogger } from '@outrun/engine';

const MASK = '[redacted]';

/** The secret strings of a credential (only non-trivial ones: masking "a" would mangle every message). */
export function secretValues(credential: unknown, secretFields: readonly string[]): string[] {
  if (credential === null || typeof credential !== 'object') return [];
  const values: string[] = [];
  for (const field of secretFields) {
    const value = (credential as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.length >= 4) values.push(value);
    // A password also appears URL-encoded inside connection strings a driver echoes back.
    if (typeof value === 'string' && value.length >= 4 && encodeURIComponent(value) !== value) values.push(encodeURIComponent(value));
  }
  return values;
}

/** Replaces every secret occurrence in `text`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}

/** Deep copy of a log field value with secret strings masked (bounded depth: fields are small). */
export function redactValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactText(value.message, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets, depth + 1)]));
}

/** Wraps a node logger so messages and fields are masked before they leave the step. */
export function redactingLogger(log: NodeLogger, secrets: readonly string[]): NodeLogger {
  if (secrets.length === 0) return log;
  const wrap = (level: keyof NodeLogger) => (msg: string, fields?: Record<string, unknown>) =>
    log[level](redactText(msg, secrets), fields === undefined ? undefined : (redactValue(fields, secrets) as Record<string, unknown>));
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}
