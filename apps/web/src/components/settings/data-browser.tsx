'use client';
/** Browser for the workspace's data collections: pick a collection, filter, insert and delete documents. */
import { useState } from 'react';
import type { JsonObject, JsonValue } from '@outrun/schemas';
import { ApiError, type Api } from '../../lib/api';
import { useAsync } from '../../lib/use-async';
import { useQueryState } from '../../lib/use-query-state';
import { formatAgo } from '../../lib/format';
import { JsonView } from '../json-view';
import { Empty, ErrorState, InlineError, Loading } from '../states';


/** The URL's `filter` as a JSON object; anything else is ignored (the input shows it as typed). */
function parseFilter(text: string): JsonObject | undefined {
  if (!text.trim()) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

export function DataBrowser({ api }: { api: Api }) {
  const [params, setParams] = useQueryState();
  const collection = params.get('collection') ?? '';
  const filter = params.get('filter') ?? '';
  const names = useAsync(() => api.listCollections(), [api]);
  const docs = useAsync(collection ? () => api.listDocuments(collection, parseFilter(filter)) : null, [api, collection, filter]);
  const [draft, setDraft] = useState('');
  const [filterText, setFilterText] = useState(filter);
  const [error, setError] = useState<unknown>(null);

  const insert = async () => {
    setError(null);
    try {
      const parsed = JSON.parse(draft) as JsonValue;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('object');
      await api.insertDocument(collection, parsed);
      setDraft('');
      docs.reload();
      names.reload();
    } catch (e) {
      setError(e instanceof SyntaxError ? new ApiError(400, 'OUT_ERR_INVALID_JSON', 'The document must be a JSON object.') : e);
    }
  };

  return (
    <section className="card stack" aria-label="Data collections">
      <h2>Data collections</h2>
      <div className="row">
        <label>
          Collection
          <input list="collections" value={collection} onChange={(e) => setParams({ collection: e.target.value, filter: null })} placeholder="e.g. leads" />
          <datalist id="collections">{(names.data ?? []).map((n) => <option key={n} value={n} />)}</datalist>
        </label>
        <form className="row" style={{ alignItems: 'flex-end' }} onSubmit={(e) => { e.preventDefault(); setParams({ filter: filterText }); }}>
          <label>Filter (JSON equality)<input className="mono" value={filterText} onChange={(e) => setFilterText(e.target.value)} placeholder='{"status":"new"}' /></label>
          <button type="submit" className="btn">Apply</button>
        </form>
      </div>
      {names.data && names.data.length > 0 ? (
        <div className="row">{names.data.map((n) => <button key={n} type="button" className="btn btn-sm" aria-pressed={n === collection} onClick={() => setParams({ collection: n, filter: null })}>{n}</button>)}</div>
      ) : names.data ? <div className="muted">No collections yet. Insert a document to create one.</div> : null}
      {collection ? (
        <>
          <div className="stack">
            <label>New document in “{collection}”<textarea rows={3} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder='{"name": "Ada", "status": "new"}' /></label>
            <div><button type="button" className="btn btn-primary" disabled={!draft.trim()} onClick={() => void insert()}>Insert</button></div>
            <InlineError error={error} />
          </div>
          {docs.error ? <ErrorState error={docs.error} onRetry={docs.reload} /> : docs.loading && !docs.data ? <Loading /> : !docs.data || docs.data.items.length === 0 ? <Empty title="No documents." /> : (
            <table className="table">
              <thead><tr><th>Id</th><th>Data</th><th>Updated</th><th /></tr></thead>
              <tbody>
                {docs.data.items.map((d) => (
                  <tr key={d.id}>
                    <td className="mono">{d.id}</td>
                    <td className="wrap" style={{ minWidth: 300 }}><JsonView value={d.data} expandDepth={0} /></td>
                    <td>{formatAgo(d.updatedAt)}</td>
                    <td><button type="button" className="btn btn-sm btn-danger" onClick={() => void api.deleteDocument(collection, d.id).then(docs.reload, setError)}>Delete</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </section>
  );
}
