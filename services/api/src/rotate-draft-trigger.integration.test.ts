/** Issue 17, item 11: rotating the secret of a trigger that exists only in the draft says so (409), not 404. */
import type { OutrunApiError } from '@outrun/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h.close();
});

describe('rotate-secret of a draft-only trigger', () => {
  it('answers 409 with what to do; an unknown trigger is still 404; after publishing it rotates', async () => {
    const wf = await h.api.createWorkflow(h.ws, simpleWorkflow('rotate-draft', 'editor-rotate-manual'));
    const base = simpleWorkflow('rotate-draft', 'editor-rotate-manual');
    await h.api.saveDraft(h.ws, wf.id, { ...base, triggers: [...base.triggers, { id: 'editor-rotate-hook', type: 'webhook', config: { auth: { type: 'hmac' } } }] });
    const err = (await h.api.rotateTriggerSecret(h.ws, wf.id, 'editor-rotate-hook').catch((e: unknown) => e)) as OutrunApiError;
    expect(err).toMatchObject({ status: 409, code: 'OUT_ERR_CONFLICT' });
    expect(err.message).toContain('publish the workflow first');
    expect(((await h.api.rotateTriggerSecret(h.ws, wf.id, 'nope').catch((e: unknown) => e)) as OutrunApiError).status).toBe(404);
    await h.api.publishWorkflow(h.ws, wf.id);
    expect((await h.api.rotateTriggerSecret(h.ws, wf.id, 'editor-rotate-hook')).secret).toMatch(/^whsec_/);
  });
});
