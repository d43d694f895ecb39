/** Workflow statistics (the seed's `stats` + success rate, p95, tokens, cost, per-day) and workspace totals. */
import { WorkflowStatsResponse, WorkspaceStatsResponse } from '@outrun/schemas';
import { z } from 'zod';
import { notFound } from '../http/errors';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { WorkflowParams, WsParams, withErrors } from './common';

const StatsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });


export function statsRoutes(deps: ResolvedDeps): Route[] {
  const { workflows, runs } = deps.store;
  return [
    defineRoute({
      method: 'get', path: '/api/workspaces/:ws/workflows/:id/stats', summary: 'Workflow statistics over `?days=` (default 30)',
      tag: 'workflows', auth: 'workspace', permission: 'run:read', params: WorkflowParams, query: StatsQuery,
      responses: withErrors({ 200: { description: 'Statistics', schema: WorkflowStatsResponse } }),
      async handle({ params, query }) {
        if (!(await workflows.getWorkflow(params.ws, params.id))) throw notFound('Workflow');
        const [stats, runStats] = await Promise.all([
          runs.getWorkflowStats(params.ws, params.id),
          runs.getRunStats(params.ws, { workflowId: params.id, days: query.days, now: new Date(deps.clock.now()) }),
        ]);
        return { status: 200, body: { workflowId: params.id, stats, ...runStats } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/workspaces/:ws/stats', summary: 'Workspace-wide run totals and workflow counts by status',
      tag: 'workspaces', auth: 'workspace', permission: 'run:read', extension: true, params: WsParams, query: StatsQuery,
      responses: withErrors({ 200: { description: 'Statistics', schema: WorkspaceStatsResponse } }),
      async handle({ params, query }) {
        const runStats = await runs.getRunStats(params.ws, { days: query.days, now: new Date(deps.clock.now()) });
        // Counts by status from one grouped query (the graphs are never loaded); run totals from the daily buckets.
        const { workflows: counts } = await deps.store.housekeeping.usage(params.ws);
        return { status: 200, body: { ...runStats, workflows: counts } };
      },
    }),
  ];
}
