/** Every node and field reference the editor writes must evaluate in the engine's JSONata (finding 2 of issue 17). */
import { evaluateTemplate } from '@outrun/engine';
import { describe, expect, it } from 'vitest';
import { newNodeId } from './graph-model';
import { fieldPath, stepPath, stepReference } from './step-reference';

const scope = (id: string) => ({ input: null, trigger: null, steps: { [id]: { ok: 1 } } }) as never;

describe('stepReference', () => {
  it('gives new ids as plain identifiers that evaluate', async () => {
    for (const kind of ['set', 'http-request', 'trigger', 'ai.chat']) {
      const id = newNodeId(kind);
      expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(await evaluateTemplate(stepReference(id), scope(id))).toEqual({ ok: 1 });
    }
  });

  it('quotes ids that are not identifiers (hyphens, leading digits or $, dots, JSONata words)', async () => {
    for (const id of ['set-1sc7es', '1st', 'a.b', 'with space', '$x', 'and', 'true']) {
      expect(stepReference(id)).toContain('`');
      expect(await evaluateTemplate(stepReference(id), scope(id))).toEqual({ ok: 1 });
    }
  });
});

describe('fieldPath (click-to-insert from the input/output view)', () => {
  const data = { body: { name: 'Ada', 'first-name': 'A', '2nd': 2, $id: 'i', in: 'kw', true: 't', 'a.b': 'dot', items: [{ price: 3 }, { price: 4 }] } };

  it('reaches every field of the input, the trigger and a step output, quoting what needs it', async () => {
    const cases: Array<[Array<string | number>, unknown]> = [
      [['body', 'name'], 'Ada'],
      [['body', 'first-name'], 'A'],
      [['body', '2nd'], 2],
      [['body', '$id'], 'i'],
      [['body', 'in'], 'kw'],
      [['body', 'true'], 't'],
      [['body', 'a.b'], 'dot'],
      [['body', 'items', 1, 'price'], 4],
      [['body', 'items', 0], { price: 3 }],
      [[], data],
    ];
    for (const [segments, expected] of cases) {
      expect(await evaluateTemplate(`{{ ${fieldPath('input', segments)} }}`, { input: data, trigger: null, steps: {} })).toEqual(expected);
      expect(await evaluateTemplate(`{{ ${fieldPath('trigger', segments)} }}`, { input: null, trigger: data, steps: {} })).toEqual(expected);
      expect(await evaluateTemplate(`{{ ${fieldPath(stepPath('set-1'), segments)} }}`, { input: null, trigger: null, steps: { 'set-1': data } })).toEqual(expected);
      // through JSONata itself (a plain dotted path takes the engine's shortcut): `input.true` would not parse
      const viaJsonata = await evaluateTemplate(`{{ $string(${fieldPath('input', segments)}) }}`, { input: data, trigger: null, steps: {} });
      expect(viaJsonata).toBe(typeof expected === 'string' ? expected : JSON.stringify(expected));
    }
    expect(fieldPath('input', ['body', 'items', 1, 'price'])).toBe('input.body.items[1].price');
    expect(fieldPath(stepPath('greet'), ['who'])).toBe('steps.greet.who');
  });
});
