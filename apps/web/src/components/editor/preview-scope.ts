/**
 * What a node's expressions see in the editor (autocomplete and live preview), as a test run of the draft would
 * give them: the run on the canvas, with every pinned output in place of the recorded one — in `steps`, and in
 * this node's `input` when the output comes from a pinned predecessor (the engine's rule: the one predecessor's
 * output, or a map by predecessor id when there are several). With pins, there is a scope even before any run.
 */
import { useRef } from 'react';
import type { JsonValue, Run } from '@outrun/schemas';
import type { PreviewScope } from './expression-preview';

export type Pins = Readonly<Record<string, JsonValue>>;

const isObject = (v: unknown): v is Record<string, JsonValue> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The scope for `nodeId`, whose incoming connections come from `sources`; null when there is nothing to show. */
export function previewScope(run: Run | null | undefined, nodeId: string, pins: Pins, sources: readonly string[]): PreviewScope {
  const step = run?.steps.find((s) => s.nodeId === nodeId);
  const pinned = (id: string) => (Object.hasOwn(pins, id) ? pins[id] : undefined);
  if (!step && Object.keys(pins).length === 0) return null;
  const steps: Record<string, JsonValue | undefined> = {};
  for (const s of run?.steps ?? []) if (s.output !== undefined) steps[s.nodeId] = s.output;
  for (const [id, output] of Object.entries(pins)) steps[id] = output;
  let input = step?.input;
  if (sources.length === 1) {
    const only = pinned(sources[0] ?? '');
    if (only !== undefined) input = only;
  } else if (sources.length > 1 && sources.some((id) => pinned(id) !== undefined)) {
    const map: Record<string, JsonValue> = isObject(input) ? { ...input } : {};
    for (const id of sources) {
      const out = pinned(id) ?? (isObject(input) ? undefined : steps[id]);
      if (out !== undefined) map[id] = out;
    }
    input = map;
  }
  return { input, trigger: run?.triggeredBy.payload, steps };
}

/**
 * The pinned outputs of the draft's nodes, as one object that keeps its identity while they do not change (a node
 * drag changes positions only: the node panel is not re-rendered for it).
 */
export function usePins(nodes: ReadonlyArray<{ id: string; data: { pinned?: JsonValue } }> | undefined): Pins {
  const last = useRef<Pins>({});
  const next: Record<string, JsonValue> = {};
  for (const n of nodes ?? []) if (n.data.pinned !== undefined) next[n.id] = n.data.pinned;
  const prev = last.current;
  const same = Object.keys(next).length === Object.keys(prev).length && Object.entries(next).every(([id, v]) => prev[id] === v);
  if (!same) last.current = next;
  return last.current;
}
