/** The catalog as `GET /api/nodes` serves it: metadata, handles and each node's params JSON Schema. */
import { z } from 'zod';
import type { NodeDescription } from '@outrun/schemas';
import type { HandleSpec, NodeCatalog, NodeDefinition } from '@outrun/engine';

function defaultOutputs(definition: NodeDefinition): HandleSpec[] {
  if (Array.isArray(definition.outputs)) return definition.outputs;
  const defaults = definition.params.safeParse({});
  return defaults.success ? definition.outputs(defaults.data) : [];
}

const handle = (h: HandleSpec) => (h.label === undefined ? { id: h.id } : { id: h.id, label: h.label });

// Definitions are immutable: describe each once (z.toJSONSchema is not free).
const cache = new WeakMap<NodeDefinition, NodeDescription>();

/** Describes one node type. */
export function describeNode(definition: NodeDefinition): NodeDescription {
  const cached = cache.get(definition);
  if (cached) return cached;
  const description: NodeDescription = {
    type: definition.type,
    label: definition.label,
    description: definition.description,
    category: definition.category,
    icon: definition.icon,
    inputs: definition.inputs.map(handle),
    outputs: defaultOutputs(definition).map(handle),
    dynamicOutputs: !Array.isArray(definition.outputs),
    waitsForAllInputs: definition.waitsForAllInputs ?? false,
    paramsSchema: z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    ...(definition.connector ? { connector: definition.connector } : {}),
  };
  cache.set(definition, description);
  return description;
}

/** Describes every node type in catalog order. */
export function describeCatalog(catalog: NodeCatalog): NodeDescription[] {
  return [...catalog.values()].map(describeNode);
}
