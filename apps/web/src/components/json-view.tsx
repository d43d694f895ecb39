'use client';
/**
 * A collapsible JSON tree: objects and arrays fold; long strings are clipped with a toggle. With `onPick`, every key
 * and value is also a button giving its path (the editor's click-to-insert).
 */
import { memo, useState, type ReactNode } from 'react';

interface Props {
  value: unknown;
  /** Levels expanded at first. @default 1 */
  expandDepth?: number;
  label?: string;
  /** Called with the path of a clicked key or value (object keys as strings, array indexes as numbers). */
  onPick?: (path: ReadonlyArray<string | number>) => void;
}

type Pick = ((path: ReadonlyArray<string | number>) => void) | undefined;
const PICK_TITLE = 'Insert a reference to this field at the caret of the last expression field';

/**
 * A pick button acts on mouse-down and keeps the focus where it is: the expression field keeps its caret, and
 * nothing that folds away on blur (its suggestions) moves the button from under the pointer. Enter/Space still work.
 */
function PickButton({ path, onPick, children }: { path: ReadonlyArray<string | number>; onPick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      className="j-toggle j-pick"
      title={PICK_TITLE}
      data-path={JSON.stringify(path)}
      onMouseDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        onPick();
      }}
      onClick={(e) => {
        if (e.detail === 0) onPick(); // keyboard
      }}
    >
      {children}
    </button>
  );
}

/** The value's text; `wrap` turns it into a pick button (the "+N chars" toggle stays apart: no button in a button). */
const Leaf = ({ value, wrap = (el) => el }: { value: unknown; wrap?: (el: ReactNode) => ReactNode }) => {
  const [full, setFull] = useState(false);
  if (value === null) return wrap(<span className="j-null">null</span>);
  if (typeof value === 'string') {
    const long = value.length > 200;
    const shown = long && !full ? `${value.slice(0, 200)}…` : value;
    return (
      <span className="j-str">
        {wrap(<>&quot;{shown}&quot;</>)}
        {long ? (
          <button type="button" className="link-btn" onClick={() => setFull((f) => !f)}>
            {full ? 'less' : `+${value.length - 200} chars`}
          </button>
        ) : null}
      </span>
    );
  }
  if (typeof value === 'number') return wrap(<span className="j-num">{String(value)}</span>);
  if (typeof value === 'boolean') return wrap(<span className="j-bool">{String(value)}</span>);
  return wrap(<span className="j-null">{String(value)}</span>);
};

const JsonNode = memo(function JsonNode({ name, path, value, depth, expandDepth, onPick }: { name: string | null; path: ReadonlyArray<string | number>; value: unknown; depth: number; expandDepth: number; onPick: Pick }) {
  const [open, setOpen] = useState(depth < expandDepth);
  const isArray = Array.isArray(value);
  const isObject = value !== null && typeof value === 'object';
  const pick = onPick ? () => onPick(path) : undefined;
  const keyEl = name === null ? null : pick ? (
    <PickButton path={path} onPick={pick}>
      <span className="j-key">{name}</span>
    </PickButton>
  ) : <span className="j-key">{name}: </span>;
  if (!isObject) {
    return (
      <div className="j-row">
        {keyEl}
        {pick ? (
          <>
            {name === null ? null : ': '}
            <Leaf value={value} wrap={(el) => <PickButton path={path} onPick={pick}>{el}</PickButton>} />
          </>
        ) : <Leaf value={value} />}
      </div>
    );
  }
  const entries: Array<[string, unknown]> = isArray ? (value as unknown[]).map((v, i) => [String(i), v]) : Object.entries(value as object);
  const summary = isArray ? `[${entries.length}]` : `{${entries.length}}`;
  const children = open ? (
    <div className="j-children">
      {entries.slice(0, 500).map(([k, v]) => (
        <JsonNode key={k} name={k} path={[...path, isArray ? Number(k) : k]} value={v} depth={depth + 1} expandDepth={expandDepth} onPick={onPick} />
      ))}
      {entries.length > 500 ? <div className="muted">… {entries.length - 500} more</div> : null}
    </div>
  ) : null;
  if (pick) {
    // The fold and the key are two buttons: one opens, the other picks.
    return (
      <div className="j-row">
        <button type="button" className="j-toggle" aria-expanded={open} aria-label={`${open ? 'Fold' : 'Unfold'} ${name ?? 'value'}`} onClick={() => setOpen((o) => !o)}>
          {open ? '▾' : '▸'}
        </button>{' '}
        {keyEl}
        {name === null ? null : ': '}
        <span className="muted">{summary}</span>
        {children}
      </div>
    );
  }
  return (
    <div className="j-row">
      <button type="button" className="j-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? '▾' : '▸'} {keyEl}
        <span className="muted">{summary}</span>
      </button>
      {open ? (
        <div className="j-children">
          {entries.slice(0, 500).map(([k, v]) => (
            <JsonNode key={k} name={k} path={[...path, isArray ? Number(k) : k]} value={v} depth={depth + 1} expandDepth={expandDepth} onPick={undefined} />
          ))}
          {entries.length > 500 ? <div className="muted">… {entries.length - 500} more</div> : null}
        </div>
      ) : null}
    </div>
  );
});

const ROOT: ReadonlyArray<string | number> = [];

export function JsonView({ value, expandDepth = 1, label, onPick }: Props) {
  if (value === undefined) return <div className="muted">—</div>;
  return (
    <div className="json-view" aria-label={label}>
      <JsonNode name={null} path={ROOT} value={value} depth={0} expandDepth={expandDepth} onPick={onPick} />
    </div>
  );
}
