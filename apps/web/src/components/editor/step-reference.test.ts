/** Every node reference the editor shows must evaluate in the engine's JSONata (finding 2 of issue 17). */
import { evaluateTemplate } from '@outrun/engine';
import { describe, expect, it } from 'vitest';
import { newNodeId, stepReference } from './graph-model';

const scope = (id: string) => ({ input: null, trigger: null, steps: { [id]: { ok: 1 } } }) as never;

describe('stepReference', () => {
  it('gives new ids as plain identifiers that evaluate', async () => {
    for (const kind of ['set', 'http-request', 'trigger', 'ai.chat']) {
      const id = newNodeId(kind);
      expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(await evaluateTemplate(stepReference(id), scope(id))).toEqual({ ok: 1 });
    }
  });

  it('quotes ids that are not identifiers (hyphens, leading digits, dots)', async () => {
    for (const id of ['set-1sc7es', '1st', 'a.b', 'with space']) {
      expect(stepReference(id)).toContain('`');
      expect(await evaluateTemplate(stepReference(id), scope(id))).toEqual({ ok: 1 });
    }
  });
});
