/**
 * Issue 17, expressions that help, in a real browser: syntax highlighting in expression fields (templates and whole
 * JSONata), click-to-insert from a node's input/output view, and pinned data in the autocomplete and the preview.
 * Screenshots: docs/screenshots/editor-expression-*.png.
 */
import { join } from 'node:path';
import type { WorkflowInputRaw } from '@outrun/schemas';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS } from './browser';
import { useBrowserStack } from './browser-stack';

const ui = useBrowserStack({ viewport: { width: 1280, height: 1000 } });

const shot = (name: string) => ui.page.screenshot({ path: join(SCREENSHOTS, `editor-expression-${name}.png`) });
const saved = () => ui.page.locator('[data-testid=save-state][data-state=saved]').waitFor();
const selectNode = (id: string) => ui.page.locator(`.react-flow__node[data-id="${id}"] .wf-node-title`).click();
const preview = () => ui.page.getByTestId('expression-preview');
/** The coloured copy laid over the field named `name`. */
const highlight = (name: string) => ui.page.locator(`[data-testid=expression-input]:has([name="${name}"]) [data-testid=expression-highlight]`);
const tokens = (name: string, kind: string) => highlight(name).locator(`[data-token="${kind}"]`).allTextContents();

const PAYLOAD = { body: { name: 'Ada', plan: 'pro', 'first-name': 'Ada L.' }, query: {}, headers: {}, method: 'POST' };

/** A webhook → set (`greet`) → set (`after`) workflow with one completed test run of `PAYLOAD`. */
async function workflowWithRun(name: string, extra: Partial<WorkflowInputRaw> = {}): Promise<{ id: string; input: WorkflowInputRaw; runId: string }> {
  const triggerId = `trg_expr_${Date.now()}_${Math.random().toString(36).slice(2, 6)}`;
  const input: WorkflowInputRaw = {
    name,
    triggers: [{ id: triggerId, type: 'webhook', config: { auth: { type: 'none' } } }],
    nodes: [
      { id: 'hook', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
      { id: 'greet', type: 'set', label: 'Greet', position: { x: 260, y: 0 }, data: { keepInput: false, fields: [{ name: 'who', value: '{{ input.body.name }}' }] } },
      { id: 'after', type: 'set', label: 'After', position: { x: 520, y: 0 }, data: { fields: [{ name: 'note', value: '' }] } },
      { id: 'shape', type: 'transform', label: 'Shape', position: { x: 260, y: 160 }, data: { expression: 'input' } },
    ],
    edges: [
      { id: 'e1', source: 'hook', target: 'greet' },
      { id: 'e2', source: 'greet', target: 'after' },
      { id: 'e3', source: 'hook', target: 'shape' },
    ],
    ...extra,
  };
  const wf = await ui.stack.api.createWorkflow(ui.stack.workspaceId, input);
  const { runId } = await ui.stack.api.startTestRun(ui.stack.workspaceId, wf.id, { payload: PAYLOAD });
  await expect.poll(async () => (await ui.stack.api.getRun(ui.stack.workspaceId, runId)).status).toBe('completed');
  return { id: wf.id, input, runId };
}

async function openEditor(workflowId: string, runId?: string): Promise<void> {
  await ui.page.goto(`${ui.stack.webUrl}/workflows/${encodeURIComponent(workflowId)}`);
  if (runId) await expect.poll(() => ui.page.getByTestId('canvas-run-status').getAttribute('data-run-id')).toBe(runId);
  else await ui.page.locator('.react-flow__node').first().waitFor();
}

describe('expression fields (issue 17: expressions that help)', () => {
  it('colour {{ }} templates and whole JSONata expressions as you type, and stay a real text field', async () => {
    const wf = await workflowWithRun('Highlighting');
    await openEditor(wf.id, wf.runId);
    await selectNode('after');
    const field = ui.page.locator('[name="fields.0.value"]');
    expect(await field.evaluate((el) => el.tagName === 'INPUT' && el.getAttribute('aria-hidden') === null)).toBe(true); // a real text field
    await field.click();
    await field.pressSequentially('Hi {{ $uppercase(input.who) & "!" }} on {{ trigger.body.plan');
    // still open: the unclosed braces are flagged, what is typed is coloured
    await expect.poll(() => tokens('fields.0.value', 'error')).toEqual(['{{']);
    await field.pressSequentially(' }}');
    expect(await tokens('fields.0.value', 'error')).toEqual([]);
    expect(await tokens('fields.0.value', 'function')).toEqual(['$uppercase']);
    expect(await tokens('fields.0.value', 'scope')).toEqual(['input', 'trigger']);
    expect(await tokens('fields.0.value', 'path')).toEqual(['.who', '.body.plan']);
    expect(await tokens('fields.0.value', 'string')).toEqual(['"!"']);
    expect(await tokens('fields.0.value', 'brace')).toEqual(['{{', '}}', '{{', '}}']);
    expect(await tokens('fields.0.value', 'text')).toEqual(['Hi ', ' on ']);
    await preview().getByText('Preview: "Hi ADA! on pro"').waitFor();
    // The copy is in step with the field, glyph for glyph (same font: the text measures the same width).
    const fit = await ui.page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('[name="fields.0.value"]');
      const copy = input?.parentElement?.querySelector('[data-testid=expression-highlight]');
      if (!input || !copy) return null;
      const ctx = document.createElement('canvas').getContext('2d');
      if (!ctx) return null;
      const css = getComputedStyle(input);
      ctx.font = `${css.fontStyle} ${css.fontWeight} ${css.fontSize} ${css.fontFamily}`;
      const range = document.createRange();
      range.setStart(copy.firstChild as Node, 0);
      range.setEnd(copy.children[copy.children.length - 2] as Node, 1);
      return { text: Array.from(copy.querySelectorAll('[data-token]')).map((s) => s.textContent).join(''), value: input.value, copy: range.getBoundingClientRect().width, field: ctx.measureText(input.value).width, color: css.color };
    });
    expect(fit?.text).toBe(fit?.value);
    expect(Math.abs((fit?.copy ?? 0) - (fit?.field ?? 99))).toBeLessThan(2);
    expect(fit?.color).toBe('rgba(0, 0, 0, 0)'); // the field's own text is transparent: no double text
    // Focus elsewhere: the field scrolls back to its start, and so does the coloured copy.
    await ui.page.getByText('Fields to assign', { exact: false }).click();
    await expect.poll(() => ui.page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('[name="fields.0.value"]');
      const copy = input?.parentElement?.querySelector('[data-testid=expression-highlight]');
      return input && copy ? `${input.scrollLeft}/${copy.scrollLeft}` : 'missing';
    })).toBe('0/0');
    await shot('1-highlighting');
    await field.click();

    // Keyboard editing keeps the copy in step: Home, type, select to the end and replace.
    await field.press('Home');
    await field.pressSequentially('» ');
    await field.press('End');
    await field.press('Shift+ArrowLeft');
    await field.press('Shift+ArrowLeft');
    await field.pressSequentially('}}');
    const value = await field.inputValue();
    expect(value).toBe('» Hi {{ $uppercase(input.who) & "!" }} on {{ trigger.body.plan }}');
    await expect.poll(async () => (await highlight('fields.0.value').locator('[data-token]').allTextContents()).join('')).toBe(value);

    // A long expression: typing still answers at once (measured, printed; not a timed assertion).
    const long = `{{ ${Array.from({ length: 300 }, (_, i) => `$string(input.who) & "${i}"`).join(' & ')} }}`;
    await field.fill(long);
    await field.press('End');
    const lag = await ui.page.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('[name="fields.0.value"]');
      const copy = input?.parentElement?.querySelector('[data-testid=expression-highlight]');
      if (!input || !copy) return -1;
      const start = performance.now();
      input.focus();
      document.execCommand('insertText', false, 'x');
      for (let i = 0; i < 200 && !(copy.textContent ?? '').includes('}}x'); i += 1) await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - start;
    });
    expect(lag).toBeGreaterThanOrEqual(0);
    process.stdout.write(`expression field: ${long.length} characters, keystroke to coloured copy updated: ${lag.toFixed(1)} ms\n`);

    // A whole JSONata expression (the transform node): coloured without braces, previewed as is.
    await selectNode('shape');
    const expression = ui.page.locator('[name="expression"]');
    await expression.fill('{"who": $uppercase(trigger.body.name), "n": 2 * 21} /* shape */');
    await expect.poll(() => tokens('expression', 'function')).toEqual(['$uppercase']);
    expect(await tokens('expression', 'string')).toEqual(['"who"', '"n"']);
    expect(await tokens('expression', 'number')).toEqual(['2', '21']);
    expect(await tokens('expression', 'comment')).toEqual(['/* shape */']);
    expect(await tokens('expression', 'brace')).toEqual([]);
    await preview().getByText('Preview: {"who":"ADA","n":42}').waitFor();
    await shot('2-jsonata');
  });

  it('clicking a field of the input/output view inserts its reference at the caret of the last focused field', async () => {
    const wf = await workflowWithRun('Click to insert');
    await openEditor(wf.id, wf.runId);
    await selectNode('greet');
    const data = ui.page.getByTestId('node-run-data');
    const input = data.locator('[aria-label="step input"]');
    await input.getByRole('button', { name: 'Unfold body' }).click();
    // No field focused yet: the click says where the reference would go, and changes nothing.
    await input.locator('[data-path=\'["body","plan"]\']').first().click();
    await data.getByTestId('insert-hint').getByText('{{ input.body.plan }}').waitFor();
    expect(await data.getByTestId('insert-hint').textContent()).toContain('the field you click into first');
    await data.getByTestId('insert-hint').scrollIntoViewIfNeeded();
    await shot('3-insert-hint');

    const field = ui.page.locator('[name="fields.0.value"]');
    await field.fill('Plan: ');
    await field.press('End');
    // the value "pro" (a value, not the key)
    await input.locator('[data-path=\'["body","plan"]\']').last().click();
    await expect.poll(() => field.inputValue()).toBe('Plan: {{ input.body.plan }}');
    await preview().getByText('Preview: "Plan: pro"').waitFor();
    // The caret is after the inserted reference: typing goes on from there.
    await ui.page.keyboard.type(', by ');
    // a key that is not an identifier is backquoted, and evaluates
    await input.locator('[data-path=\'["body","first-name"]\']').first().click();
    await expect.poll(() => field.inputValue()).toBe('Plan: {{ input.body.plan }}, by {{ input.body.`first-name` }}');
    await preview().getByText('Preview: "Plan: pro, by Ada L."').waitFor();
    // Inside an open {{ }} the bare path goes in; from the trigger payload view, `trigger.…`.
    await field.fill('{{ $lowercase() }}');
    await field.evaluate((el: HTMLInputElement) => el.setSelectionRange(14, 14));
    // focus elsewhere first (the suggestions fold): the field keeps its caret for the insertion
    await ui.page.getByText('Fields to assign', { exact: false }).click();
    await data.getByText('Trigger payload').click();
    await data.locator('[aria-label="trigger payload"] [data-path=\'["method"]\']').first().click();
    await expect.poll(() => field.inputValue()).toBe('{{ $lowercase(trigger.method) }}');
    await preview().getByText('Preview: "post"').waitFor();
    expect(await data.getByTestId('insert-hint').textContent()).toContain('Inserted trigger.method into “Value”');
    await ui.page.getByText('Fields to assign', { exact: false }).click(); // focus elsewhere: the suggestions fold
    await data.getByTestId('insert-hint').scrollIntoViewIfNeeded();
    await shot('4-click-to-insert');
    // from this step's output view: `steps.greet.…`
    await field.fill('');
    await field.focus();
    await data.locator('[aria-label="step output"] [data-path=\'["who"]\']').first().click();
    await expect.poll(() => field.inputValue()).toBe('{{ steps.greet.who }}');
    await preview().getByText('Preview: "Ada"').waitFor();
    await saved();
  });

  it('autocomplete and preview use pinned data as a test run would (even before any run)', async () => {
    const pin = { who: 'Pinned Grace', onlyInThePin: 7 };
    // Pinned from the start, no run yet.
    const triggerId = `trg_pin_${Date.now()}`;
    const fresh = await ui.stack.api.createWorkflow(ui.stack.workspaceId, {
      name: 'Pinned, no run',
      triggers: [{ id: triggerId, type: 'webhook', config: { auth: { type: 'none' } } }],
      nodes: [
        { id: 'hook', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId } },
        { id: 'greet', type: 'set', label: 'Greet', position: { x: 260, y: 0 }, data: { fields: [{ name: 'who', value: 'x' }] }, pinned: pin },
        { id: 'after', type: 'set', label: 'After', position: { x: 520, y: 0 }, data: { fields: [{ name: 'note', value: '' }] } },
      ],
      edges: [{ id: 'e1', source: 'hook', target: 'greet' }, { id: 'e2', source: 'greet', target: 'after' }],
    });
    await openEditor(fresh.id);
    await selectNode('after');
    const field = ui.page.locator('[name="fields.0.value"]');
    await field.fill('{{ input.who }} / {{ steps.greet.onlyInThePin }}');
    await preview().getByText('Preview: "Pinned Grace / 7"').waitFor();

    // A run recorded other data; a pin added afterwards wins over it, in the preview and the suggestions.
    const wf = await workflowWithRun('Pinned after the run');
    const saved1 = await ui.stack.api.saveDraft(ui.stack.workspaceId, wf.id, { ...wf.input, nodes: (wf.input.nodes ?? []).map((n) => (n.id === 'greet' ? { ...n, pinned: pin } : n)) });
    expect(saved1).toBeTruthy();
    await openEditor(wf.id, wf.runId);
    await selectNode('after');
    const note = ui.page.locator('[name="fields.0.value"]');
    await note.click();
    await note.pressSequentially('{{ steps.greet.');
    const chips = ui.page.locator('[data-testid=expression-fields]:visible .expr-chip');
    await expect.poll(() => chips.allTextContents()).toEqual(['steps.greet.who', 'steps.greet.onlyInThePin']);
    await chips.filter({ hasText: 'steps.greet.who' }).click();
    await preview().getByText('Preview: "Pinned Grace"').waitFor();
    await note.fill('{{ input.who }}');
    await preview().getByText('Preview: "Pinned Grace"').waitFor();
    await shot('5-pinned-preview');
  });
});
