import { describe, expect, it } from 'vitest';
import { transpileCode } from '@outrun/sandbox';
import { highlightCode } from './code-highlight';
import { checkCodeSyntax } from './code-syntax';

describe('code field syntax check', () => {
  const samples: Array<[string, 'javascript' | 'typescript']> = [
    ['return input.a + 1;', 'javascript'],
    ['const a = 1;\nreturn a +;', 'javascript'],
    ['let x = {\n  a: 1,\n  b: [1, 2\n};', 'javascript'],
    ['const n: number = 1;\nreturn n as number;', 'typescript'],
    ['const n: number = 1;', 'javascript'],
    ['let n: = 1;', 'typescript'],
    ['return await Promise.all([1].map(async (x) => x));', 'javascript'],
  ];
  it('flags exactly what the sandbox refuses, at the same line and column', () => {
    for (const [source, language] of samples) {
      const server = transpileCode(source, language);
      const browser = checkCodeSyntax(source, language);
      expect(browser, `${language}: ${source}`).toEqual(server.ok ? null : server.error);
    }
    expect(checkCodeSyntax('const a = 1;\nreturn a +;', 'javascript')).toMatchObject({ line: 2 });
    expect(checkCodeSyntax('const n: number = 1;', 'javascript')).not.toBeNull();
  });
});

describe('code highlighting', () => {
  it('splits keywords, strings, numbers, comments and the node\'s names without losing a character', () => {
    const source = 'const total = helpers.sum(input.items, "price"); // sum\nreturn { total: total * 2, at: `t${1}` };\n/* end';
    const tokens = highlightCode(source);
    expect(tokens.map((t) => t.text).join('')).toBe(source);
    const kinds = (kind: string) => tokens.filter((t) => t.kind === kind).map((t) => t.text.trim());
    expect(kinds('keyword')).toEqual(expect.arrayContaining(['const', 'return']));
    expect(kinds('string')).toEqual(expect.arrayContaining(['"price"', '`t${1}`']));
    expect(kinds('comment')).toEqual(['// sum', '/* end']);
    expect(kinds('number')).toContain('2');
    expect(kinds('scope')).toEqual(expect.arrayContaining(['helpers', 'input']));
  });
});
