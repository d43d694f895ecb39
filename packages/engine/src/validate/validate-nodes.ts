import { ErrorCode, Id, NodeSettings, TRIGGER_NODE_TYPE } from '@outrun/schemas';
import { compileExpression } from '../expressions/compile-expression';
import { parseTemplate } from '../expressions/parse-template';
import type { NodeCatalog, NodeDefinition, ValidationProblem } from '../types';
import { checkData, type TemplateLocation } from './check-data';

/** What the edge and reachability checks need to know about each node. */
export interface NodeFacts {
  /** Node index by id (first occurrence wins on duplicates). */
  byId: Map<string, number>;
  /** Output handle ids per node index; null = unknown (unknown type, trigger, invalid params). */
  outputs: Array<string[] | null>;
  isTrigger: boolean[];
  ids: Array<string | undefined>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const pathKey = (path: ReadonlyArray<PropertyKey>): string => path.map(String).join('\u0000');

function push(problems: ValidationProblem[], code: string, path: string, message: string, nodeId?: string): void {
  const p: ValidationProblem = { code, path, message };
  if (nodeId !== undefined) p.nodeId = nodeId;
  problems.push(p);
}

/** Reports templates whose JSONata does not compile, with the error position. */
function checkTemplates(templates: TemplateLocation[], base: string, nodeId: string, problems: ValidationProblem[]): void {
  for (const t of templates) {
    const parsed = parseTemplate(t.value);
    if (parsed === null) continue;
    for (const part of parsed.parts) {
      if (part.kind !== 'expr') continue;
      const compiled = compileExpression(part.source);
      if (compiled.ok) continue;
      const pos = compiled.position === undefined ? '' : ` at position ${compiled.position}`;
      push(problems, ErrorCode.EXPRESSION, `${base}.${t.path.map(String).join('.')}`, `Expression {{${part.source}}} is invalid${pos}: ${compiled.message}`, nodeId);
    }
  }
}

function outputIds(def: NodeDefinition, params: unknown): string[] | null {
  try {
    const outputs = typeof def.outputs === 'function' ? def.outputs(params) : def.outputs;
    return Array.isArray(outputs) ? outputs.map((h) => h.id) : null;
  } catch {
    return null;
  }
}

/** Parses `data` with the node type's schema, ignoring issues located at template values. */
function checkParams(def: NodeDefinition, data: Record<string, unknown>, templates: TemplateLocation[], base: string, nodeId: string, problems: ValidationProblem[]): string[] | null {
  let parsed: ReturnType<NodeDefinition['params']['safeParse']>;
  try {
    parsed = def.params.safeParse(data);
  } catch (err) {
    push(problems, ErrorCode.INVALID_NODE_PARAMS, base, `Parameters could not be checked: ${err instanceof Error ? err.message : String(err)}`, nodeId);
    return null;
  }
  if (parsed.success) return outputIds(def, parsed.data);
  const templatePaths = new Set(templates.map((t) => pathKey(t.path)));
  for (const issue of parsed.error.issues) {
    if (templatePaths.has(pathKey(issue.path))) continue;
    const path = issue.path.length === 0 ? base : `${base}.${issue.path.map(String).join('.')}`;
    push(problems, ErrorCode.INVALID_NODE_PARAMS, path, issue.message, nodeId);
  }
  return outputIds(def, data);
}

/**
 * Checks every node: shape, id (unique), type (known), data (depth, forbidden keys, template syntax,
 * params schema) and settings. Trigger nodes must name an existing trigger.
 */
export function validateNodes(nodes: unknown[], catalog: NodeCatalog, triggerIds: ReadonlySet<string>, problems: ValidationProblem[]): NodeFacts {
  const facts: NodeFacts = { byId: new Map(), outputs: [], isTrigger: [], ids: [] };
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const base = `nodes.${i}`;
    facts.outputs.push(null);
    facts.isTrigger.push(false);
    facts.ids.push(undefined);
    if (!isObject(node)) {
      push(problems, ErrorCode.VALIDATION, base, 'Node must be an object');
      continue;
    }
    const id = node.id;
    if (!Id.safeParse(id).success) {
      push(problems, ErrorCode.VALIDATION, `${base}.id`, 'Node id must be a non-empty string (max 200) without control characters or slashes');
      continue;
    }
    const nodeId = id as string;
    facts.ids[i] = nodeId;
    if (facts.byId.has(nodeId)) push(problems, ErrorCode.DUPLICATE_NODE_ID, `${base}.id`, `Duplicate node id "${nodeId}" (first used by nodes.${facts.byId.get(nodeId)})`, nodeId);
    else facts.byId.set(nodeId, i);
    if (node.settings !== undefined) {
      const s = NodeSettings.safeParse(node.settings);
      if (!s.success) for (const issue of s.error.issues) push(problems, ErrorCode.VALIDATION, [`${base}.settings`, ...issue.path.map(String)].join('.'), issue.message, nodeId);
    }
    const data = node.data === undefined ? {} : node.data;
    if (!isObject(data)) {
      push(problems, ErrorCode.VALIDATION, `${base}.data`, 'Node data must be an object', nodeId);
      continue;
    }
    const check = checkData(data, `${base}.data`, nodeId);
    problems.push(...check.problems);
    if (typeof node.type !== 'string' || node.type === '') {
      push(problems, ErrorCode.VALIDATION, `${base}.type`, 'Node type must be a non-empty string', nodeId);
      continue;
    }
    if (node.type === TRIGGER_NODE_TYPE) {
      facts.isTrigger[i] = true;
      if (typeof data.triggerId !== 'string' || !triggerIds.has(data.triggerId)) {
        push(problems, ErrorCode.TRIGGER_INVALID, `${base}.data.triggerId`, `Trigger node must name an entry of triggers (got ${JSON.stringify(data.triggerId) ?? 'nothing'})`, nodeId);
      }
      continue;
    }
    const def = catalog.get(node.type);
    // Literal params (source code) are not templates: a `{{` inside them is the author's text.
    const literal = def?.literalParams ?? [];
    const templates = literal.length === 0 ? check.templates : check.templates.filter((t) => !literal.includes(String(t.path[0])));
    checkTemplates(templates, `${base}.data`, nodeId, problems);
    if (def === undefined) {
      push(problems, ErrorCode.UNKNOWN_NODE_TYPE, `${base}.type`, `Unknown node type "${node.type}"`, nodeId);
      continue;
    }
    if (check.problems.length > 0) continue; // hostile data: do not hand it to the schema
    facts.outputs[i] = checkParams(def, data, templates, `${base}.data`, nodeId, problems);
  }
  return facts;
}
