'use client';
/**
 * Autocomplete for `{{ }}` fields: the `input`, `trigger` and `steps` paths the run on the canvas recorded for this
 * node (pinned outputs in place of recorded ones, preview-scope.ts), shown while the field has focus. Typing `{{ inp`
 * narrows them; a click completes the open `{{ …` or inserts `{{ path }}` at the caret (a bare path in a field that
 * is a whole JSONata expression, or inside an open `{{`).
 */
import { useContext, useMemo, type MouseEvent } from 'react';
import type { JsonValue } from '@outrun/schemas';
import { PreviewScopeContext } from './expression-preview';
import { caretInExpression } from './expression-highlight';
import { memberPath, stepPath } from './step-reference';

const MAX_DEPTH = 3;
const MAX_SHOWN = 24;

/** Dotted paths into a value, breadth first (arrays stop the walk: `items[0]` is left to the user). */
export function pathsOf(root: string, value: JsonValue | undefined, out: string[] = [], depth = 0): string[] {
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value) || depth >= MAX_DEPTH) return out;
  for (const [key, child] of Object.entries(value)) {
    const path = memberPath(root, key);
    out.push(path);
    pathsOf(path, child, out, depth + 1);
  }
  return out;
}

/** The unclosed `{{ …` being typed at the end of the text: what follows the braces, or null. */
export function openExpression(text: string): { start: number; partial: string } | null {
  const at = text.lastIndexOf('{{');
  if (at < 0 || text.indexOf('}}', at) >= 0) return null;
  const partial = text.slice(at + 2).trimStart();
  return /^[\w$.`-]*$/.test(partial) ? { start: at, partial } : null;
}

/** `jsonata`: the field is a whole JSONata expression (no `{{ }}`). */
export function ExpressionFields({ value, onChange, jsonata = false }: { value: unknown; onChange: (next: string) => void; jsonata?: boolean }) {
  const scope = useContext(PreviewScopeContext);
  const text = typeof value === 'string' ? value : value === undefined ? '' : null;
  const all = useMemo(() => {
    if (!scope) return [];
    const steps = Object.entries(scope.steps).flatMap(([id, out]) => [stepPath(id), ...pathsOf(stepPath(id), out)]);
    return ['input', ...pathsOf('input', scope.input), 'trigger', ...pathsOf('trigger', scope.trigger), ...steps];
  }, [scope]);
  if (text === null || all.length === 0) return null;
  const open = jsonata ? null : openExpression(text);
  const shown = (open ? all.filter((p) => p.startsWith(open.partial)) : all).slice(0, MAX_SHOWN);
  if (shown.length === 0) return null;
  const insert = (e: MouseEvent, path: string) => {
    e.preventDefault(); // keep the caret in the field
    if (open) return onChange(`${text.slice(0, open.start)}{{ ${path} }}`);
    const field = document.activeElement as HTMLInputElement | HTMLTextAreaElement | null;
    const caret = field && 'selectionStart' in field && typeof field.selectionStart === 'number' ? field.selectionStart : text.length;
    const piece = jsonata || caretInExpression(text, caret) ? path : `{{ ${path} }}`;
    onChange(`${text.slice(0, caret)}${piece}${text.slice(caret)}`);
  };
  return (
    <span className="expr-fields" data-testid="expression-fields" aria-label="Fields from the run">
      {shown.map((p) => (
        <button key={p} type="button" className="expr-chip" tabIndex={-1} onMouseDown={(e) => insert(e, p)}>
          {p}
        </button>
      ))}
    </span>
  );
}
