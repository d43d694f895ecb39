'use client';
/**
 * The credential form's **Test** (generic credentials for a connector): pick the connector credential type, then
 * try the data being entered against the service before saving it (`POST …/connectors/credentials/test`, the
 * connector's own test, 10 s at most). Stored data is write-only, so only data being entered can be tested.
 */
import { useState } from 'react';
import type { JsonObject } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import { useAsync } from '../../lib/use-async';
import { InlineError } from '../states';

type Outcome = { ok: boolean; message?: string };

interface Props {
  api: Api;
  /** Parses the form's data field; a string is the reason it cannot be parsed. */
  data: () => JsonObject | string;
}

export function CredentialTest({ api, data }: Props) {
  const types = useAsync(() => api.listTestableCredentialTypes(), [api]);
  const [type, setType] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!types.data || types.data.length === 0) return null;
  const test = async () => {
    const parsed = data();
    setError(null);
    if (typeof parsed === 'string') return setOutcome({ ok: false, message: parsed });
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await api.testConnectorCredential(type, parsed));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <div className="row">
        <label>
          For connector
          <select name="connectorCredentialType" value={type} onChange={(e) => { setType(e.target.value); setOutcome(null); }}>
            <option value="">— (not tested)</option>
            {types.data.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label} ({t.type})
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" disabled={!type || busy} onClick={() => void test()} title="Try this data against the service before saving it">
          {busy ? 'Testing…' : 'Test'}
        </button>
      </div>
      {outcome ? (
        <div role="status" data-testid="credential-test-result" data-ok={outcome.ok} className={outcome.ok ? 'copy-ok' : 'field-error'}>
          {outcome.ok ? '✓ Connected: the service accepted this credential.' : `✕ ${outcome.message ?? 'The service refused this credential.'}`}
        </div>
      ) : null}
      <InlineError error={error} />
    </div>
  );
}
