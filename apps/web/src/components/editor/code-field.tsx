'use client';
/**
 * The `code` node's editor field: a textarea laid exactly over its own highlighted copy (same font, padding and
 * no wrapping), line numbers, Tab indents, and the syntax error — found in the browser as you type, before any
 * run — under the field and on its line number.
 */
import { useDeferredValue, useMemo, type CSSProperties, type KeyboardEvent } from 'react';
import { highlightCode, type TokenKind } from './code-highlight';
import { checkCodeSyntax } from './code-syntax';

const COLORS: Record<TokenKind, CSSProperties> = {
  comment: { color: '#6b7280', fontStyle: 'italic' },
  string: { color: '#047857' },
  number: { color: '#b45309' },
  keyword: { color: '#7c3aed', fontWeight: 600 },
  type: { color: '#0e7490' },
  scope: { color: '#1d4ed8' },
  plain: {},
};
const TEXT: CSSProperties = { margin: 0, padding: '8px 10px', font: '12.5px/1.5 var(--mono)', whiteSpace: 'pre', tabSize: 2, letterSpacing: 0, border: 0, boxSizing: 'border-box' };

interface Props {
  id: string;
  name: string;
  value: string;
  language: 'javascript' | 'typescript';
  invalid: boolean;
  describedBy: string | undefined;
  onChange: (value: string) => void;
}

export function CodeField({ id, name, value, language, invalid, describedBy, onChange }: Props) {
  const tokens = useMemo(() => highlightCode(value), [value]);
  // The check parses the whole source: deferred, so typing in a long script stays responsive.
  const checked = useDeferredValue(value);
  const problem = useMemo(() => (checked.trim() ? checkCodeSyntax(checked, language) : null), [checked, language]);
  const lineCount = value.split('\n').length;

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Tab' || e.shiftKey) return;
    e.preventDefault();
    const el = e.currentTarget;
    el.setRangeText('  ', el.selectionStart, el.selectionEnd, 'end');
    onChange(el.value);
  };

  return (
    <span className="stack" style={{ gap: 4 }}>
      <span data-testid="code-field" data-language={language} style={{ display: 'flex', border: `1px solid ${invalid || problem ? 'var(--fail)' : 'var(--border)'}`, borderRadius: 'var(--radius)', background: '#fbfcfd', maxHeight: 420, overflow: 'auto' }}>
        <span aria-hidden="true" style={{ ...TEXT, padding: '8px 6px', color: 'var(--muted)', textAlign: 'right', userSelect: 'none', background: '#f1f3f6', minWidth: 30, position: 'sticky', left: 0, zIndex: 1 }}>
          {Array.from({ length: lineCount }, (_, i) => (
            <span key={i} style={{ display: 'block', ...(problem?.line === i + 1 ? { color: '#fff', background: 'var(--fail)', borderRadius: 3 } : {}) }} data-error-line={problem?.line === i + 1 ? '' : undefined}>
              {i + 1}
            </span>
          ))}
        </span>
        <span style={{ position: 'relative', flex: 1, minWidth: 'max-content' }}>
          <pre aria-hidden="true" style={{ ...TEXT, color: 'var(--text)', minHeight: 120 }}>
            {tokens.map((t, i) => (
              <span key={i} style={COLORS[t.kind]}>
                {t.text}
              </span>
            ))}
            {'\n'}
          </pre>
          <textarea
            id={id}
            name={name}
            aria-invalid={invalid || Boolean(problem)}
            aria-describedby={describedBy}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            wrap="off"
            value={value}
            onKeyDown={onKeyDown}
            onChange={(e) => onChange(e.target.value)}
            style={{ ...TEXT, position: 'absolute', inset: 0, width: '100%', height: '100%', resize: 'none', overflow: 'hidden', background: 'transparent', color: 'transparent', caretColor: 'var(--text)', outline: 'none', borderRadius: 0 }}
          />
        </span>
      </span>
      {problem ? (
        <span className="field-error" role="alert" data-testid="code-syntax-error">
          Syntax error, line {problem.line}:{problem.column} — {problem.message}
        </span>
      ) : null}
    </span>
  );
}
