import { parseTemplate } from '@outrun/engine';
import { describe, expect, it } from 'vitest';
import { caretInExpression, highlightJsonata, highlightTemplate, type ExpressionToken } from './expression-highlight';

const kinds = (tokens: ExpressionToken[]) => tokens.filter((t) => t.kind !== 'plain').map((t) => [t.kind, t.text]);
const joined = (tokens: ExpressionToken[]) => tokens.map((t) => t.text).join('');

describe('highlightTemplate', () => {
  it('colours the {{ }} parts and leaves the text around them plain', () => {
    expect(kinds(highlightTemplate('Hi {{ $uppercase(steps.greet.who) & "!" }}, total {{ input.n * 2 }}'))).toEqual([
      ['text', 'Hi '],
      ['brace', '{{'],
      ['function', '$uppercase'],
      ['bracket', '('],
      ['scope', 'steps'],
      ['path', '.greet.who'],
      ['bracket', ')'],
      ['operator', '&'],
      ['string', '"!"'],
      ['brace', '}}'],
      ['text', ', total '],
      ['brace', '{{'],
      ['scope', 'input'],
      ['path', '.n'],
      ['operator', '*'],
      ['number', '2'],
      ['brace', '}}'],
    ]);
  });

  it('reads backquoted names, keywords, variables and comments', () => {
    expect(kinds(highlightJsonata('steps.`set-1`.items[0].price > 3 and $x or $ /* why */'))).toEqual([
      ['scope', 'steps'],
      ['path', '.`set-1`.items'],
      ['bracket', '['],
      ['number', '0'],
      ['bracket', ']'],
      ['path', '.price'],
      ['operator', '>'],
      ['number', '3'],
      ['keyword', 'and'],
      ['variable', '$x'],
      ['keyword', 'or'],
      ['variable', '$'],
      ['comment', '/* why */'],
    ]);
    // `input` after a dot is a field name, not the scope
    expect(kinds(highlightJsonata('steps.input'))).toEqual([['scope', 'steps'], ['path', '.input']]);
  });

  it('splits templates exactly where the engine does (quotes and braces inside an expression)', () => {
    const samples = ['{{ {"a": {"b": 1}} }}', 'x {{ "}}" }} y', "{{ 'it\\'s' }}{{ input }}", 'a {{ b', '{{ `x}}` }}', '}} {{ 1 }} {{', 'no template', '{{}}'];
    for (const s of samples) {
      const engine = parseTemplate(s);
      const exprs = (engine?.parts ?? []).filter((p) => p.kind === 'expr').length;
      const tokens = highlightTemplate(s);
      expect(joined(tokens)).toBe(s);
      expect(tokens.filter((t) => t.kind === 'brace' && t.text.includes('{{')).length).toBe(exprs);
    }
  });

  it('survives broken input: unclosed {{, unterminated strings, names and comments; never loses a character', () => {
    expect(kinds(highlightTemplate('Hello {{ input.na'))).toEqual([['text', 'Hello '], ['error', '{{'], ['scope', 'input'], ['path', '.na']]);
    expect(kinds(highlightTemplate('{{ "abc }}'))).toEqual([['error', '{{'], ['error', '"abc }}']]);
    expect(kinds(highlightJsonata('"a\\"'))).toEqual([['error', '"a\\"']]);
    expect(kinds(highlightJsonata('"a\\\\"'))).toEqual([['string', '"a\\\\"']]);
    expect(kinds(highlightJsonata('`open'))).toEqual([['error', '`open']]);
    expect(kinds(highlightJsonata('1 /* open'))).toEqual([['number', '1'], ['error', '/* open']]);
    for (const s of ['{{', '}}', '{{ }', '{', '$', '"', "'", '`', '/*', '{{ $f(', '\\', '{{ "\\', 'é {{ ü.ß }} ✓']) expect(joined(highlightTemplate(s))).toBe(s);
  });

  it('stays linear on a long expression (one token per run of a kind, no backtracking blow-up)', () => {
    const long = `{{ ${Array.from({ length: 2000 }, (_, i) => `$sum(steps.n${i}.items.price) + `).join('')}0 }}`;
    const tokens = highlightTemplate(long);
    expect(joined(tokens)).toBe(long);
    // pathological inputs for regex engines: long unterminated strings and comments, many backslashes
    for (const s of [`"${'\\'.repeat(50_001)}`, `/*${'*'.repeat(50_000)}`, `'${'a'.repeat(100_000)}`]) expect(joined(highlightJsonata(s))).toBe(s);
  });
});

describe('caretInExpression', () => {
  it('knows when the caret is between {{ and }} (or after an unclosed {{)', () => {
    const v = 'a {{ input.x }} b {{ ste';
    expect(caretInExpression(v, 0)).toBe(false);
    expect(caretInExpression(v, 4)).toBe(true);
    expect(caretInExpression(v, 13)).toBe(true);
    expect(caretInExpression(v, 15)).toBe(false);
    expect(caretInExpression(v, v.length)).toBe(true);
  });
});
