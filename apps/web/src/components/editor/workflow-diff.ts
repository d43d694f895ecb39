/** What publishing would change: the draft against the live version, by node label (what the user sees). */
import type { WorkflowInputRaw } from '@outrun/schemas';

type Graph = Pick<WorkflowInputRaw, 'name' | 'nodes' | 'edges' | 'triggers'>;

export interface WorkflowDiff {
  renamed: { from: string; to: string } | null;
  added: string[];
  removed: string[];
  changed: string[];
  edgesAdded: number;
  edgesRemoved: number;
  triggersChanged: string[];
  /** Nothing but node positions differ. */
  movedOnly: boolean;
}

const label = (n: { id: string; type: string; label?: string | undefined }) => (n.label ? `${n.label} (${n.type})` : `${n.type} ${n.id}`);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const edgeKey = (e: { source: string; sourceHandle?: string | null | undefined; target: string }) => `${e.source}:${e.sourceHandle ?? 'out'}→${e.target}`;

export function diffWorkflows(live: Graph, draft: Graph): WorkflowDiff {
  const liveNodes = new Map((live.nodes ?? []).map((n) => [n.id, n]));
  const draftNodes = new Map((draft.nodes ?? []).map((n) => [n.id, n]));
  const added = [...draftNodes.values()].filter((n) => !liveNodes.has(n.id)).map(label);
  const removed = [...liveNodes.values()].filter((n) => !draftNodes.has(n.id)).map(label);
  const changed: string[] = [];
  let moved = false;
  for (const n of draftNodes.values()) {
    const before = liveNodes.get(n.id);
    if (!before) continue;
    const { position: p1, ...rest1 } = before;
    const { position: p2, ...rest2 } = n;
    if (!same(rest1, rest2)) changed.push(label(n));
    else if (!same(p1, p2)) moved = true;
  }
  const liveEdges = new Set((live.edges ?? []).map(edgeKey));
  const draftEdges = new Set((draft.edges ?? []).map(edgeKey));
  const liveTriggers = new Map((live.triggers ?? []).map((t) => [t.id, t]));
  const draftTriggers = new Map((draft.triggers ?? []).map((t) => [t.id, t]));
  const triggersChanged = [...new Set([...liveTriggers.keys(), ...draftTriggers.keys()])]
    .filter((id) => !same(liveTriggers.get(id), draftTriggers.get(id)))
    .map((id) => `${(draftTriggers.get(id) ?? liveTriggers.get(id))?.type ?? ''} trigger ${id}`);
  const diff: WorkflowDiff = {
    renamed: live.name === draft.name ? null : { from: live.name, to: draft.name },
    added,
    removed,
    changed,
    edgesAdded: [...draftEdges].filter((k) => !liveEdges.has(k)).length,
    edgesRemoved: [...liveEdges].filter((k) => !draftEdges.has(k)).length,
    triggersChanged,
    movedOnly: false,
  };
  diff.movedOnly = moved && !diff.renamed && !added.length && !removed.length && !changed.length && !diff.edgesAdded && !diff.edgesRemoved && !triggersChanged.length;
  return diff;
}
