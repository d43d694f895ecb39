import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '@outrun/engine';
import { createNodeCatalog } from '../catalog';
import { ErrorCode, NonRetriableError } from '@outrun/schemas';
import { runNode } from '../testing/run-node';
import { CodeParams, codeNode } from '.';

describe('code node', { timeout: 30_000 }, () => {
  it('runs JavaScript over input, trigger and steps; console lines go to the step log', async () => {
    const result = await runNode(codeNode, {
      params: { code: 'console.log("rows", input.rows.length);\nreturn { total: helpers.sum(input.rows, "amount"), from: trigger.source, prev: steps.fetch.id };' },
      input: { rows: [{ amount: 2 }, { amount: 40 }] },
      trigger: { source: 'webhook' },
      steps: { fetch: { id: 7 } },
    });
    expect(result.output).toEqual({ total: 42, from: 'webhook', prev: 7 });
    expect(result.logs).toContainEqual(expect.objectContaining({ level: 'info', msg: 'rows 2' }));
  });

  it('runs TypeScript', async () => {
    const result = await runNode(codeNode, { params: { language: 'typescript', code: 'const names: string[] = input.map((u: { name: string }) => u.name);\nreturn names.join(", ");' }, input: [{ name: 'a' }, { name: 'b' }] });
    expect(result.output).toBe('a, b');
  });

  it('refuses a syntax error when the params are validated, with the line of the user code', () => {
    const parsed = CodeParams.safeParse({ language: 'typescript', code: 'const a: number = 1;\nreturn a +;' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['code'], message: expect.stringMatching(/^Syntax error at line 2:\d+/) as unknown });
    expect(CodeParams.safeParse({ code: 'return 1' }).success).toBe(true);
  });

  it('validates the source as code, not as templates; a syntax error is a problem at data.code', () => {
    const workflow = (code: string) => ({
      name: 'w', triggers: [{ id: 't', type: 'manual' }],
      nodes: [{ id: 'trg', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 't' } }, { id: 'c', type: 'code', position: { x: 1, y: 0 }, data: { code } }],
      edges: [{ id: 'e', source: 'trg', target: 'c' }],
    });
    // `{{ not jsonata ( }}` would be a template syntax problem in any other field
    expect(validateWorkflow(workflow('return "{{ not jsonata ( }}";'), createNodeCatalog())).toEqual([]);
    expect(validateWorkflow(workflow('return {{ trigger }};'), createNodeCatalog())).toEqual([expect.objectContaining({ code: ErrorCode.INVALID_NODE_PARAMS, path: 'nodes.1.data.code', message: expect.stringMatching(/^Syntax error at line 1:/) as unknown })]);
  });

  it('fails the step with a non-retriable OUT_ERR_CODE_FAILED pointing at the line', async () => {
    const err = await runNode(codeNode, { params: { code: 'const x = input.missing;\nreturn x.deeper;' }, input: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableError);
    expect(err).toMatchObject({ code: ErrorCode.CODE_FAILED, message: expect.stringMatching(/TypeError: .*\(line 2\)/) as unknown });
  });
});

describe('code node source size', () => {
  it('refuses source over 20,000 characters at validation (bounds the syntax check)', () => {
    expect(CodeParams.safeParse({ code: `return 1;${' '.repeat(20_000)}` }).success).toBe(false);
    expect(CodeParams.safeParse({ code: `return 1;${' '.repeat(19_000)}` }).success).toBe(true);
    // an over-long source is refused without being parsed (a syntax error in it is not even reported)
    const huge = CodeParams.safeParse({ code: `return (;${'\n'.repeat(500_000)}` });
    expect(huge.error?.issues.map((i) => i.message)).toEqual([expect.stringMatching(/<=20000 characters/)]);
    expect(CodeParams.safeParse({ code: 42, language: 'cobol' }).success).toBe(false);
  });
});
