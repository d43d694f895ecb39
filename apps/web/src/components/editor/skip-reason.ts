/**
 * Why a step was skipped in a run, in words: a step is skipped only when no branch leads to it — the routing step
 * before it chose another output, or the step before it was skipped itself.
 */
import type { Run } from '@outrun/schemas';
import type { CanvasEdge } from './graph-model';

export function skipReason(nodeId: string, edges: readonly CanvasEdge[], run: Run | null, name: (id: string) => string | undefined): string | undefined {
  if (!run) return undefined;
  const stepOf = (id: string) => run.steps.find((s) => s.nodeId === id);
  const reasons: string[] = [];
  for (const e of edges) {
    if (e.target !== nodeId) continue;
    const source = stepOf(e.source);
    const label = name(e.source) ?? e.source;
    if (!source || source.status === 'skipped') reasons.push(`${label} before it was skipped too`);
    else if (source.handle !== undefined && (e.sourceHandle ?? 'out') !== source.handle) reasons.push(`${label} took its “${source.handle}” output, not “${e.sourceHandle ?? 'out'}”`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}
