'use client';
/**
 * Preview of a `{{ path }}` expression against the last run's data for this node (`input`, `trigger`,
 * `steps`). Only plain paths are resolved here; anything richer (JSONata operators, functions) is evaluated by
 * the engine at run time, so the preview says so instead of guessing.
 */
import { createContext, useContext } from 'react';
import type { JsonValue } from '@outrun/schemas';

/** What expressions see at run time, as the last run recorded it; null when there is no run yet. */
export type PreviewScope = { input: JsonValue | undefined; trigger: JsonValue | undefined; steps: Record<string, JsonValue | undefined> } | null;

export const PreviewScopeContext = createContext<PreviewScope>(null);

const PLAIN = /^\{\{\s*((?:input|trigger|steps)(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*)\s*\}\}$/;

/** Resolves a plain path such as `input.body.items[0].name`; `undefined` when a segment is missing. */
export function resolvePath(scope: NonNullable<PreviewScope>, path: string): JsonValue | undefined {
  const segments = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let value: unknown = scope;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value as JsonValue | undefined;
}

export function ExpressionPreview({ value }: { value: unknown }) {
  const scope = useContext(PreviewScopeContext);
  if (typeof value !== 'string' || !value.includes('{{')) return null;
  if (!scope) return <span className="field-help">Preview: no run has reached this node yet.</span>;
  const match = PLAIN.exec(value.trim());
  if (!match?.[1]) return <span className="field-help">Preview: evaluated at run time (JSONata).</span>;
  const resolved = resolvePath(scope, match[1]);
  const text = resolved === undefined ? 'no value in the last run' : JSON.stringify(resolved);
  return (
    <span className="field-help mono" title="From the last run's data for this node">
      Preview: {text.length > 160 ? `${text.slice(0, 160)}…` : text}
    </span>
  );
}
