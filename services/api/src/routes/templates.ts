/** Template gallery and instantiation into a workspace as a draft workflow. */
import { Id, TemplateInfo, Workflow } from '@outrun/schemas';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { assertCanCreateWorkflow } from '../logic/quotas';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { renameTriggers, withWebhookPaths } from '../logic/workflow-input';
import { withErrors } from './common';

const InstantiateBody = z.strictObject({ name: z.string().trim().min(1).max(200).optional() });

export function templateRoutes(deps: ResolvedDeps): Route[] {
  const find = (id: string) => {
    const template = deps.templates.find((t) => t.id === id);
    if (!template) throw notFound('Template');
    return template;
  };
  return [
    defineRoute({
      method: 'get', path: '/api/templates', summary: 'The template gallery', tag: 'templates', auth: 'public', permission: 'public',
      responses: { 200: { description: 'Templates', schema: z.object({ items: z.array(TemplateInfo), nextCursor: z.null() }) } },
      async handle() {
        return { status: 200, body: { items: deps.templates, nextCursor: null } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/templates/:templateId', summary: 'One template', tag: 'templates', auth: 'public', permission: 'public', extension: true,
      params: z.object({ templateId: Id }),
      responses: { 200: { description: 'The template', schema: TemplateInfo }, 404: { description: 'Unknown template' } },
      async handle({ params }) {
        return { status: 200, body: find(params.templateId) };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/workspaces/:ws/templates/:templateId/instantiate', summary: 'Create a draft workflow from a template (fresh trigger ids)',
      tag: 'templates', auth: 'workspace', permission: 'workflow:write', params: z.object({ ws: Id, templateId: Id }), body: InstantiateBody,
      responses: withErrors({ 201: { description: 'The new draft', schema: Workflow } }),
      async handle({ params, body }) {
        const template = find(params.templateId);
        // Every trigger gets a fresh id (a template is instantiated many times), so none can be in use.
        const input = withWebhookPaths(params.ws, renameTriggers({ ...template.workflow, name: body.name ?? template.workflow.name }, new Map(), true));
        await assertCanCreateWorkflow(deps, params.ws, input);
        return { status: 201, body: await deps.store.workflows.createWorkflow(params.ws, input) };
      },
    }),
  ];
}
