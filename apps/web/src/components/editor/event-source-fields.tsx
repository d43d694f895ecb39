'use client';
/**
 * The form of an `event_source` trigger: which connector source (`postgres.newRows@1`), its credential (a
 * workspace credential, picked by name), its parameters (JSON, checked by the listener against the source's
 * schema; problems show as the trigger's last error) and how many events may be in flight (back-pressure).
 */
import { useState } from 'react';
import type { JsonObject, JsonValue } from '@outrun/schemas';
import { CredentialSelect } from './credential-select';

export function EventSourceFields({ config, replaceConfig }: { config: JsonObject; replaceConfig: (next: JsonObject) => void }) {
  const setConfig = (patch: JsonObject) => replaceConfig({ ...config, ...patch });
  const [paramsText, setParamsText] = useState(() => JSON.stringify(config.params ?? {}, null, 2));
  const [paramsError, setParamsError] = useState<string | null>(null);
  const commitParams = () => {
    try {
      const parsed = JSON.parse(paramsText) as JsonValue;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('an object, e.g. {"table": "leads"}');
      setParamsError(null);
      setConfig({ params: parsed });
    } catch (e) {
      setParamsError(`Parameters must be JSON: ${(e as Error).message}`);
    }
  };
  return (
    <>
      <label>
        Source
        <input name="source" value={String(config.source ?? '')} placeholder="postgres.newRows@1" onChange={(e) => setConfig({ source: e.target.value.trim() })} />
        <span className="field-help">connector.trigger@major — e.g. postgres.newRows@1, redis.streamEntries@1, rabbitmq.queueMessages@1, mqtt.topicMessages@1, nats.durableMessages@1 (docs/connectors.md).</span>
      </label>
      <label htmlFor="event-source-credential">Credential</label>
      <CredentialSelect
        common={{ id: 'event-source-credential', name: 'credentialId', 'aria-invalid': false, 'aria-describedby': undefined }}
        value={config.credentialId as JsonValue | undefined}
        description="types generic"
        onChange={(next) => {
          const { credentialId: _dropped, ...rest } = config;
          replaceConfig(next === undefined ? rest : { ...rest, credentialId: next });
        }}
      />
      <label>
        Parameters (JSON)
        <textarea name="sourceParams" rows={5} value={paramsText} onChange={(e) => setParamsText(e.target.value)} onBlur={commitParams} aria-invalid={paramsError !== null} />
        {paramsError ? <span className="field-error">{paramsError}</span> : null}
      </label>
      <label>
        Events in flight at most
        <input name="capacity" type="number" min={1} max={1000} value={Number(config.capacity ?? 16)} onChange={(e) => setConfig({ capacity: Math.max(1, Math.min(1000, Number(e.target.value) || 1)) })} />
        <span className="field-help">Back-pressure: the source waits while this many events are being recorded, or 4× as many runs are still queued.</span>
      </label>
    </>
  );
}
