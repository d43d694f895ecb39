'use client';
/**
 * AI prices of the workspace: per-model overrides (USD per 1M tokens) that win over the instance file and the
 * bundled catalogue, and the content-tracing opt-in. `?model=` (from a run's "unpriced" hint) pre-fills the form.
 */
import { useState } from 'react';
import type { Api } from '../../lib/api';
import { useAsync } from '../../lib/use-async';
import { useQueryState } from '../../lib/use-query-state';
import { formatAgo } from '../../lib/format';
import { Empty, ErrorState, InlineError, Loading } from '../states';

const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

function TraceContent({ api }: { api: Api }) {
  const settings = useAsync(() => api.getAiSettings(), [api]);
  const [error, setError] = useState<unknown>(null);
  if (!settings.data) return settings.error ? <ErrorState error={settings.error} onRetry={settings.reload} /> : <Loading />;
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          data-testid="trace-content"
          checked={settings.data.traceContent}
          onChange={(e) => {
            setError(null);
            api.setAiSettings({ traceContent: e.target.checked }).then(settings.setData, setError);
          }}
        />
        Put prompts and completions on this workspace&apos;s model spans (OpenTelemetry). Off by default: traces then carry token counts and cost only.
      </label>
      <InlineError error={error} />
    </>
  );
}

export function AiPrices({ api }: { api: Api }) {
  const [params] = useQueryState();
  const prices = useAsync(() => api.listPriceOverrides(), [api]);
  const [model, setModel] = useState(params.get('model') ?? '');
  const [input, setInput] = useState('');
  const [cached, setCached] = useState('');
  const [output, setOutput] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      prices.reload();
    } catch (e) {
      setError(e);
    }
  };
  const save = () =>
    act(async () => {
      const i = num(input);
      const o = num(output);
      const c = num(cached);
      await api.putPriceOverride(model.trim(), { input: i ?? Number.NaN, output: o ?? Number.NaN, ...(c !== undefined ? { cachedInput: c } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
      setModel('');
      setInput('');
      setCached('');
      setOutput('');
      setNote('');
    });
  return (
    <section className="card stack" aria-label="AI prices">
      <h2>AI prices</h2>
      <p className="muted">
        A step is priced by this workspace&apos;s override first, then the instance&apos;s override file (<code>OUTRUN_AI_PRICES_FILE</code>), then the bundled
        catalogue{prices.data ? <> (<code>{prices.data.catalogue.source} {prices.data.catalogue.version}</code>)</> : null}. Each step records which one priced it.
        Prices are USD per 1M tokens; a model no source knows stays unpriced (its cost is not counted, never 0).
      </p>
      <form className="row" style={{ flexWrap: 'wrap' }} onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <input value={model} onChange={(e) => setModel(e.target.value)} placeholder="model, e.g. llama3.1:8b" aria-label="Model" required />
        <input value={input} onChange={(e) => setInput(e.target.value)} inputMode="decimal" placeholder="input $/1M" aria-label="Input price" required style={{ width: 110 }} />
        <input value={cached} onChange={(e) => setCached(e.target.value)} inputMode="decimal" placeholder="cached input $/1M" aria-label="Cached input price" style={{ width: 140 }} />
        <input value={output} onChange={(e) => setOutput(e.target.value)} inputMode="decimal" placeholder="output $/1M" aria-label="Output price" required style={{ width: 110 }} />
        <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="note (optional)" aria-label="Note" />
        <button type="submit" className="btn btn-primary">Save price</button>
      </form>
      <InlineError error={error} />
      {prices.error ? <ErrorState error={prices.error} onRetry={prices.reload} /> : !prices.data ? <Loading /> : prices.data.items.length === 0 ? <Empty title="No price overrides: the catalogue prices every step." /> : (
        <table className="table" data-testid="price-overrides">
          <thead><tr><th>Model</th><th>Input</th><th>Cached input</th><th>Output</th><th>Note</th><th>Updated</th><th /></tr></thead>
          <tbody>
            {prices.data.items.map((p) => (
              <tr key={p.model}>
                <td className="mono">{p.model}</td>
                <td>${p.input}</td>
                <td>{p.cachedInput === undefined ? <span className="muted">= input</span> : `$${p.cachedInput}`}</td>
                <td>${p.output}</td>
                <td>{p.note ?? ''}</td>
                <td>{formatAgo(p.updatedAt)}</td>
                <td><button type="button" className="btn btn-sm btn-danger" onClick={() => void act(() => api.deletePriceOverride(p.model))}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Content tracing</h3>
      <TraceContent api={api} />
    </section>
  );
}
