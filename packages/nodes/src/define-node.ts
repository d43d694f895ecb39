/**
 * `defineNode` keeps a node's params type inside its own definition (so `execute` sees typed params)
 * and hands back the erased `NodeDefinition` the catalog stores.
 */
import type { z } from 'zod';
import type { NodeDefinition } from '@outrun/engine';

/** Identity at runtime; erases the params type so definitions of different nodes share one catalog. */
export function defineNode<S extends z.ZodType>(definition: NodeDefinition<S>): NodeDefinition {
  // `outputs(params)` is contravariant in its params: the engine only calls it with params this schema parsed.
  return definition as unknown as NodeDefinition;
}

/** The usual single input and single output handles. */
export const IN = [{ id: 'in' }];
export const OUT = [{ id: 'out' }];
