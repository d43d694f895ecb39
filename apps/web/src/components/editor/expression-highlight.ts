/**
 * Tokens for colouring expression fields: the `{{ … }}` parts of a template (literal text around them stays
 * plain) or a whole JSONata expression. Like the code field's tokenizer (code-highlight.ts): one linear pass with
 * a sticky regex, never throws, and the tokens' texts always add up to the input. Templates are split the way the
 * engine splits them (both use `findTemplateClose` of @outrun/schemas; a test keeps the two in step): quotes and
 * braces inside an expression do not end it. An unclosed `{{` is marked `error`, its rest still coloured.
 */
import { findTemplateClose } from '@outrun/schemas';

export type ExpressionTokenKind =
  | 'text' // literal text of a template, outside `{{ }}`
  | 'brace' // `{{` and `}}`
  | 'error' // an unclosed `{{`, an unterminated string, quoted name or comment
  | 'scope' // `input`, `trigger`, `steps` starting a path
  | 'path' // names and backquoted names of a path, with their dots
  | 'function' // `$name(`
  | 'variable' // `$name`, `$`, `$$`
  | 'string'
  | 'number'
  | 'keyword' // and, or, in, true, false, null, function
  | 'operator'
  | 'bracket' // ( ) [ ] { }
  | 'comment'
  | 'plain'; // whitespace and anything else

export interface ExpressionToken {
  kind: ExpressionTokenKind;
  text: string;
}

const KEYWORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);
const SCOPE = new Set(['input', 'trigger', 'steps']);
/** What follows a `$name` that is called (spaces before the parenthesis are allowed, within reason). */
const FUNCTION_CALL = /^\s*\(/;

// Order matters: comments before `/`, two-character operators before one-character ones.
const TOKEN =
  /\/\*[\s\S]*?(?:\*\/|$)|"(?:\\[\s\S]|[^"\\])*"?|'(?:\\[\s\S]|[^'\\])*'?|`[^`]*`?|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\$\$?[A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*|:=|~>|!=|<=|>=|\.\.|\.|[-+*/%=<>&?:!~^#@|,;]|[()[\]{}]|\s+|[\s\S]/y;

/** Appends, merging with the previous token of the same kind (fewer spans to render). */
function push(tokens: ExpressionToken[], kind: ExpressionTokenKind, text: string): void {
  const last = tokens[tokens.length - 1];
  if (last && last.kind === kind) last.text += text;
  else tokens.push({ kind, text });
}

function unterminated(text: string, quote: string): boolean {
  if (text.length < 2 || !text.endsWith(quote)) return true;
  if (quote === '`') return false;
  // `"a\"` ends with an escaped quote: count the backslashes before it
  let backslashes = 0;
  for (let i = text.length - 2; i > 0 && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Tokens of a JSONata expression. */
export function highlightJsonata(source: string, tokens: ExpressionToken[] = []): ExpressionToken[] {
  // Whether the previous meaningful token continues a path (`steps.a` → `.b` is part of it).
  let afterDot = false;
  let inPath = false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(source); m; m = TOKEN.exec(source)) {
    const text = m[0];
    const c = text[0] ?? '';
    if (/\s/.test(c)) {
      push(tokens, 'plain', text);
      continue;
    }
    let kind: ExpressionTokenKind;
    if (text.startsWith('/*')) kind = text.length < 4 || !text.endsWith('*/') ? 'error' : 'comment';
    else if (c === '"' || c === "'") kind = unterminated(text, c) ? 'error' : 'string';
    else if (c === '`') kind = unterminated(text, c) ? 'error' : 'path';
    else if (/\d/.test(c)) kind = 'number';
    else if (c === '$') kind = FUNCTION_CALL.test(source.slice(TOKEN.lastIndex, TOKEN.lastIndex + 80)) ? 'function' : 'variable';
    else if (/[A-Za-z_]/.test(c)) kind = afterDot ? 'path' : KEYWORDS.has(text) ? 'keyword' : SCOPE.has(text) ? 'scope' : 'path';
    else if (text === '.') kind = inPath ? 'path' : 'operator';
    else if ('()[]{}'.includes(c)) kind = 'bracket';
    else kind = 'operator';
    push(tokens, kind, text);
    afterDot = text === '.';
    inPath = kind === 'path' || kind === 'scope' || (kind === 'bracket' && text === ']');
  }
  return tokens;
}

/** Tokens of a parameter string: literal text, and the JSONata of each `{{ … }}`. */
export function highlightTemplate(value: string): ExpressionToken[] {
  const tokens: ExpressionToken[] = [];
  let pos = 0;
  while (pos < value.length) {
    const open = value.indexOf('{{', pos);
    if (open < 0) break;
    if (open > pos) push(tokens, 'text', value.slice(pos, open));
    const close = findTemplateClose(value, open + 2);
    if (close < 0) {
      // Unclosed: the engine would keep it as literal text. Flag the braces, colour what is being typed.
      push(tokens, 'error', '{{');
      highlightJsonata(value.slice(open + 2), tokens);
      return tokens;
    }
    push(tokens, 'brace', '{{');
    highlightJsonata(value.slice(open + 2, close - 2), tokens);
    push(tokens, 'brace', '}}');
    pos = close;
  }
  if (pos < value.length) push(tokens, 'text', value.slice(pos));
  return tokens;
}

/** Whether `caret` sits inside a `{{ … }}` of `value` (closed, or still open): a bare path goes there. */
export function caretInExpression(value: string, caret: number): boolean {
  let pos = 0;
  for (;;) {
    const open = value.indexOf('{{', pos);
    if (open < 0 || open + 2 > caret) return false;
    const close = findTemplateClose(value, open + 2);
    if (close < 0 || caret <= close - 2) return true;
    pos = close;
  }
}
