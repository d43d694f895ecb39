/**
 * Validation problems in the user's words: the node by its label (and type), the field by its form label, and
 * what to do — not `nodes.4.data.url Invalid input: expected string, received undefined`.
 */
import type { Problem } from './resolve-problems';

const ACRONYMS: Record<string, string> = { url: 'URL', id: 'ID', json: 'JSON', http: 'HTTP', api: 'API', ai: 'AI', cron: 'Cron' };

/** `maxTokens` → "Max tokens", `url` → "URL". */
export function fieldLabel(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ').toLowerCase().split(' ');
  const text = words.map((w) => ACRONYMS[w] ?? w).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The message alone, in plain words (zod's wording turned into what to do). */
export function plainMessage(message: string): string {
  if (/expected \w+, received undefined/i.test(message) || /^required$/i.test(message)) return 'is required: fill it in.';
  if (/too small: expected string to have >=1 characters?/i.test(message)) return 'is empty: fill it in.';
  const tooSmall = /too small: expected (\w+) to have >=(\d+) (\w+)/i.exec(message);
  if (tooSmall) return `needs at least ${tooSmall[2]} ${tooSmall[3]}.`;
  const wrongType = /expected (\w+), received (\w+)/i.exec(message);
  if (wrongType) return `should be ${wrongType[1] === 'array' ? 'a list' : `a ${wrongType[1]}`} (it is ${wrongType[2] === 'array' ? 'a list' : `a ${wrongType[2]}`}).`;
  return message.replace(/^Invalid input:\s*/i, '');
}

export interface NodeNames {
  /** The node's label, or its type's label. */
  name: (nodeId: string) => string | undefined;
}

/** One sentence naming the node and field, e.g. `“Notify” (HTTP request): URL is required: fill it in.` */
export function humanProblem(p: Problem, names: NodeNames): { where: string; text: string } {
  const segments = p.path.replace(/^body\./, '').split('.');
  const node = p.nodeId ? names.name(p.nodeId) : undefined;
  const fieldKey = segments[2] === 'data' || segments[2] === 'config' ? segments.slice(3).filter((s) => !/^\d+$/.test(s)).pop() : undefined;
  // Messages that quote node ids ("Node "set_x" is not reachable") get the label instead.
  let message = p.message;
  if (p.nodeId && node) message = message.split(`"${p.nodeId}"`).join(node);
  const text = fieldKey ? `${fieldLabel(fieldKey)} ${plainMessage(message)}` : plainMessage(message);
  if (segments[0] === 'triggers' && !node) return { where: 'Triggers', text };
  return { where: node ?? (segments[0] === 'edges' ? 'A connection' : 'Workflow'), text };
}

/** The message under a form field (the label is right above it): "Required: fill it in." */
export function fieldMessage(message: string): string {
  const plain = plainMessage(message).replace(/^is /, '');
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

/** Names nodes in messages: `“Label” (Type)`, or the type's label alone for an unlabelled node. */
export function nodeNamer(nodes: ReadonlyArray<{ id: string; data: { kind: string; label?: string | undefined } }>, catalog: ReadonlyMap<string, { label: string }>): { name: (id: string) => string | undefined } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    name: (id) => {
      const n = byId.get(id);
      if (!n) return undefined;
      const type = catalog.get(n.data.kind)?.label ?? n.data.kind;
      return n.data.label ? `“${n.data.label}” (${type})` : type;
    },
  };
}
