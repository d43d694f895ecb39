/**
 * User code → one JavaScript function QuickJS can compile. The body is wrapped in an `async function` (so
 * `return` and `await` work at its top level); TypeScript is stripped by sucrase, which keeps every line where
 * it was — so the engine's line numbers minus the one wrapper line are the user's own, for JS and TS alike.
 */
import { transform } from 'sucrase';

export type CodeLanguage = 'javascript' | 'typescript';

/** The wrapper's parameters: what the user's code sees besides the engine's built-ins. */
export const CODE_PARAMETERS = ['input', 'trigger', 'steps', 'helpers', 'console'] as const;
export const WRAPPER_LINES = 1;
export const CODE_FUNCTION = '__outrunCode';

/** A syntax error at a line/column of the user's code (1-based). */
export interface CodeSyntaxError {
  message: string;
  line: number;
  column: number;
}

export type TranspileResult = { ok: true; js: string } | { ok: false; error: CodeSyntaxError };

/** Wraps and (for TypeScript) transpiles; a syntax error sucrase finds comes back with its position. */
export function transpileCode(source: string, language: CodeLanguage): TranspileResult {
  const userLines = source.split('\n').length;
  const wrapped = `async function ${CODE_FUNCTION}(${CODE_PARAMETERS.join(', ')}) {\n${source}\n}`;
  try {
    const { code } = transform(wrapped, { transforms: language === 'typescript' ? ['typescript'] : [], disableESTransforms: true, production: true });
    return { ok: true, js: code };
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    const message = (err as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
    const line = loc ? Math.min(Math.max(1, loc.line - WRAPPER_LINES), userLines) : 1;
    return { ok: false, error: { message, line, column: loc ? loc.column + 1 : 1 } };
  }
}
