/** The built-in node catalog. */
import type { NodeCatalog, NodeDefinition } from '@outrun/engine';
import { aiAgentNode } from './ai-agent';
import { codeNode } from './code';
import { approvalNode, waitForEventNode, workflowCallNode } from './composition';
import { conditionNode } from './condition';
import { dataWriteNode } from './data-write';
import { delayNode } from './delay';
import { httpRequestNode } from './http-request';
import { mergeNode } from './merge';
import { noopNode } from './noop';
import { parserNode } from './parser';
import { respondNode } from './respond';
import { setNode } from './set';
import { switchNode } from './switch';
import { transformNode } from './transform';
import { triggerNode } from './trigger';

/** Every built-in node type, in palette order. */
export const builtinNodes: readonly NodeDefinition[] = [
  triggerNode,
  httpRequestNode,
  transformNode,
  setNode,
  conditionNode,
  switchNode,
  parserNode,
  delayNode,
  mergeNode,
  respondNode,
  noopNode,
  dataWriteNode,
  aiAgentNode,
  codeNode,
  workflowCallNode,
  approvalNode,
  waitForEventNode,
];

/** Builds the catalog (type → definition) from the built-ins plus `extra`; a duplicate type throws. */
export function createNodeCatalog(extra: readonly NodeDefinition[] = []): NodeCatalog {
  const catalog = new Map<string, NodeDefinition>();
  for (const definition of [...builtinNodes, ...extra]) {
    if (catalog.has(definition.type)) throw new Error(`Duplicate node type in catalog: ${definition.type}`);
    catalog.set(definition.type, definition);
  }
  return catalog;
}
