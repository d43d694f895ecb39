/**
 * Splits a parameter string into literal text and `{{ expression }}` parts. The scanner tracks JSONata
 * strings and braces, so `{{ {"a": {"b": 1}} }}` is one expression rather than ending at the first `}}`.
 */
import { findTemplateClose } from '@outrun/schemas';

/** A part of a template string. `offset` is where the expression source starts in the whole string. */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'expr'; source: string; offset: number };

export interface ParsedTemplate {
  parts: TemplatePart[];
  /** Exactly one expression and nothing else but whitespace: evaluates to the raw value, not a string. */
  single: boolean;
}

const MAX_CACHE = 10_000;
const cache = new Map<string, ParsedTemplate | null>();

/** True when `value` is a string holding at least one `{{ … }}` template (cheap pre-check). */
export function hasTemplate(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{') && parseTemplate(value) !== null;
}

function scan(s: string): ParsedTemplate | null {
  const parts: TemplatePart[] = [];
  let pos = 0;
  let exprs = 0;
  for (;;) {
    const open = s.indexOf('{{', pos);
    if (open < 0) break;
    const close = findTemplateClose(s, open + 2);
    if (close < 0) break; // unterminated: the rest is literal text
    if (open > pos) parts.push({ kind: 'text', text: s.slice(pos, open) });
    parts.push({ kind: 'expr', source: s.slice(open + 2, close - 2), offset: open + 2 });
    exprs++;
    pos = close;
  }
  if (exprs === 0) return null;
  if (pos < s.length) parts.push({ kind: 'text', text: s.slice(pos) });
  const single = exprs === 1 && parts.every((p) => p.kind === 'expr' || p.text.trim() === '');
  return { parts, single };
}

/** Parses (and caches) the templates of `s`; `null` when `s` holds none. */
export function parseTemplate(s: string): ParsedTemplate | null {
  let parsed = cache.get(s);
  if (parsed !== undefined) return parsed;
  if (!s.includes('{{')) return null;
  parsed = scan(s);
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(s, parsed);
  return parsed;
}
