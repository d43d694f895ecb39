/**
 * The gateway's real answers match the one definition of each response shape in `@outrun/schemas`
 * (api-responses.ts), parsed strictly: a field the route adds or drops without the shared schema fails here.
 */
import {
  AcceptedRun,
  AuthStatus,
  CreatedApiKey,
  CreatedWorkspace,
  DraftResponse,
  ExpressionPreviewResult,
  InsertedDocument,
  ReadyReport,
  TemplateInfo,
  TriggerDetail,
  ValidationResult,
  WorkflowStatsResponse,
  WorkspaceStatsResponse,
} from '@outrun/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ADMIN_TOKEN, simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
let workflowId: string;
beforeAll(async () => {
  h = await startApi();
  workflowId = (await h.api.createWorkflow(h.ws, simpleWorkflow('shapes', 'shapes-manual'))).id;
});
afterAll(async () => {
  await h.close();
});

/** The schema with unknown keys rejected at the top level: an extra field in the answer is a drift too. */
function strictParse<T extends z.ZodObject>(schema: T, value: unknown): z.infer<T> {
  return schema.strict().parse(value) as z.infer<T>;
}

describe('API responses match the shared shapes', () => {
  it('workspace, API key and template answers', async () => {
    strictParse(CreatedWorkspace, await h.api.createWorkspace('shapes-ws', ADMIN_TOKEN));
    const key = strictParse(CreatedApiKey, await h.api.createApiKey(h.ws, { name: 'shapes' }));
    expect(key.apiKey.length).toBeGreaterThan(10);
    const templates = await h.api.listTemplates();
    expect(templates.items.length).toBeGreaterThan(0);
    for (const t of templates.items) strictParse(TemplateInfo, t);
    strictParse(TemplateInfo, await h.api.getTemplate(templates.items[0]!.id));
  });

  it('workflow answers: validation, draft, trigger detail, stats', async () => {
    const bad = strictParse(ValidationResult, await h.api.validateWorkflow(h.ws, { ...simpleWorkflow('bad'), edges: [{ id: 'e1', source: 'start', target: 'nowhere' }] }));
    expect(bad.valid).toBe(false);
    expect(strictParse(DraftResponse, await h.api.getDraft(h.ws, workflowId)).draft).toBeNull();
    const detail = strictParse(TriggerDetail, await h.api.getTrigger(h.ws, workflowId, 'shapes-manual'));
    expect(detail.trigger.id).toBe('shapes-manual');
    expect(strictParse(WorkflowStatsResponse, await h.api.getWorkflowStats(h.ws, workflowId, { days: 7 })).workflowId).toBe(workflowId);
    strictParse(WorkspaceStatsResponse, await h.api.getWorkspaceStats(h.ws, { days: 7 }));
  });

  it('run, data, expression and health answers', async () => {
    strictParse(AcceptedRun, await h.api.runWorkflow(h.ws, workflowId, { payload: { n: 1 } }));
    strictParse(InsertedDocument, await h.api.insertDocument(h.ws, 'shapes', { a: 1 }));
    expect(ExpressionPreviewResult.parse(await h.api.previewExpression(h.ws, { template: '{{ input.n + 1 }}', scope: { input: { n: 1 } } }))).toEqual({ ok: true, value: 2 });
    expect(ExpressionPreviewResult.parse(await h.api.previewExpression(h.ws, { template: '{{ input.n + }}', scope: {} })).ok).toBe(false);
    const health = await fetch(`${h.baseUrl}/readyz`);
    expect(strictParse(ReadyReport, await health.json()).status).toBe('ok');
    const auth = await fetch(`${h.baseUrl}/api/auth/status`);
    strictParse(AuthStatus, await auth.json());
  });
});
