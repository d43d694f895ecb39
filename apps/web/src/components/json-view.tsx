'use client';
/** A collapsible JSON tree: objects and arrays fold; long strings are clipped with a toggle. */
import { memo, useState } from 'react';

interface Props {
  value: unknown;
  /** Levels expanded at first. @default 1 */
  expandDepth?: number;
  label?: string;
}

const Leaf = ({ value }: { value: unknown }) => {
  const [full, setFull] = useState(false);
  if (value === null) return <span className="j-null">null</span>;
  if (typeof value === 'string') {
    const long = value.length > 200;
    const shown = long && !full ? `${value.slice(0, 200)}…` : value;
    return (
      <span className="j-str">
        &quot;{shown}&quot;
        {long ? (
          <button type="button" className="link-btn" onClick={() => setFull((f) => !f)}>
            {full ? 'less' : `+${value.length - 200} chars`}
          </button>
        ) : null}
      </span>
    );
  }
  if (typeof value === 'number') return <span className="j-num">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="j-bool">{String(value)}</span>;
  return <span className="j-null">{String(value)}</span>;
};

const JsonNode = memo(function JsonNode({ name, value, depth, expandDepth }: { name: string | null; value: unknown; depth: number; expandDepth: number }) {
  const [open, setOpen] = useState(depth < expandDepth);
  const isArray = Array.isArray(value);
  const isObject = value !== null && typeof value === 'object';
  const keyEl = name === null ? null : <span className="j-key">{name}: </span>;
  if (!isObject) {
    return (
      <div className="j-row">
        {keyEl}
        <Leaf value={value} />
      </div>
    );
  }
  const entries: Array<[string, unknown]> = isArray ? (value as unknown[]).map((v, i) => [String(i), v]) : Object.entries(value as object);
  const summary = isArray ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <div className="j-row">
      <button type="button" className="j-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? '▾' : '▸'} {keyEl}
        <span className="muted">{summary}</span>
      </button>
      {open ? (
        <div className="j-children">
          {entries.slice(0, 500).map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} expandDepth={expandDepth} />
          ))}
          {entries.length > 500 ? <div className="muted">… {entries.length - 500} more</div> : null}
        </div>
      ) : null}
    </div>
  );
});

export function JsonView({ value, expandDepth = 1, label }: Props) {
  if (value === undefined) return <div className="muted">—</div>;
  return (
    <div className="json-view" aria-label={label}>
      <JsonNode name={null} value={value} depth={0} expandDepth={expandDepth} />
    </div>
  );
}
