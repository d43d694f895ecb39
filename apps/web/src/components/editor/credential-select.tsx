'use client';
/**
 * A credential picker instead of a free-text id: the workspace's credentials of the types the node accepts (read
 * from the field's description in the catalog, e.g. "types http_header, http_bearer, http_basic"), by name.
 */
import Link from 'next/link';
import type { JsonValue } from '@outrun/schemas';
import { useApiContext } from '../../lib/api-context';
import { useAsync } from '../../lib/use-async';

const TYPES = ['webhook_secret', 'http_header', 'http_basic', 'http_bearer', 'openai', 'generic'] as const;

/** The credential types a field's description names (all types when it names none). */
export function acceptedTypes(description: string | undefined): string[] {
  const named = TYPES.filter((t) => new RegExp(`\\b${t}\\b`).test(description ?? ''));
  return named.length > 0 ? named : [...TYPES];
}

interface Props {
  common: { id: string; name: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined };
  value: JsonValue | undefined;
  description: string | undefined;
  onChange: (next: JsonValue | undefined) => void;
}

export function CredentialSelect({ common, value, description, onChange }: Props) {
  const { api, allowed } = useApiContext();
  // A viewer may not list credentials (not even names): ask only when the role may.
  const mayList = allowed('credential:read');
  const list = useAsync(() => (api && mayList ? api.listCredentials() : Promise.resolve([])), [api, mayList]);
  const types = acceptedTypes(description);
  const usable = (list.data ?? []).filter((c) => types.includes(c.type));
  const current = typeof value === 'string' ? value : '';
  const missing = current !== '' && list.data && !usable.some((c) => c.id === current);
  return (
    <>
      <select {...common} data-credential-types={types.join(' ')} value={current} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
        <option value="">{list.loading ? 'Loading credentials…' : '— none —'}</option>
        {usable.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.type})
          </option>
        ))}
        {missing ? <option value={current}>{current} (not found or another type)</option> : null}
      </select>
      {list.data && usable.length === 0 ? (
        <span className="field-help">
          No {types.join(' / ')} credential yet: <Link href="/settings?tab=credentials">create one in Settings</Link>.
        </span>
      ) : null}
    </>
  );
}
