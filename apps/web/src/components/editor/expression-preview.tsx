'use client';
/**
 * Preview of a `{{ expression }}` field against the run on the canvas for this node (`input`, `trigger`,
 * `steps`; pinned outputs in place of the recorded ones, as a test run would use them). The gateway evaluates it with the engine's own `evaluateTemplate` (real JSONata, same limits as
 * a run), so what the editor shows is what the run would compute. Requests are debounced and a newer
 * keystroke aborts the older request.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { ExpressionPreviewRequest, ExpressionPreviewResult } from '@outrun/client';
import type { JsonValue } from '@outrun/schemas';
import { useApiContext } from '../../lib/api-context';

/** What expressions see at run time: the run on the canvas, pinned outputs first (preview-scope.ts); null when there is nothing yet. */
export type PreviewScope = { input: JsonValue | undefined; trigger: JsonValue | undefined; steps: Record<string, JsonValue | undefined> } | null;

export const PreviewScopeContext = createContext<PreviewScope>(null);

/** Wait this long after the last keystroke before asking the gateway. */
export const PREVIEW_DEBOUNCE_MS = 250;
const MAX_TEXT = 160;

/** The request body for a template and scope (steps without output are left out: JSON has no `undefined`). */
export function previewRequest(template: string, scope: NonNullable<PreviewScope>): ExpressionPreviewRequest {
  const steps: Record<string, JsonValue> = {};
  for (const [id, output] of Object.entries(scope.steps)) if (output !== undefined) steps[id] = output;
  return { template, scope: { input: scope.input, trigger: scope.trigger, steps } };
}

/** The line the form shows for an answer: compact JSON of the value, or the error with its position. */
export function previewText(result: ExpressionPreviewResult): { text: string; error: boolean } {
  if (!result.ok) {
    const at = result.error.position === undefined ? '' : ` (character ${result.error.position})`;
    return { text: `Preview error${at}: ${result.error.message}`, error: true };
  }
  const json = result.value === undefined ? 'no value in the last run' : JSON.stringify(result.value);
  return { text: `Preview: ${json.length > MAX_TEXT ? `${json.slice(0, MAX_TEXT)}…` : json}`, error: false };
}

/** The last answer, tied to the scope it was computed for (another node's answer is never shown). */
type State = { scope: PreviewScope; text: string; error: boolean } | null;

export function ExpressionPreview({ value }: { value: unknown }) {
  const scope = useContext(PreviewScopeContext);
  const { api } = useApiContext();
  const template = typeof value === 'string' && value.includes('{{') ? value : null;
  const [state, setState] = useState<State>(null);

  useEffect(() => {
    if (template === null || scope === null || api === null) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.previewExpression(previewRequest(template, scope), controller.signal).then(
        (result) => setState({ scope, ...previewText(result) }),
        (err: unknown) => {
          if (controller.signal.aborted) return;
          setState({ scope, text: `Preview unavailable: ${err instanceof Error ? err.message : String(err)}`, error: true });
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, scope, template]);

  if (template === null) return null;
  if (!scope) return <span className="field-help">Preview: no run has reached this node yet.</span>;
  // Keep showing the previous answer for this node while the next one is on its way (no flicker while typing).
  if (state?.scope !== scope) return <span className="field-help">Preview: evaluating…</span>;
  return (
    <span className={`field-help mono${state.error ? ' preview-error' : ''}`} title="Evaluated by the engine against the run on the canvas for this node, pinned outputs in place of recorded ones" data-testid="expression-preview" aria-live="polite">
      {state.text}
    </span>
  );
}
