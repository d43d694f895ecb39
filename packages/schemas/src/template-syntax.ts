/**
 * The `{{ … }}` syntax of workflow parameter strings, shared by the engine (which evaluates them) and the editor
 * (which colours them): one rule for where an expression ends, so both always split a string the same way.
 */

/**
 * Index just past the `}}` closing the expression whose source starts at `from`, or -1 when unterminated. JSONata
 * strings and braces are tracked, so `{{ {"a": {"b": 1}} }}` is one expression rather than ending at the first `}}`.
 */
export function findTemplateClose(s: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0 && s[i + 1] === '}') return i + 2;
      if (depth > 0) depth--;
    }
  }
  return -1;
}
