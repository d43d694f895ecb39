/**
 * Template placeholders still in a workflow (`https://hooks.example.com/…`): publishing them would make every
 * scheduled run fail, so Publish and Activate ask for real values first.
 */
import type { WorkflowInputRaw } from '@outrun/schemas';

const PLACEHOLDER = /\bhttps?:\/\/(?:[a-z0-9-]+\.)*example\.(?:com|org|net)\b[^\s"']*/i;

export interface Placeholder {
  nodeId: string;
  field: string;
  value: string;
}

function scan(value: unknown, path: string, out: Array<{ field: string; value: string }>): void {
  if (typeof value === 'string') {
    const m = PLACEHOLDER.exec(value);
    if (m) out.push({ field: path, value: m[0] });
  } else if (Array.isArray(value)) value.forEach((v, i) => scan(v, `${path}.${i}`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) scan(v, path ? `${path}.${k}` : k, out);
}

export function findPlaceholders(body: Pick<WorkflowInputRaw, 'nodes'>): Placeholder[] {
  const out: Placeholder[] = [];
  for (const node of body.nodes ?? []) {
    const found: Array<{ field: string; value: string }> = [];
    scan(node.data, '', found);
    out.push(...found.map((f) => ({ nodeId: node.id, ...f })));
  }
  return out;
}
