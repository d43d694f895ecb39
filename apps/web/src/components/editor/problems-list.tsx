'use client';
/** The API's validation problems; a problem that concerns a node selects it when clicked. */
import type { Problem } from './resolve-problems';

export function ProblemsList({ problems, onSelectNode }: { problems: Problem[]; onSelectNode: (nodeId: string) => void }) {
  if (problems.length === 0) return <div className="muted">No problems reported. Activate validates the whole graph.</div>;
  return (
    <ul className="stack" style={{ padding: 0, listStyle: 'none' }} aria-label="Problems">
      {problems.map((p) => (
        <li key={`${p.path}:${p.message}`}>
          <button type="button" className="btn btn-sm" style={{ whiteSpace: 'normal', textAlign: 'left' }} onClick={() => p.nodeId && onSelectNode(p.nodeId)}>
            <code>{p.path}</code> {p.message}
          </button>
        </li>
      ))}
    </ul>
  );
}
