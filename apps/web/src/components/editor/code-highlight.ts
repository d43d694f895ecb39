/**
 * A small JavaScript/TypeScript tokenizer for the code field's highlighting: comments, strings, template
 * literals, numbers, keywords, TypeScript type words and the code node's own names (input, trigger, steps,
 * helpers, console). Linear, one pass, never throws: unknown characters are plain text.
 */
export type TokenKind = 'comment' | 'string' | 'number' | 'keyword' | 'type' | 'scope' | 'plain';
export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set('const let var function return if else for while do break continue switch case default try catch finally throw new typeof instanceof in of await async class extends import export null undefined true false this yield delete void'.split(' '));
const TYPE_WORDS = new Set('interface type as number string boolean unknown any never readonly enum keyof satisfies'.split(' '));
const SCOPE = new Set(['input', 'trigger', 'steps', 'helpers', 'console']);

// Order matters: comments before the `/` operator, strings before identifiers.
const TOKEN = /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:\\[\s\S]|[^'\\\n])*'?|"(?:\\[\s\S]|[^"\\\n])*"?|`(?:\\[\s\S]|[^`\\])*`?|\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?n?\b|0x[\da-f]+|[A-Za-z_$][\w$]*|\s+|[\s\S]/giy;

export function highlightCode(source: string): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, text: string) => {
    const last = tokens[tokens.length - 1];
    if (last && last.kind === kind) last.text += text;
    else tokens.push({ kind, text });
  };
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(source); m; m = TOKEN.exec(source)) {
    const text = m[0];
    const c = text[0] ?? '';
    if (text.startsWith('//') || text.startsWith('/*')) push('comment', text);
    else if (c === '"' || c === "'" || c === '`') push('string', text);
    else if (/\d/.test(c)) push('number', text);
    else if (/[A-Za-z_$]/.test(c)) push(KEYWORDS.has(text) ? 'keyword' : TYPE_WORDS.has(text) ? 'type' : SCOPE.has(text) ? 'scope' : 'plain', text);
    else push('plain', text);
  }
  return tokens;
}
