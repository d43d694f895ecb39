'use client';
/**
 * The `workflow` node's form: its `input` field takes the called workflow's `settings.inputSchema` (the child
 * declares what it accepts), so the inspector shows a field per declared property instead of free JSON.
 */
import type { JsonObject } from '@outrun/schemas';
import type { JsonSchema, NodeTypeInfo } from '../../lib/api';
import { useApiContext } from '../../lib/api-context';
import { useAsync } from '../../lib/use-async';

/** The node's params schema with `properties.input` replaced by `inputSchema` (unchanged without one). */
export function withCalledInputSchema(paramsSchema: JsonSchema, inputSchema: unknown): JsonSchema {
  if (inputSchema === null || typeof inputSchema !== 'object' || Array.isArray(inputSchema)) return paramsSchema;
  return { ...paramsSchema, properties: { ...(paramsSchema.properties ?? {}), input: inputSchema as JsonSchema } };
}

/** The params schema the inspector renders for a node: for `workflow` nodes, with the child's input schema. */
export function useParamsSchema(info: NodeTypeInfo | undefined, params: JsonObject): JsonSchema | undefined {
  const { api } = useApiContext();
  const workflowId = info?.type === 'workflow' && typeof params.workflowId === 'string' && !params.workflowId.includes('{{') ? params.workflowId : null;
  const called = useAsync(api && workflowId ? () => api.getWorkflow(workflowId) : null, [api, workflowId]);
  if (!info) return undefined;
  return workflowId ? withCalledInputSchema(info.paramsSchema, called.data?.settings.inputSchema) : info.paramsSchema;
}
