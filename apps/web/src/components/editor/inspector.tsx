'use client';
/** Side panel for the selected node: label, the parameter form from its JSON Schema, execution settings. */
import { memo, useMemo, useRef } from 'react';
import type { JsonObject, Run } from '@outrun/schemas';
import type { NodeTypeInfo } from '../../lib/api';
import { stepReference, type CanvasNodeData } from './graph-model';
import { CopyButton } from '../dialog';
import { fieldMessage, plainMessage } from './human-problem';
import { SchemaFields } from './schema-form';
import { validateParams } from './schema-validate';
import { PreviewScopeContext } from './expression-preview';
import { previewScope, type Pins } from './preview-scope';
import type { Problem } from './use-workflow-draft';
import { useParamsSchema } from './workflow-call-schema';

interface Props {
  nodeId: string;
  /** The node's data: its identity does not change while the node is dragged, so the form does not re-render. */
  data: CanvasNodeData;
  info: NodeTypeInfo | undefined;
  problems: Problem[];
  lastRun: Run | null | undefined;
  /** Pinned outputs of the draft's nodes: the autocomplete and the preview use them as a test run would. */
  pins: Pins;
  /** The nodes connected into this one (its input, when one of them is pinned). */
  sources: readonly string[];
  onChange: (nodeId: string, patch: Partial<CanvasNodeData>, coalesceKey: string) => void;
  onDelete: () => void;
}

function InspectorImpl({ nodeId, data, info, problems, lastRun, pins, sources, onChange: change, onDelete }: Props) {
  const node = { id: nodeId, data };
  const onChange = (patch: Partial<CanvasNodeData>, key: string) => change(nodeId, patch, key);
  const params = data.params;
  // Local checks speak only for fields the user has changed since opening the node (a freshly dropped node is not
  // a wall of "required"); the API's problems (after Publish or Activate) always show.
  const opened = useRef(params);
  const errors = useMemo(() => {
    const touched = (path: string) => {
      const key = path.split('.')[0] ?? '';
      return JSON.stringify(params[key]) !== JSON.stringify(opened.current[key]);
    };
    const map = new Map([...validateParams(info?.paramsSchema, params)].filter(([path]) => touched(path)));
    for (const p of problems) {
      // `nodes.3.data.url` → `url`
      const rel = p.path.split('.').slice(3).join('.');
      if (p.path.split('.')[2] === 'data' && rel) map.set(rel, fieldMessage(p.message));
    }
    return map;
  }, [info, params, problems]);
  const formSchema = useParamsSchema(info, params);
  const general = problems.filter((p) => p.path.split('.')[2] !== 'data' || p.path.split('.').length <= 3);
  const settings = node.data.settings ?? {};
  const scope = useMemo(() => previewScope(lastRun, nodeId, pins, sources), [lastRun, nodeId, pins, sources]);

  return (
    <section className="stack" aria-label="Node settings">
      <div className="row">
        <h2 style={{ margin: 0 }}>{info?.label ?? node.data.kind}</h2>
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-danger" onClick={onDelete}>
          Delete
        </button>
      </div>
      {info?.description ? <p className="muted" style={{ margin: 0 }}>{info.description}</p> : null}
      {!info ? <div className="inline-error">Unknown node type “{node.data.kind}”: it is not in the catalog.</div> : null}
      {general.map((p) => (
        <div key={`${p.path}${p.message}`} className="inline-error">
          {plainMessage(p.message)}
        </div>
      ))}
      <label>
        Label
        <input name="label" value={node.data.label ?? ''} placeholder={info?.label ?? ''} onChange={(e) => onChange({ label: e.target.value || undefined } as Partial<CanvasNodeData>, `${node.id}:label`)} />
      </label>
      <div className="field-help row" style={{ flexWrap: 'wrap' }}>
        <span>Output of this step:</span> <code data-testid="step-reference">{stepReference(node.id)}</code> <CopyButton text={stepReference(node.id)} />
      </div>
      <div className="field-help">
        Node id <code>{node.id}</code>; this step&apos;s input is <code>{'{{ input }}'}</code>.
      </div>
      {info ? (
        <PreviewScopeContext.Provider value={scope}>
          <SchemaFields schema={formSchema ?? info.paramsSchema} value={params} path="" errors={errors} onChange={(next: JsonObject) => onChange({ params: next }, `${node.id}:params`)} />
        </PreviewScopeContext.Provider>
      ) : null}
      <details>
        <summary>Execution settings</summary>
        <div className="stack" style={{ marginTop: 8 }}>
          <label className="check">
            <input type="checkbox" checked={settings.continueOnFail === true} onChange={(e) => onChange({ settings: { ...settings, continueOnFail: e.target.checked } }, `${node.id}:settings`)} />
            Continue on failure (record the error as output)
          </label>
          <label>
            On error
            <select value={settings.onError ?? 'fail'} onChange={(e) => onChange({ settings: { ...settings, onError: e.target.value as 'fail' | 'error-output' } }, `${node.id}:settings`)}>
              <option value="fail">Fail the run</option>
              <option value="error-output">Continue through the error handle</option>
            </select>
          </label>
          <label>
            Timeout (ms)
            <input
              inputMode="numeric"
              value={settings.timeout ?? ''}
              placeholder="workflow default"
              onChange={(e) => {
                const { timeout: _drop, ...rest } = settings;
                const n = Number(e.target.value);
                onChange({ settings: e.target.value && Number.isInteger(n) && n > 0 ? { ...rest, timeout: n } : rest }, `${node.id}:settings`);
              }}
            />
          </label>
          <label>
            Max retries
            <input
              inputMode="numeric"
              value={settings.retry?.maxRetries ?? ''}
              placeholder="workflow default"
              onChange={(e) => {
                const n = Number(e.target.value);
                const { retry: _drop, ...rest } = settings;
                onChange({ settings: e.target.value && Number.isInteger(n) && n >= 0 ? { ...rest, retry: { ...settings.retry, maxRetries: n } } : rest }, `${node.id}:settings`);
              }}
            />
          </label>
        </div>
      </details>
    </section>
  );
}

/** Memoized: dragging the selected node changes only its position, not these props. */
export const Inspector = memo(InspectorImpl);
