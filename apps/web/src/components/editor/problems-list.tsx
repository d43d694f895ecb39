'use client';
/** Validation problems in plain words, naming the node by its label; one that concerns a node selects it when clicked. */
import { humanProblem, type NodeNames } from './human-problem';
import type { Problem } from './resolve-problems';

export function ProblemsList({ problems, names, onSelectNode }: { problems: Problem[]; names: NodeNames; onSelectNode: (nodeId: string) => void }) {
  if (problems.length === 0) return <div className="muted">No problems reported. Publish and Activate check the whole graph.</div>;
  return (
    <ul className="stack" style={{ padding: 0, listStyle: 'none' }} aria-label="Problems">
      {problems.map((p) => {
        const h = humanProblem(p, names);
        return (
          <li key={`${p.path}:${p.message}`}>
            <button type="button" className="btn btn-sm" style={{ whiteSpace: 'normal', textAlign: 'left' }} title={p.path} onClick={() => p.nodeId && onSelectNode(p.nodeId)}>
              <span>
                <strong>{h.where}</strong>: {h.text}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
