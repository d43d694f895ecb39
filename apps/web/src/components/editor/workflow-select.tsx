'use client';
/**
 * The `workflow` node's `workflowId` as a picker: the workspace's other workflows by name (the node calls one of
 * them), instead of a free-text id. An id that is not in the list (archived, another page) stays selectable.
 */
import type { JsonValue } from '@outrun/schemas';
import { useApiContext } from '../../lib/api-context';
import { useAsync } from '../../lib/use-async';

interface Props {
  common: { id: string; name: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined };
  value: JsonValue | undefined;
  onChange: (next: JsonValue | undefined) => void;
}

export function WorkflowSelect({ common, value, onChange }: Props) {
  const { api } = useApiContext();
  const list = useAsync(() => (api ? api.listWorkflows({ limit: 500 }).then((p) => p.items) : Promise.resolve([])), [api]);
  const current = typeof value === 'string' ? value : '';
  const missing = current !== '' && list.data && !list.data.some((w) => w.id === current);
  return (
    <select {...common} value={current} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
      <option value="">{list.loading ? 'Loading workflows…' : '— pick a workflow —'}</option>
      {(list.data ?? []).map((w) => (
        <option key={w.id} value={w.id}>
          {w.name}
        </option>
      ))}
      {missing ? <option value={current}>{current} (not found)</option> : null}
    </select>
  );
}
