'use client';
/**
 * The editor's document state: the canvas graph, triggers and name; undo/redo history; the debounced autosave of
 * the **draft** (`PUT …/draft`: never live, never a version) and **publish** (`POST …/publish` with the live version
 * the draft was edited from, so a concurrent publish elsewhere is a visible conflict, not a silent loss).
 * Pending edits are saved when the editor is left (route change, tab hidden) and a tab close with unsaved edits
 * asks first. An archived workflow is read-only: the gateway refuses to save it (409), so edits are not even made.
 */
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { TriggerInput, Workflow, WorkflowDraft, WorkflowInputRaw } from '@outrun/schemas';
import { ApiError, type Api } from '../../lib/api';
import { resolveProblems, type Problem } from './resolve-problems';

export { resolveProblems, type Problem };
import { fromCanvasEdge, fromCanvasNode, toCanvasEdge, toCanvasNode, type CanvasEdge, type CanvasNode } from './graph-model';

export interface Draft {
  name: string;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  triggers: TriggerInput[];
  /** Workflow settings edited in the editor (MCP exposure, input schema); the rest are kept as they are. */
  settings?: Workflow['settings'];
}

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'error' | 'conflict';


const AUTOSAVE_MS = 800;
const HISTORY_LIMIT = 100;

/** The gateway answers 409 to any save of an archived workflow. */
const isReadOnly = (wf: Workflow | null): boolean => wf?.status === 'archived';

function draftOf(wf: Pick<Workflow, 'name' | 'nodes' | 'edges' | 'triggers' | 'settings'>): Draft {
  return { name: wf.name, nodes: wf.nodes.map(toCanvasNode), edges: wf.edges.map(toCanvasEdge), triggers: wf.triggers as TriggerInput[], settings: wf.settings };
}

/** `canEdit` false (a viewer or operator): the draft opens read-only like an archived workflow (the API refuses edits anyway). */
export function useWorkflowDraft(api: Api | null, workflowId: string, canEdit = true) {
  const canEditRef = useRef(canEdit);
  canEditRef.current = canEdit;
  const locked = (wf: Workflow | null): boolean => isReadOnly(wf) || !canEditRef.current;
  const [workflow, setWorkflow] = useState<Workflow | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<unknown>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [dirtyTick, setDirtyTick] = useState(0);
  /** A draft is stored on the server (unpublished changes), and the live version it was edited from. */
  const [hasDraft, setHasDraft] = useState(false);
  /** Counts stored draft saves (what depends on the stored draft reads again). */
  const [saveCount, setSaveCount] = useState(0);
  const baseVersion = useRef(1);
  const draftRef = useRef<Draft | null>(null);
  const workflowRef = useRef<Workflow | null>(null);
  const past = useRef<Draft[]>([]);
  const future = useRef<Draft[]>([]);
  const saving = useRef<Promise<void> | null>(null);
  const pending = useRef(false);
  const lastCoalesce = useRef<{ key: string; at: number } | null>(null);
  draftRef.current = draft;
  workflowRef.current = workflow;

  const reset = useCallback((wf: Workflow, stored: WorkflowDraft | null = null) => {
    // Keep the selection across a reload (after a secret rotation or a restore) so the open panel stays open.
    const selected = new Set((draftRef.current?.nodes ?? []).filter((n) => n.selected).map((n) => n.id));
    const next = draftOf(stored ?? wf);
    baseVersion.current = stored?.baseVersion ?? wf.version;
    setHasDraft(stored !== null);
    next.nodes = next.nodes.map((n) => (selected.has(n.id) ? { ...n, selected: true } : n));
    workflowRef.current = wf;
    draftRef.current = next;
    setWorkflow(wf);
    setDraft(next);
    past.current = [];
    future.current = [];
    pending.current = false;
    setSaveState('saved');
    setSaveError(null);
  }, []);

  const reload = useCallback(async () => {
    if (!api) return;
    try {
      const [wf, stored] = await Promise.all([api.getWorkflow(workflowId), api.getDraft(workflowId)]);
      reset(wf, stored);
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [api, workflowId, reset]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const body = useCallback((d: Draft): WorkflowInputRaw => {
    const wf = workflowRef.current;
    const out: WorkflowInputRaw = { name: d.name.trim() || 'Untitled workflow', nodes: d.nodes.map(fromCanvasNode), edges: d.edges.map(fromCanvasEdge), triggers: d.triggers };
    if (wf) {
      out.settings = d.settings ?? wf.settings;
      if (wf.description !== undefined) out.description = wf.description;
      if (wf.tags !== undefined) out.tags = wf.tags;
    }
    return out;
  }, []);

  const saveOnce = useCallback(async () => {
    const d = draftRef.current;
    const wf = workflowRef.current;
    if (!api || !d || !wf) return;
    pending.current = false;
    if (locked(wf)) return;
    setSaveState('saving');
    const input = body(d);
    try {
      await api.saveDraft(wf.id, input, baseVersion.current);
      setHasDraft(true);
      setSaveCount((n) => n + 1);
      setSaveError(null);
      setSaveState(pending.current ? 'unsaved' : 'saved');
    } catch (e) {
      setSaveError(e);
      // Transient (rate limited, gateway briefly down, network): keep the edits and try again shortly.
      if (e instanceof ApiError && (e.status === 429 || e.status === 503 || e.status === 0)) {
        pending.current = true;
        const delay = Math.min((e.retryAfterSeconds ?? 2) * 1000, 10_000);
        setTimeout(() => setDirtyTick((t) => t + 1), delay);
      }
      if (e instanceof ApiError && e.status === 409 && e.code === 'OUT_ERR_VERSION_CONFLICT') setSaveState('conflict');
      else {
        setSaveState('error');
        if (e instanceof ApiError && e.details.length > 0) setProblems(resolveProblems(e.details, input as never));
      }
      throw e;
    }
  }, [api, body]);

  /** Saves now (waits for an in-flight save first). Rejects with the API error. */
  const saveNow = useCallback(async (): Promise<void> => {
    while (saving.current) await saving.current.catch(() => undefined);
    if (saveStateRef.current === 'saved' && !pending.current) return;
    const p = saveOnce();
    // The tracker never rejects (the caller of this save gets the error), so no rejection goes unhandled.
    saving.current = p.then(
      () => undefined,
      () => undefined,
    ).finally(() => {
      saving.current = null;
    });
    await p;
  }, [saveOnce]);
  const saveStateRef = useRef(saveState);
  saveStateRef.current = saveState;

  /** Saves pending edits, then makes the draft the live version. Rejects with the API error (409: live moved on). */
  const publish = useCallback(async (message?: string): Promise<Workflow> => {
    const wf = workflowRef.current;
    if (!api || !wf) throw new Error('not loaded');
    await saveNow();
    try {
      const live = await api.publish(wf.id, { ...(message ? { message } : {}), expectedVersion: baseVersion.current });
      workflowRef.current = live;
      baseVersion.current = live.version;
      setWorkflow(live);
      setHasDraft(false);
      return live;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'OUT_ERR_VERSION_CONFLICT') setSaveState('conflict');
      throw e;
    }
  }, [api, saveNow]);

  /** Drops the draft and shows the live version again. */
  const discard = useCallback(async () => {
    const wf = workflowRef.current;
    if (!api || !wf) return;
    pending.current = false;
    await api.discardDraft(wf.id);
    reset(await api.getWorkflow(wf.id), null);
  }, [api, reset]);

  // Save on leave: a route change unmounts the editor (the 800 ms timer would be dropped with it), a hidden tab may
  // never come back, and closing the tab with edits not yet stored asks first.
  useEffect(() => {
    const flushIfPending = () => {
      if (pending.current || saving.current) saveNow().catch(() => undefined);
    };
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!pending.current && !saving.current) return;
      flushIfPending();
      e.preventDefault();
      e.returnValue = '';
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden') flushIfPending();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('visibilitychange', onHidden);
      flushIfPending();
    };
  }, [saveNow]);

  useEffect(() => {
    if (dirtyTick === 0) return;
    const t = setTimeout(() => {
      if (saveStateRef.current !== 'conflict') saveNow().catch(() => undefined);
    }, AUTOSAVE_MS);
    return () => clearTimeout(t);
  }, [dirtyTick, saveNow]);

  /**
   * Applies an edit. `coalesce` merges rapid edits of one thing (typing in a field) into one undo step.
   */
  const commit = useCallback((mutate: (d: Draft) => Draft, coalesce?: string) => {
    const d = draftRef.current;
    if (!d || locked(workflowRef.current)) return;
    const now = Date.now();
    const merge = coalesce !== undefined && lastCoalesce.current?.key === coalesce && now - lastCoalesce.current.at < 1500;
    if (!merge) {
      past.current.push(d);
      if (past.current.length > HISTORY_LIMIT) past.current.shift();
    }
    lastCoalesce.current = coalesce === undefined ? null : { key: coalesce, at: now };
    future.current = [];
    const next = mutate(d);
    draftRef.current = next;
    setDraft(next);
    pending.current = true;
    setSaveState((s) => (s === 'conflict' ? s : 'unsaved'));
    setDirtyTick((t) => t + 1);
  }, []);

  const travel = useCallback((from: RefObject<Draft[]>, to: RefObject<Draft[]>) => {
    const d = draftRef.current;
    if (!d || locked(workflowRef.current)) return;
    const target = from.current.pop();
    if (!target) return;
    to.current.push(d);
    draftRef.current = target;
    setDraft(target);
    pending.current = true;
    setSaveState('unsaved');
    setDirtyTick((t) => t + 1);
  }, []);
  const undo = useCallback(() => travel(past, future), [travel]);
  const redo = useCallback(() => travel(future, past), [travel]);

  /** React Flow changes: selection/dimension changes are view state; moves and removals are edits. */
  const onNodesChange = useCallback(
    (all: NodeChange<CanvasNode>[]) => {
      const d = draftRef.current;
      if (!d) return;
      const changes = locked(workflowRef.current) ? all.filter((c) => c.type === 'select' || c.type === 'dimensions') : all;
      const removed = new Set(changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
      const edit = changes.some((c) => c.type === 'remove' || (c.type === 'position' && c.dragging === false));
      if (removed.size > 0) {
        commit((cur) => {
          const gone = cur.nodes.filter((n) => removed.has(n.id));
          const goneTriggers = new Set(gone.flatMap((n) => (typeof n.data.params.triggerId === 'string' ? [n.data.params.triggerId] : [])));
          return {
            ...cur,
            nodes: applyNodeChanges(changes, cur.nodes),
            edges: cur.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)),
            triggers: cur.triggers.filter((t) => !goneTriggers.has(t.id)),
          };
        });
        return;
      }
      const next = { ...d, nodes: applyNodeChanges(changes, d.nodes) };
      draftRef.current = next;
      setDraft(next);
      if (edit) {
        pending.current = true;
        setSaveState('unsaved');
        setDirtyTick((t) => t + 1);
      }
    },
    [commit],
  );

  /** Called at drag start so a whole drag is one undo step. */
  const markHistory = useCallback(() => {
    const d = draftRef.current;
    if (!d || locked(workflowRef.current)) return;
    past.current.push(d);
    future.current = [];
  }, []);

  const onEdgesChange = useCallback(
    (all: EdgeChange<CanvasEdge>[]) => {
      const d = draftRef.current;
      if (!d) return;
      const changes = locked(workflowRef.current) ? all.filter((c) => c.type === 'select') : all;
      if (changes.some((c) => c.type === 'remove')) commit((cur) => ({ ...cur, edges: applyEdgeChanges(changes, cur.edges) }));
      else {
        const next = { ...d, edges: applyEdgeChanges(changes, d.edges) };
        draftRef.current = next;
        setDraft(next);
      }
    },
    [commit],
  );

  return {
    workflow, setWorkflow: (wf: Workflow) => { workflowRef.current = wf; setWorkflow(wf); },
    draft, loadError, reload, reset, saveState, saveError, problems, setProblems, readOnly: locked(workflow),
    commit, undo, redo, canUndo: past.current.length > 0 && !locked(workflow), canRedo: future.current.length > 0 && !locked(workflow),
    onNodesChange, onEdgesChange, markHistory, saveNow, body, draftRef,
    hasDraft, publish, discard, saveCount,
  };
}
