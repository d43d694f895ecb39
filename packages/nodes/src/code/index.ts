/**
 * `code`: JavaScript or TypeScript over `{ input, trigger, steps }` with a small `helpers` set; what it returns
 * (JSON) is the output. It runs in QuickJS (WebAssembly) inside the sandbox's worker pool: its own heap limit,
 * a hard time limit, no process, file system, network, environment or other runs' data (docs/code-node.md).
 */
import { z } from 'zod';
import type { JsonValue } from '@outrun/schemas';
import { transpileCode } from '@outrun/sandbox';
import { defineNode, IN, OUT } from '../define-node';
import { sharedCodeSandbox, warmCodeSandbox } from './shared-code-sandbox';

/** Longest accepted source (characters): bounds the syntax check, which runs on the API's event loop at validation (≈ 6 ms per 1,000 characters of TypeScript measured at load average 25). */
export const MAX_CODE_LENGTH = 20_000;

export const CodeParams = z
  .strictObject({
    language: z.enum(['javascript', 'typescript']).default('javascript').describe('Language of the code: JavaScript, or TypeScript (types are stripped before it runs)'),
    code: z
      .string()
      .min(1)
      .max(MAX_CODE_LENGTH)
      .meta({ 'x-outrun-editor': 'code' })
      .describe('Body of an async function over input, trigger, steps and helpers; `return` the output (JSON). `await` works; no require, process, network or timers.'),
  })
  .superRefine((params, issue) => {
    // zod runs this refinement even when the fields already failed: only a valid, bounded source is parsed.
    if (typeof params.code !== 'string' || params.code.length > MAX_CODE_LENGTH) return;
    const compiled = transpileCode(params.code, params.language);
    if (!compiled.ok) issue.addIssue({ code: 'custom', path: ['code'], message: `Syntax error at line ${compiled.error.line}:${compiled.error.column}: ${compiled.error.message}` });
  });
export type CodeParams = z.infer<typeof CodeParams>;

export const codeNode = defineNode({
  type: 'code',
  label: 'Code',
  description: 'Runs your JavaScript or TypeScript over the input, the trigger payload and earlier steps in an isolated sandbox; what it returns is the output.',
  category: 'data',
  icon: 'code',
  params: CodeParams,
  inputs: IN,
  outputs: OUT,
  // `{{ }}` in the source stays text: evaluated into code, a payload could inject code. Read values from input/trigger.
  literalParams: ['code'],
  // The first run containing a code step starts the warm workers (OUTRUN_CODE_WARM_WORKERS): a runner whose workflows
  // never run code holds no QuickJS worker (≈ 18 MB), and later code steps do not wait for one.
  prepare: warmCodeSandbox,
  async execute(ctx) {
    // Console lines reach the step log also when the code then fails: often the clue to why.
    const { output } = await sharedCodeSandbox().run(ctx.params.code, ctx.params.language, { input: ctx.input, trigger: ctx.trigger, steps: ctx.steps }, ([level, line]) => ctx.log[level](line, { source: 'code' }));
    return { output: (output ?? null) as JsonValue };
  },
});
