import { z } from 'zod';
import { NodeConnectorInfo } from './connector';

/** A connection point of a node in the editor (`in`, `out`, `true`, a switch case id, …). */
export const NodeHandle = z.object({
  id: z.string(),
  label: z.string().optional(),
});
export type NodeHandle = z.infer<typeof NodeHandle>;

export const NodeCategory = z.enum(['trigger', 'core', 'flow', 'data', 'http', 'ai']);
export type NodeCategory = z.infer<typeof NodeCategory>;

/**
 * One node type as `GET /api/nodes` describes it: palette metadata, handles, and the JSON Schema
 * of its parameters (input side: fields with defaults are optional) for the editor's generated form.
 */
export const NodeDescription = z.object({
  type: z.string(),
  label: z.string(),
  description: z.string(),
  category: NodeCategory,
  /** Icon name from the small fixed set the web app knows. */
  icon: z.string(),
  inputs: z.array(NodeHandle),
  /** Static output handles; for dynamic outputs, the handles of the default parameters. */
  outputs: z.array(NodeHandle),
  /** True when output handles depend on the parameters (switch: one per case + default). */
  dynamicOutputs: z.boolean(),
  /** True when the node waits for every live incoming branch (merge). */
  waitsForAllInputs: z.boolean(),
  /** JSON Schema (draft 2020-12) of the node's `data`. */
  paramsSchema: z.record(z.string(), z.unknown()),
  /** Connector nodes only: the connector, its version and the credential type the node needs. */
  connector: NodeConnectorInfo.optional(),
});
export type NodeDescription = z.infer<typeof NodeDescription>;
