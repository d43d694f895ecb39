/** `POST /api/workspaces` (admin token) and `GET /api/workspaces/:ws` (extension: who am I). */
import { CreatedWorkspace, Workspace } from '@outrun/schemas';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { WsParams, withErrors } from './common';

export const CreateWorkspaceBody = z.strictObject({ name: z.string().trim().min(1).max(200) });

export function workspaceRoutes(deps: ResolvedDeps): Route[] {
  const { workspaces } = deps.store;
  return [
    defineRoute({
      method: 'post',
      path: '/api/workspaces',
      summary: 'Create a workspace and its first API key (admin token; the key is shown once)',
      tag: 'workspaces',
      auth: 'admin', permission: 'instance:admin',
      body: CreateWorkspaceBody,
      responses: withErrors({ 201: { description: 'Created', schema: CreatedWorkspace } }),
      async handle({ body, log }) {
        const workspace = await workspaces.createWorkspace({ name: body.name });
        const { apiKey } = await workspaces.createApiKey(workspace.id, { name: 'default' });
        log.info({ workspaceId: workspace.id }, 'workspace created');
        return { status: 201, body: { workspace, apiKey } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/workspaces/:ws',
      summary: 'The workspace of the API key',
      tag: 'workspaces',
      auth: 'workspace', permission: 'workspace:read',
      extension: true,
      params: WsParams,
      responses: withErrors({ 200: { description: 'The workspace', schema: Workspace } }),
      async handle({ params }) {
        const workspace = await workspaces.getWorkspace(params.ws);
        if (!workspace) throw notFound('Workspace');
        return { status: 200, body: workspace };
      },
    }),
  ];
}
