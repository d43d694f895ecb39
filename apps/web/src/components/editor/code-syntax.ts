/**
 * The code field's syntax check, in the browser, before anything runs: the same wrapping and the same
 * transpiler (sucrase) as the sandbox (`packages/sandbox/src/code/transpile.ts` — a test keeps the two in step),
 * so what it flags is what the node refuses at validation, at the same line and column of the user's code.
 */
import { transform } from 'sucrase';

export interface CodeSyntaxProblem {
  message: string;
  line: number;
  column: number;
}

export function checkCodeSyntax(source: string, language: 'javascript' | 'typescript'): CodeSyntaxProblem | null {
  const wrapped = `async function __outrunCode(input, trigger, steps, helpers, console) {\n${source}\n}`;
  try {
    transform(wrapped, { transforms: language === 'typescript' ? ['typescript'] : [], disableESTransforms: true, production: true });
    return null;
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    const lines = source.split('\n').length;
    return {
      message: (err as Error).message.replace(/\s*\(\d+:\d+\)$/, ''),
      line: loc ? Math.min(Math.max(1, loc.line - 1), lines) : 1,
      column: loc ? loc.column + 1 : 1,
    };
  }
}
