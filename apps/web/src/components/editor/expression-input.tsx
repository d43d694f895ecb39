'use client';
/**
 * A text field for `{{ }}` templates (or a whole JSONata expression) with syntax highlighting: the real input or
 * textarea stays on top for the keyboard, the caret, selection and screen readers (its own text is transparent); a
 * copy of its text in colour is laid exactly over it (same box, font and padding, scrolled with it, pointer events
 * off, hidden from assistive technology). Tokenizing is one linear pass per keystroke (expression-highlight.ts).
 * The field registers itself as the click-to-insert target when it gets focus (insert-target.ts).
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { caretInExpression, highlightJsonata, highlightTemplate, type ExpressionTokenKind } from './expression-highlight';
import { useInsertTarget, type InsertTarget } from './insert-target';

// Colours only: a different weight or style would change glyph widths and pull the copy off the caret.
const COLORS: Record<ExpressionTokenKind, CSSProperties> = {
  text: {},
  brace: { color: '#7c3aed', background: 'rgba(124, 58, 237, 0.1)', borderRadius: 2 },
  error: { color: '#b91c1c', textDecoration: 'underline wavy #dc2626', textDecorationSkipInk: 'none' },
  scope: { color: '#1d4ed8' },
  path: { color: '#0e7490' },
  function: { color: '#9333ea' },
  variable: { color: '#c2410c' },
  string: { color: '#047857' },
  number: { color: '#b45309' },
  keyword: { color: '#be185d' },
  operator: { color: '#64748b' },
  bracket: { color: '#475569' },
  comment: { color: '#6b7280' },
  plain: {},
};
// The copied box: what decides where each glyph lands.
const BOX_PROPS = ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontStretch', 'lineHeight', 'letterSpacing', 'wordSpacing', 'textIndent', 'textTransform', 'tabSize', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft'] as const;

type Field = HTMLInputElement | HTMLTextAreaElement;

interface Props {
  common: { id: string; name: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined };
  value: string;
  multiline: boolean;
  /** A whole JSONata expression (no `{{ }}`), e.g. the transform node's `expression`. */
  jsonata: boolean;
  label: string;
  placeholder?: string | undefined;
  list?: string | undefined;
  onText: (text: string) => void;
}

export function ExpressionInput({ common, value, multiline, jsonata, label, placeholder, list, onText }: Props) {
  const field = useRef<Field | null>(null);
  const copy = useRef<HTMLSpanElement>(null);
  const caretAfter = useRef<number | null>(null);
  const target = useInsertTarget();
  const tokens = useMemo(() => (jsonata ? highlightJsonata(value) : highlightTemplate(value)), [jsonata, value]);

  const scroll = useCallback(() => {
    const el = field.current;
    const c = copy.current;
    if (!el || !c) return;
    c.scrollLeft = el.scrollLeft;
    c.scrollTop = el.scrollTop;
  }, []);
  const place = useCallback(() => {
    const el = field.current;
    const c = copy.current;
    if (!el || !c) return;
    const css = getComputedStyle(el);
    for (const p of BOX_PROPS) c.style[p] = css[p];
    c.style.left = `${el.offsetLeft + el.clientLeft}px`;
    c.style.top = `${el.offsetTop + el.clientTop}px`;
    c.style.width = `${el.clientWidth}px`;
    c.style.height = `${el.clientHeight}px`;
    scroll();
  }, [scroll]);

  // The box follows the field's size (panel width, a resized textarea).
  useEffect(() => {
    const el = field.current;
    if (!el) return;
    place();
    const observer = new ResizeObserver(place);
    observer.observe(el);
    return () => observer.disconnect();
  }, [place]);

  useLayoutEffect(() => {
    const el = field.current;
    if (el && caretAfter.current !== null && el.value === value) {
      el.setSelectionRange(caretAfter.current, caretAfter.current);
      caretAfter.current = null;
    }
    scroll();
    // The browser scrolls a field to its caret after layout: follow once more on the next frame.
    const frame = requestAnimationFrame(scroll);
    return () => cancelAnimationFrame(frame);
  }, [value, scroll]);

  const insert = useCallback((path: string) => {
    const el = field.current;
    if (!el) return;
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? start;
    const piece = jsonata || caretInExpression(el.value, start) ? path : `{{ ${path} }}`;
    caretAfter.current = start + piece.length;
    el.focus();
    onText(`${el.value.slice(0, start)}${piece}${el.value.slice(end)}`);
  }, [jsonata, onText]);
  // One stable target object per field, reading the latest insert and label.
  const latest = useRef({ insert, label });
  useLayoutEffect(() => {
    latest.current = { insert, label };
  });
  const [self] = useState<InsertTarget>(() => ({ insert: (p) => latest.current.insert(p), get label() { return latest.current.label; } }));
  const focus = () => {
    if (target) target.current = self;
  };
  // A field that goes away is no target any more.
  useEffect(() => () => {
    if (target?.current === self) target.current = null;
  }, [target, self]);

  const style: CSSProperties = { display: 'block', width: '100%', color: 'transparent', caretColor: 'var(--text)' };
  // A field scrolls back to its start on blur (no scroll event for it): follow after the frame.
  const blur = () => requestAnimationFrame(scroll);
  const events = { onScroll: scroll, onSelect: scroll, onKeyUp: scroll, onFocus: focus, onBlur: blur, onChange: (e: { target: Field }) => onText(e.target.value) };
  return (
    <span style={{ position: 'relative', display: 'block' }} data-testid="expression-input">
      {multiline ? (
        <textarea ref={(el) => { field.current = el; }} {...common} {...events} rows={3} value={value} placeholder={placeholder} spellCheck={false} style={style} />
      ) : (
        <input ref={(el) => { field.current = el; }} {...common} {...events} {...(list ? { list } : {})} value={value} placeholder={placeholder} spellCheck={false} autoComplete="off" style={style} />
      )}
      <span
        ref={copy}
        aria-hidden="true"
        data-testid="expression-highlight"
        style={{ position: 'absolute', overflow: 'hidden', pointerEvents: 'none', whiteSpace: multiline ? 'pre-wrap' : 'pre', overflowWrap: multiline ? 'break-word' : 'normal', color: 'var(--text)', boxSizing: 'border-box' }}
      >
        {tokens.map((t, i) => (
          <span key={i} data-token={t.kind} style={COLORS[t.kind]}>
            {t.text}
          </span>
        ))}
        {/* Room to scroll as far as the field does (its end padding, the line after a final newline). */}
        {multiline ? '\n ' : <span style={{ display: 'inline-block', width: 64 }} />}
      </span>
    </span>
  );
}
