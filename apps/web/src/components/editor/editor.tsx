'use client';
/**
 * The workflow editor: palette, React Flow canvas and side panel (node form, triggers, versions, problems).
 * All reads and writes go through the gateway; edits autosave to the draft, Publish makes it the live version
 * (what triggers and runs use); Activate validates on the server. Both side panels collapse (narrow screens
 * start with them closed, opened as overlays).
 * An archived workflow opens read-only (the gateway refuses to save it).
 */
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type Connection, type FinalConnectionState } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import type { JsonValue, TriggerInput, Workflow } from '@outrun/schemas';
import { ApiError, type Api } from '../../lib/api';
import { itemCount } from './node-run-badge';
import { NodeRunData } from './node-run-data';
import { skipReason } from './skip-reason';
import { samplePayload } from './sample-payload';
import { TestBar } from './test-bar';
import { useTestLoop } from './use-test-loop';
import { useApiContext } from '../../lib/api-context';
import { useAsync } from '../../lib/use-async';
import { ErrorState, InlineError, Loading } from '../states';
import { EditorContext } from './editor-context';
import { addFromPalette, connect, copySelection, paste, tidy, type Clip } from './graph-edits';
import { inputHandles, outputHandles, TRIGGER, type CanvasNode, type CanvasNodeData } from './graph-model';
import { NodePicker } from './node-picker';
import { ArchiveDialog } from '../workflows/archive-dialog';
import { ConnectionsEditor } from './connections-editor';
import { Inspector } from './inspector';
import { InsertTargetContext, type InsertTargetRef } from './insert-target';
import { usePins } from './preview-scope';
import { nodeTypes } from './node-view';
import { DRAG_MIME, Palette } from './palette';
import { RunNowDialog } from './run-now-dialog';
import { TriggerPanel } from './trigger-panel';
import { useEditorShortcuts } from './use-editor-shortcuts';
import { resolveProblems, useWorkflowDraft } from './use-workflow-draft';
import { EditorToolbar } from './editor-toolbar';
import { ProblemsList } from './problems-list';
import { humanProblem, nodeNamer } from './human-problem';
import { VersionsPanel } from './versions-panel';
import { PublishDialog } from './publish-dialog';
import { findPlaceholders } from './placeholders';
import { usePanels } from './use-panels';
import { McpToolSettings } from './mcp-tool-settings';
import { WorkflowSettingsPanel } from './workflow-settings-panel';

type Tab = 'inspect' | 'versions' | 'problems';

/**
 * Fit-to-view that keeps small flows readable: never above 100 % (a 2-node flow is not blown up), and a handful
 * of nodes is not shrunk below 80 % (titles stay ~11 px and up) even when that leaves some of it to pan to.
 */
export function fitOptions(nodeCount: number) {
  return { padding: 0.15, maxZoom: 1, minZoom: nodeCount <= 8 ? 0.8 : 0.1 };
}

function EditorInner({ api, workflowId, publicApiUrl, canWrite, canOperate }: { api: Api; workflowId: string; publicApiUrl: string; canWrite: boolean; canOperate: boolean }) {
  const flow = useReactFlow();
  const doc = useWorkflowDraft(api, workflowId, canWrite);
  const catalogState = useAsync(() => api.listNodes(), [api]);
  const [tab, setTab] = useState<Tab>('inspect');
  const [runNow, setRunNow] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const panels = usePanels();
  const [archiving, setArchiving] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const clip = useRef<Clip | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const { draft, workflow, commit, problems } = doc;
  // Fit the view on open only when there is something to fit; on an empty canvas React Flow would otherwise
  // fit to the first dropped node and jump the viewport under the user's cursor.
  const fitOnOpen = useRef<boolean | null>(null);
  if (fitOnOpen.current === null && draft) fitOnOpen.current = draft.nodes.length > 0;

  const catalog = useMemo(() => new Map((catalogState.data ?? []).map((n) => [n.type, n])), [catalogState.data]);
  // The node picker ("+" on the selected node, or a connection dropped on empty canvas): where, and from which handle.
  const [picker, setPicker] = useState<{ at: { x: number; y: number }; place: { x: number; y: number }; from: { source: string; sourceHandle: string | null } } | null>(null);
  const openPicker = useCallback((client: { x: number; y: number }, place: { x: number; y: number }, from: { source: string; sourceHandle: string | null }) => {
    const rect = wrapper.current?.getBoundingClientRect();
    // Kept inside the canvas (the picker is ~250 × 310 px).
    const x = Math.max(8, Math.min(client.x - (rect?.left ?? 0), (rect?.width ?? 800) - 250));
    const y = Math.max(40, Math.min(client.y - (rect?.top ?? 0), (rect?.height ?? 600) - 310));
    setPicker({ at: { x, y }, place, from });
  }, []);
  const readOnly = doc.readOnly;
  const addAfter = useCallback((nodeId: string) => {
    const node = flow.getNode(nodeId) as CanvasNode | undefined;
    if (!node) return;
    const width = flow.getInternalNode(nodeId)?.measured.width ?? 180;
    const place = { x: node.position.x + width + 90, y: node.position.y };
    openPicker(flow.flowToScreenPosition({ x: node.position.x + width + 40, y: node.position.y }), place, {
      source: nodeId, sourceHandle: outputHandles(catalog.get(node.data.kind), node.data.params)[0]?.id ?? 'out',
    });
  }, [flow, catalog, openPicker]);
  const onConnectEnd = useCallback((event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    // Only a drag from an output that ended on empty canvas (not on a handle or a node).
    if (readOnly || state.isValid || state.toNode || !state.fromNode || state.fromHandle?.type !== 'source') return;
    const point = 'changedTouches' in event ? event.changedTouches[0] : event;
    if (!point) return;
    const p = flow.screenToFlowPosition({ x: point.clientX, y: point.clientY });
    openPicker({ x: point.clientX, y: point.clientY }, { x: p.x, y: p.y - 25 }, { source: state.fromNode.id, sourceHandle: state.fromHandle.id ?? null });
  }, [readOnly, flow, openPicker]);
  const context = useMemo(() => ({ catalog, triggers: draft?.triggers ?? [], addAfter: readOnly ? undefined : addAfter }), [catalog, draft?.triggers, readOnly, addAfter]);
  const problemByNode = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of problems) if (p.nodeId && !m.has(p.nodeId)) m.set(p.nodeId, humanProblem(p, { name: () => 'This step' }).text);
    return m;
  }, [problems]);
  const flush = useCallback(() => doc.saveNow(), [doc.saveNow]);
  const loop = useTestLoop(api, workflowId, flush, publicApiUrl);
  // The selected run drawn on the nodes: status and output items per step.
  const runByNode = useMemo(() => new Map((loop.run?.steps ?? []).map((s) => [s.nodeId, { status: s.status, ...(itemCount(s.output) === undefined ? {} : { items: itemCount(s.output) as number }) }])), [loop.run]);
  const nodes = useMemo(
    () => (draft?.nodes ?? []).map((n) => {
      const problem = problemByNode.get(n.id);
      const run = runByNode.get(n.id);
      return problem || run ? { ...n, data: { ...n.data, ...(problem ? { problem } : {}), ...(run ? { run } : {}) } } : n;
    }),
    [draft?.nodes, problemByNode, runByNode],
  );
  const selected = useMemo(() => (draft?.nodes ?? []).filter((n) => n.selected), [draft?.nodes]);
  const single = selected.length === 1 ? selected[0] : undefined;
  const singleId = single?.id;
  const targetsKey = (draft?.nodes ?? []).filter((n) => n.data.kind !== TRIGGER).map((n) => `${n.id}\u0000${n.data.label ?? ''}\u0000${n.data.kind}`).join('\u0001');
  const targets = useMemo(() => (targetsKey ? targetsKey.split('\u0001') : []).map((row) => {
    const [id = '', label = '', kind = ''] = row.split('\u0000');
    return { id, name: `${label || catalog.get(kind)?.label || kind} (${id})` };
  }), [targetsKey, catalog]);
  const singleEdges = useMemo(() => (draft?.edges ?? []).filter((e) => e.source === singleId), [draft?.edges, singleId]);
  const singleSources = useMemo(() => (draft?.edges ?? []).filter((e) => e.target === singleId).map((e) => e.source), [draft?.edges, singleId]);
  const pins = usePins(draft?.nodes);
  // The expression field focused last in the side panel: click-to-insert from the run data goes there.
  const insertTarget = useRef<InsertTargetRef['current']>(null);
  const connectFromSelected = useCallback((sourceHandle: string, target: string) => {
    if (singleId) commit((d) => connect(d, { source: singleId, sourceHandle, target, targetHandle: 'in' }));
  }, [commit, singleId]);
  const removeEdge = useCallback((edgeId: string) => commit((d) => ({ ...d, edges: d.edges.filter((e) => e.id !== edgeId) })), [commit]);
  const singleProblems = useMemo(() => problems.filter((p) => p.nodeId === singleId), [problems, singleId]);
  const names = useMemo(() => nodeNamer(draft?.nodes ?? [], catalog), [draft?.nodes, catalog]);

  const centre = useCallback(() => {
    const rect = wrapper.current?.getBoundingClientRect();
    const p = flow.screenToFlowPosition({ x: (rect?.left ?? 0) + (rect?.width ?? 600) / 2, y: (rect?.top ?? 0) + (rect?.height ?? 400) / 2 });
    // The first free spot going down from the centre: clicked palette items must not stack on each other.
    const taken = doc.draftRef.current?.nodes ?? [];
    const spot = { x: p.x - 85, y: p.y - 25 };
    for (let i = 0; i < 50 && taken.some((n) => Math.abs(n.position.x - spot.x) < 190 && Math.abs(n.position.y - spot.y) < 80); i += 1) spot.y += 90;
    return spot;
  }, [flow, doc.draftRef]);
  const addNode = useCallback((key: string, position?: { x: number; y: number }) => {
    commit((d) => addFromPalette(d, key, position ?? centre()).draft);
    setTab('inspect');
  }, [commit, centre]);
  const onDrop = useCallback((e: DragEvent) => {
    e.preventDefault();
    const key = e.dataTransfer.getData(DRAG_MIME);
    if (!key) return;
    const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    addNode(key, { x: p.x - 85, y: p.y - 25 });
  }, [flow, addNode]);
  const onConnect = useCallback((c: Connection) => commit((d) => connect(d, c)), [commit]);
  const pick = useCallback((type: string) => {
    if (!picker) return;
    const { place, from } = picker;
    let added = '';
    commit((d) => {
      const next = addFromPalette(d, type, place);
      added = next.id;
      return connect(next.draft, { source: from.source, sourceHandle: from.sourceHandle, target: next.id, targetHandle: inputHandles(catalog.get(type), type)[0]?.id ?? 'in' });
    });
    setPicker(null);
    setTab('inspect');
    // Both ends of the new connection in view (zooming out only if needed), once React Flow has the node.
    requestAnimationFrame(() => void flow.fitView({ nodes: [{ id: from.source }, { id: added }], maxZoom: flow.getZoom(), padding: 0.3, duration: 200 }));
  }, [picker, commit, catalog, flow]);
  const closePicker = useCallback(() => setPicker(null), []);
  const updateNode = useCallback((id: string, patch: Partial<CanvasNodeData>, key: string) => {
    commit((d) => ({ ...d, nodes: d.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch } } : n)) }), key);
    doc.setProblems((ps) => ps.filter((p) => p.nodeId !== id));
  }, [commit, doc.setProblems]);
  const updateTrigger = useCallback((next: TriggerInput) => {
    commit((d) => ({ ...d, triggers: d.triggers.map((t) => (t.id === next.id ? next : t)) }), `trigger:${next.id}`);
  }, [commit]);
  const updateSettings = useCallback((settings: Workflow['settings']) => commit((d) => ({ ...d, settings }), 'settings'), [commit]);
  const pin = useCallback((id: string, output: JsonValue | undefined) => {
    commit((d) => ({ ...d, nodes: d.nodes.map((n) => {
      if (n.id !== id) return n;
      const { pinned: _drop, ...rest } = n.data;
      return { ...n, data: output === undefined ? rest : { ...rest, pinned: output } };
    }) }), `${id}:pinned`);
  }, [commit]);
  const testSample = useCallback((): JsonValue => samplePayload(doc.draftRef.current?.triggers[0]), [doc.draftRef]);
  const executeStep = useCallback((id: string) => void loop.executeStep(id), [loop.executeStep]);
  const deleteSelected = useCallback(() => {
    void flow.deleteElements({ nodes: flow.getNodes().filter((n) => n.selected).map((n) => ({ id: n.id })) });
  }, [flow]);
  const fit = useCallback(() => void flow.fitView({ ...fitOptions(doc.draftRef.current?.nodes.length ?? 0), duration: 200 }), [flow, doc.draftRef]);
  const tidyUp = useCallback(() => {
    const d = doc.draftRef.current;
    const next = d ? tidy(d) : d;
    // Already tidy: no undo step, no save.
    if (!d || !next || next === d) return;
    commit(() => next);
    // After React Flow has the new positions, so the whole tidied graph is in view.
    requestAnimationFrame(fit);
  }, [doc.draftRef, commit, fit]);
  const onArchived = useCallback((wf: Workflow | null) => {
    if (wf) doc.setWorkflow(wf);
    else if (workflow) doc.setWorkflow({ ...workflow, status: 'archived' });
    doc.setProblems([]);
    setArchiving(false);
  }, [workflow, doc.setWorkflow, doc.setProblems]);
  const closeArchive = useCallback(() => setArchiving(false), []);
  const { reload } = doc;
  const reloadAfterRotation = useCallback(() => void reload(), [reload]);

  const handlers = useMemo(() => ({
    undo: doc.undo,
    redo: doc.redo,
    copy: () => { if (draft) clip.current = copySelection(draft) ?? clip.current; },
    paste: () => { const c = clip.current; if (c) commit((d) => paste(d, c)); },
    save: () => void flush().catch(() => undefined),
    fit,
    tidy: tidyUp,
  }), [doc.undo, doc.redo, draft, commit, flush, fit, tidyUp]);
  useEditorShortcuts(handlers);
  const selectOnly = useCallback((id: string) => {
    const d = doc.draftRef.current;
    if (d) doc.onNodesChange(d.nodes.map((n) => ({ type: 'select' as const, id: n.id, selected: n.id === id })));
    setTab('inspect');
  }, [doc.draftRef, doc.onNodesChange]);

  const setStatus = async (action: 'activate' | 'pause') => {
    if (!workflow || !draft) return;
    setBusy(true);
    setActionError(null);
    try {
      await flush();
      if (action === 'activate') {
        const body = doc.body(draft);
        // Template example URLs would fail every run: they count as problems, draft or not.
        const examples = findPlaceholders(body).map((p) => ({
          path: `nodes.${(body.nodes ?? []).findIndex((n) => n.id === p.nodeId)}.data.${p.field}`,
          message: `still has the template's example value ${p.value}: replace it with your own`,
        }));
        // Read from the server: the flush above may have stored the first draft after this render.
        const hasDraft = (await api.getDraft(workflow.id)) !== null;
        // Activation runs the published version: check the draft first, then publish it, then activate.
        const problems = [...(hasDraft ? (await api.validate(body)).problems : []), ...examples];
        if (problems.length > 0) throw new ApiError(422, 'OUT_ERR_WORKFLOW_INVALID', 'The workflow has problems; fix them before activating.', problems);
        if (hasDraft) await doc.publish();
      }
      const wf = action === 'activate' ? await api.activate(workflow.id) : await api.pause(workflow.id);
      doc.setWorkflow(wf);
      doc.setProblems([]);
    } catch (e) {
      setActionError(e);
      if (e instanceof ApiError && e.details.length > 0) {
        doc.setProblems(resolveProblems(e.details, doc.body(draft) as never));
        setTab('problems');
      }
    } finally {
      setBusy(false);
    }
  };

  if (doc.loadError) return <div className="page"><ErrorState error={doc.loadError} onRetry={() => void doc.reload()} /></div>;
  if (!draft || !workflow) return <div className="page"><Loading label="Loading workflow…" /></div>;
  const trigger = single?.data.kind === TRIGGER ? draft.triggers.find((t) => t.id === single.data.params.triggerId) : undefined;

  return (
    <EditorContext.Provider value={context}>
      <div className="editor" data-palette={panels.palette ? 'open' : 'closed'} data-panel={panels.inspector ? 'open' : 'closed'}>
        {/* Keyboard users reach the first node in two keys instead of tabbing through the toolbar and palette. */}
        <a href="#canvas" className="skip-link" onClick={(e) => { e.preventDefault(); wrapper.current?.querySelector<HTMLElement>('.react-flow__node')?.focus(); }}>
          Skip to the canvas
        </a>
        <EditorToolbar
          workflow={workflow}
          name={draft.name}
          hasDraft={doc.hasDraft}
          onPublish={() => setPublishing(true)}
          panels={panels}
          saveState={doc.saveState}
          canUndo={doc.canUndo}
          canRedo={doc.canRedo}
          canTidy={!doc.readOnly && draft.nodes.length > 1}
          busy={busy}
          onRename={(name) => commit((d) => ({ ...d, name }), 'name')}
          onUndo={doc.undo}
          onRedo={doc.redo}
          onTidy={tidyUp}
          onFit={fit}
          onRunNow={() => setRunNow(true)}
          onStatus={(action) => void setStatus(action)}
          onArchive={() => setArchiving(true)}
          canWrite={canWrite}
          canOperate={canOperate}
        />
        {panels.palette ? <Palette catalog={catalogState.data ?? []} onAdd={addNode} readOnly={doc.readOnly} /> : null}
        <div className="canvas" ref={wrapper} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop} data-testid="canvas">
          {doc.saveState === 'conflict' ? (
            <div className="banner banner-error" style={{ position: 'absolute', zIndex: 5, left: 0, right: 0 }}>
              The live workflow was published elsewhere since you started this draft. <button type="button" className="btn btn-sm" onClick={() => void doc.discard()}>Discard my draft and load the live version</button>
            </div>
          ) : null}
          {doc.readOnly ? (
            <div className="banner" role="note" style={{ position: 'absolute', zIndex: 5, left: 0, right: 0 }}>
              {workflow.status === 'archived' ? 'This workflow is archived: it cannot run or be changed. Its runs and versions are kept.' : 'Your role in this workspace can read this workflow, not change it.'}
            </div>
          ) : null}
          {canWrite ? <TestBar loop={loop} readOnly={doc.readOnly} sample={testSample} /> : null}
          <ReactFlow<CanvasNode>
            nodes={nodes}
            edges={draft.edges}
            nodeTypes={nodeTypes}
            onNodesChange={doc.onNodesChange}
            onEdgesChange={doc.onEdgesChange}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            onNodeDragStart={doc.markHistory}
            onNodeClick={() => setTab('inspect')}
            nodesDraggable={!doc.readOnly}
            nodesConnectable={!doc.readOnly}
            onlyRenderVisibleElements
            fitView={fitOnOpen.current === true}
            fitViewOptions={fitOptions(draft.nodes.length)}
            deleteKeyCode={doc.readOnly ? null : ['Delete', 'Backspace']}
            minZoom={0.1}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={20} />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable ariaLabel="Minimap" nodeColor="#94a3b8" nodeStrokeColor="#64748b" nodeBorderRadius={4} maskColor="rgba(240, 242, 245, 0.6)" />
          </ReactFlow>
          {picker ? <NodePicker catalog={catalogState.data ?? []} at={picker.at} onPick={pick} onClose={closePicker} /> : null}
          {draft.nodes.length === 0 ? (
            <div className="state" style={{ position: 'absolute', top: '35%', left: 0, right: 0, pointerEvents: 'none' }}>
              <strong>Empty canvas</strong>
              <span>Drag a trigger from the palette to start, then add steps and connect their handles.</span>
            </div>
          ) : null}
        </div>
        <InsertTargetContext.Provider value={insertTarget}>
        <aside className="inspector" aria-label="Side panel" hidden={!panels.inspector}>
          <div className="tabs" role="tablist">
            {(['inspect', 'versions', 'problems'] as const).map((t) => (
              <button key={t} type="button" role="tab" className="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
                {t === 'inspect' ? (trigger ? 'Trigger' : 'Node') : t === 'versions' ? 'Versions' : `Problems${problems.length ? ` (${problems.length})` : ''}`}
              </button>
            ))}
          </div>
          <InlineError error={actionError && !(actionError instanceof ApiError && actionError.details.length > 0) ? actionError : null} />
          {doc.saveState === 'error' ? <InlineError error={doc.saveError} /> : null}
          {/* Read-only when archived: one disabled fieldset turns every form control in the panel off. */}
          <fieldset className="panel-fieldset" disabled={doc.readOnly}>
            {tab === 'inspect' ? (
              trigger && single ? (
                <>
                <TriggerPanel api={api} workflowId={workflow.id} trigger={trigger} version={`${workflow.version}:${doc.saveCount}`} publicApiUrl={publicApiUrl} onChange={updateTrigger} flush={flush} onRotated={reloadAfterRotation} />
                <ConnectionsEditor nodeId={single.id} outputs={outputHandles(catalog.get(TRIGGER), single.data.params)} targets={targets} edges={singleEdges} onConnect={connectFromSelected} onRemove={removeEdge} />
                </>
              ) : single ? (
                <>
                <Inspector key={single.id} nodeId={single.id} data={single.data} info={catalog.get(single.data.kind)} problems={singleProblems} lastRun={loop.run} pins={pins} sources={singleSources} onChange={updateNode} onDelete={deleteSelected} />
                <NodeRunData nodeId={single.id} run={loop.run} pinned={single.data.pinned} canExecute={!doc.readOnly} busy={loop.busy} onExecute={executeStep} onPin={pin} skippedBecause={skipReason(single.id, draft.edges, loop.run, names.name)} />
                <ConnectionsEditor nodeId={single.id} outputs={outputHandles(catalog.get(single.data.kind), single.data.params, single.data.settings)} targets={targets} edges={singleEdges} onConnect={connectFromSelected} onRemove={removeEdge} />
                </>
              ) : (
                <>
                <div className="muted">{selected.length > 1 ? `${selected.length} nodes selected (Ctrl+C to copy, Delete to remove).` : 'Select a node to edit it, or drag one from the palette.'}</div>
                {selected.length === 0 ? <WorkflowSettingsPanel api={api} workflowId={workflow.id} settings={draft.settings ?? workflow.settings} onChange={updateSettings} /> : null}
                {selected.length === 0 ? <McpToolSettings settings={draft.settings ?? workflow.settings} workflowName={draft.name} endpoint={`${publicApiUrl}/api/workspaces/${encodeURIComponent(api.options.workspaceId)}/mcp`} onChange={updateSettings} /> : null}
                </>
              )
            ) : null}
            {tab === 'versions' ? <VersionsPanel api={api} workflow={workflow} flush={() => api.discardDraft(workflow.id)} onRestored={(wf) => doc.reset(wf)} /> : null}
            {tab === 'problems' ? <ProblemsList problems={problems} names={names} onSelectNode={selectOnly} /> : null}
          </fieldset>
        </aside>
        </InsertTargetContext.Provider>
      </div>
      {runNow ? <RunNowDialog api={api} workflow={workflow} hasDraft={doc.hasDraft || doc.saveState !== 'saved'} publish={() => doc.publish()} onClose={() => setRunNow(false)} /> : null}
      {publishing ? <PublishDialog live={workflow} draft={doc.body(draft)} publish={(m) => doc.publish(m)} discard={doc.discard} onClose={() => setPublishing(false)} /> : null}
      {archiving ? <ArchiveDialog api={api} workflow={workflow} flush={flush} onArchived={onArchived} onClose={closeArchive} /> : null}
    </EditorContext.Provider>
  );
}

/** The editor page body; waits for the API configuration. */
export function Editor({ workflowId }: { workflowId: string }) {
  const { api, config, allowed } = useApiContext();
  if (!api || !config) return <div className="page"><Loading label="Connecting…" /></div>;
  return (
    <ReactFlowProvider>
      <EditorInner api={api} workflowId={workflowId} publicApiUrl={config.publicApiUrl} canWrite={allowed('workflow:write')} canOperate={allowed('run:operate')} />
    </ReactFlowProvider>
  );
}
