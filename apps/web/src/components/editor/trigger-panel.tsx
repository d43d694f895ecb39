'use client';
/**
 * The Triggers panel for the selected trigger node: webhook URL and auth with secret rotation and a signed
 * curl example; schedule editor with time zone and the next five fire times; data change configuration;
 * and the trigger's statistics (from the trigger detail route).
 */
import { EventSourceFields } from './event-source-fields';
import { memo, useMemo, useState } from 'react';
import type { JsonObject, TriggerInput } from '@outrun/schemas';
import type { Api, TriggerDetail } from '../../lib/api';
import { WebhookLimits } from './webhook-limits';
import { useAsync } from '../../lib/use-async';
import { formatAgo, formatTime } from '../../lib/format';
import { CopyButton, Dialog } from '../dialog';
import { InlineError, Loading } from '../states';
import { curlExample } from './curl-example';

interface Props {
  api: Api;
  workflowId: string;
  trigger: TriggerInput;
  /** Changes whenever the stored draft or live version changes: the detail (fire times) is read again. */
  version: number | string;
  publicApiUrl: string;
  onChange: (next: TriggerInput) => void;
  /** Saves pending edits; rotation needs the trigger stored first. */
  flush: () => Promise<void>;
  onRotated: () => void;
}

const AUTH_MODES = ['none', 'header', 'basic', 'hmac', 'github', 'stripe', 'slack'] as const;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const CRON_PRESETS = [
  ['*/5 * * * *', 'every 5 minutes'],
  ['0 * * * *', 'hourly'],
  ['0 9 * * *', 'daily 09:00'],
  ['0 9 * * 1-5', 'weekdays 09:00'],
  ['0 0 1 * *', 'monthly'],
] as const;

function timeZones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

function Stats({ detail }: { detail: TriggerDetail | undefined }) {
  const s = detail?.stats;
  if (!s) return <div className="muted">No statistics yet.</div>;
  return (
    <dl className="props" aria-label="Trigger statistics">
      <dt>Fires</dt>
      <dd>{s.fires}</dd>
      <dt>Runs started</dt>
      <dd>{s.runsStarted}</dd>
      <dt>Auth failures</dt>
      <dd>{s.authFailures}</dd>
      <dt>Duplicates dropped</dt>
      <dd>{s.duplicatesDropped}</dd>
      <dt>Rate limited</dt>
      <dd>{s.rateLimited}</dd>
      <dt>Errors</dt>
      <dd>{s.errors}</dd>
      <dt>Last fired</dt>
      <dd>{formatAgo(s.lastFiredAt)}</dd>
      {s.lastError ? (
        <>
          <dt>Last error</dt>
          <dd>
            <code className="code-tag">{s.lastError.code}</code> {s.lastError.message}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function TriggerPanelImpl({ api, workflowId, trigger, version, publicApiUrl, onChange, flush, onRotated }: Props) {
  const detail = useAsync(() => api.triggerDetail(workflowId, trigger.id), [api, workflowId, trigger.id, version]);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [revokePrevious, setRevokePrevious] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const zones = useMemo(timeZones, []);
  const config = (trigger.config ?? {}) as JsonObject;
  const setConfig = (patch: JsonObject) => onChange({ ...trigger, config: { ...config, ...patch } } as TriggerInput);

  const rotate = async () => {
    setBusy(true);
    setError(null);
    try {
      await flush();
      const answer = await api.rotateSecret(workflowId, trigger.id, revokePrevious);
      setSecret(answer.secret);
      onRotated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const shown = (detail.data?.trigger.config ?? {}) as { cron?: unknown; timezone?: unknown };
  const scheduleShown = shown.cron === config.cron && (shown.timezone ?? 'UTC') === (config.timezone ?? 'UTC');
  const auth = (config.auth ?? { type: 'none' }) as { type: string; headerName?: string; username?: string; credentialId?: string };
  const url = (typeof detail.data?.webhookUrl === 'string' && detail.data.webhookUrl.startsWith('http') ? detail.data.webhookUrl : null) ?? `${publicApiUrl}/webhook/${encodeURIComponent(api.options.workspaceId)}/${encodeURIComponent(trigger.id)}`;
  const methods = Array.isArray(config.methods) ? (config.methods as string[]) : ['POST'];
  const curlOptions = { url, auth: auth.type, method: methods[0] ?? 'POST', ...(auth.headerName ? { headerName: auth.headerName } : {}), ...(auth.username ? { username: auth.username } : {}) };

  return (
    <section className="stack" aria-label="Trigger">
      <h2>Trigger · {trigger.type.replace('_', ' ')}</h2>
      <label className="check">
        <input type="checkbox" checked={trigger.active !== false} onChange={(e) => onChange({ ...trigger, active: e.target.checked })} /> Active
      </label>
      {trigger.type === 'webhook' ? (
        <>
          <label>
            Webhook URL
            <span className="row">
              <input readOnly value={url} aria-label="Webhook URL" style={{ flex: 1 }} data-testid="webhook-url" />
              <CopyButton text={url} />
            </span>
          </label>
          <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="field-help">Methods</legend>
            {METHODS.map((m) => (
              <label key={m} className="check">
                <input type="checkbox" checked={methods.includes(m)} onChange={(e) => setConfig({ methods: e.target.checked ? [...methods, m] : methods.filter((x) => x !== m) })} /> {m}
              </label>
            ))}
          </fieldset>
          <label>
            Authentication
            <select
              name="auth.type"
              value={auth.type}
              onChange={(e) => {
                const type = e.target.value;
                const next: JsonObject = { type };
                if (type === 'header') next.headerName = auth.headerName ?? 'x-api-key';
                if (type === 'basic') next.username = auth.username ?? 'user';
                setConfig({ auth: next });
              }}
            >
              {AUTH_MODES.map((m) => (
                <option key={m} value={m}>
                  {m === 'hmac' ? 'hmac (Standard Webhooks)' : m}
                </option>
              ))}
            </select>
          </label>
          {auth.type === 'header' ? (
            <label>
              Header name
              <input value={auth.headerName ?? ''} onChange={(e) => setConfig({ auth: { ...auth, headerName: e.target.value } })} />
            </label>
          ) : null}
          {auth.type === 'basic' ? (
            <label>
              Username
              <input value={auth.username ?? ''} onChange={(e) => setConfig({ auth: { ...auth, username: e.target.value } })} />
            </label>
          ) : null}
          {auth.type !== 'none' ? (
            <div className="row">
              <button type="button" className="btn" disabled={busy} onClick={() => void rotate()}>
                {auth.credentialId ? 'Rotate secret' : 'Generate secret'}
              </button>
              <span className="field-help">{auth.credentialId ? 'A secret is set; it is never shown again.' : 'No secret yet: requests will be rejected.'}</span>
              {auth.credentialId ? (
                <label className="check" title="Without this, the previous secret keeps working until the next rotation (senders can switch over).">
                  <input type="checkbox" checked={revokePrevious} onChange={(e) => setRevokePrevious(e.target.checked)} /> Revoke the previous secret now
                </label>
              ) : null}
            </div>
          ) : null}
          <label>
            Response
            <select value={String(config.responseMode ?? 'async')} onChange={(e) => setConfig({ responseMode: e.target.value })}>
              <option value="async">async (202 with run id)</option>
              <option value="sync">sync (wait for the workflow&apos;s response)</option>
            </select>
          </label>
          <WebhookLimits config={config} setConfig={setConfig} replaceConfig={(next) => onChange({ ...trigger, config: next } as TriggerInput)} />
          <details>
            <summary>curl example</summary>
            <pre className="secret-box">{curlExample(curlOptions)}</pre>
            <CopyButton text={curlExample(curlOptions)} label="Copy curl" />
          </details>
        </>
      ) : null}
      {trigger.type === 'schedule' ? (
        <>
          <label>
            Cron expression
            <input name="cron" className="mono" value={String(config.cron ?? '')} onChange={(e) => setConfig({ cron: e.target.value })} />
            <span className="field-help">5 fields (min hour day month weekday), or 6 with seconds first.</span>
          </label>
          <div className="row">
            {CRON_PRESETS.map(([cron, label]) => (
              <button key={cron} type="button" className="btn btn-sm" onClick={() => setConfig({ cron })}>
                {label}
              </button>
            ))}
          </div>
          <label>
            Time zone
            <select name="timezone" value={String(config.timezone ?? 'UTC')} onChange={(e) => setConfig({ timezone: e.target.value })}>
              {[...new Set(['UTC', ...zones])].map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </label>
          <label>
            Missed runs while stopped
            <select value={String(config.catchUp ?? 'latest')} onChange={(e) => setConfig({ catchUp: e.target.value })}>
              <option value="none">skip them</option>
              <option value="latest">run the latest one</option>
              <option value="all">run all (capped)</option>
            </select>
          </label>
          <div>
            <h3>Next fire times</h3>
            {detail.loading && !detail.data ? <Loading /> : null}
            {detail.error ? <InlineError error={detail.error} /> : null}
            {/* Only the times of the schedule on screen: after an edit (or an invalid cron) the old ones would mislead. */}
            {scheduleShown ? null : <div className="field-help" data-testid="fire-times-pending">Fire times appear once this schedule is saved and valid.</div>}
            <ol className="mono" aria-label="Next fire times">
              {(scheduleShown ? (detail.data?.nextFireTimes ?? []) : []).slice(0, 5).map((t) => (
                <li key={t}>{formatTime(t)}</li>
              ))}
            </ol>
          </div>
        </>
      ) : null}
      {trigger.type === 'data_change' ? (
        <>
          <label>
            Collection
            <input name="collection" value={String(config.collection ?? '')} onChange={(e) => setConfig({ collection: e.target.value })} />
          </label>
          <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
            <legend className="field-help">Operations</legend>
            {(['insert', 'update', 'delete'] as const).map((op) => {
              const ops = Array.isArray(config.operations) ? (config.operations as string[]) : ['insert', 'update', 'delete'];
              return (
                <label key={op} className="check">
                  <input type="checkbox" checked={ops.includes(op)} onChange={(e) => setConfig({ operations: e.target.checked ? [...ops, op] : ops.filter((x) => x !== op) })} /> {op}
                </label>
              );
            })}
          </fieldset>
          <FilterField value={(config.filter ?? {}) as JsonObject} onChange={(filter) => setConfig({ filter })} />
        </>
      ) : null}
      {trigger.type === 'event_source' ? <EventSourceFields config={config} replaceConfig={(next) => onChange({ ...trigger, config: next } as TriggerInput)} /> : null}
      {trigger.type === 'manual' ? <p className="muted">Runs start from “Run now” or `POST …/runs`.</p> : null}
      <InlineError error={error} />
      <div>
        <h3>Statistics</h3>
        {detail.error && trigger.type !== 'schedule' ? <div className="muted">Save the workflow to see statistics.</div> : <Stats detail={detail.data} />}
      </div>
      {secret !== null ? (
        <Dialog title="Signing secret" onClose={() => setSecret(null)}>
          <p>Copy it now: it is shown only once. The previous secret stays valid until the next rotation, so senders can switch over.</p>
          <div className="secret-box" data-testid="signing-secret">
            {secret}
          </div>
          <CopyButton text={secret} label="Copy secret" />
          <h3>Signed request</h3>
          <pre className="secret-box">{curlExample({ ...curlOptions, secret })}</pre>
          <CopyButton text={curlExample({ ...curlOptions, secret })} label="Copy curl" />
        </Dialog>
      ) : null}
    </section>
  );
}

/** Memoized: the canvas re-renders on every drag frame; this panel only when its trigger changes. */
export const TriggerPanel = memo(TriggerPanelImpl);

function FilterField({ value, onChange }: { value: JsonObject; onChange: (v: JsonObject) => void }) {
  const [text, setText] = useState(() => JSON.stringify(value, null, 2));
  const [bad, setBad] = useState(false);
  return (
    <label>
      Filter (equality on fields, dotted paths allowed)
      <textarea
        rows={3}
        value={text}
        aria-invalid={bad}
        onChange={(e) => {
          setText(e.target.value);
          try {
            const parsed = JSON.parse(e.target.value || '{}') as unknown;
            if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('object');
            setBad(false);
            onChange(parsed as JsonObject);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad ? <span className="field-error">Must be a JSON object such as {'{"status": "new"}'}</span> : null}
    </label>
  );
}
