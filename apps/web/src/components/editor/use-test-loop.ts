'use client';
/**
 * The editor's test loop (docs/editor.md): the run drawn on the canvas (the last run, or the one picked), test runs
 * of the draft, "execute this step", and listening for a test event (a one-shot test URL polled until its delivery
 * started a test run). Every action saves the draft first, so a test runs what is on screen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JsonValue, Run, RunSummary } from '@outrun/schemas';
import type { Api } from '../../lib/api';
import type { TestListening } from '@outrun/client';

const POLL_MS = 600;
// Types only from @outrun/schemas: a value import would pull zod and every schema into the editor's bundle.
const isFinished = (status: Run['status']) => status === 'completed' || status === 'failed' || status === 'cancelled';

/** A one-shot test URL (`POST …/test-events`). */
export type Listening = TestListening;

export interface TestLoop {
  /** The run drawn on the canvas and shown in the node panel. */
  run: Run | null;
  recent: RunSummary[];
  listening: Listening | null;
  busy: boolean;
  error: unknown;
  select: (runId: string) => void;
  testWorkflow: (payload?: JsonValue) => Promise<void>;
  executeStep: (nodeId: string) => Promise<void>;
  listen: (triggerId?: string) => Promise<void>;
  stopListening: () => void;
}

export function useTestLoop(api: Api, workflowId: string, flush: () => Promise<unknown>, publicApiUrl: string): TestLoop {
  const [run, setRun] = useState<Run | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [recent, setRecent] = useState<RunSummary[]>([]);
  const [listening, setListening] = useState<Listening | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const runRef = useRef(run);
  runRef.current = run;

  const refreshRecent = useCallback(async () => {
    const page = await api.listRuns({ workflowId, limit: 15 });
    setRecent(page.items);
    return page.items;
  }, [api, workflowId]);

  // Open on the last run, if any.
  useEffect(() => {
    let live = true;
    void refreshRecent().then((items) => { if (live && items[0]) setSelectedId((s) => s ?? items[0]!.id); }, () => undefined);
    return () => { live = false; };
  }, [refreshRecent]);

  // Load the selected run, and follow it until it finishes.
  useEffect(() => {
    if (!selectedId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const r = await api.getRun(selectedId);
        if (!live) return;
        setRun(r);
        if (!isFinished(r.status)) timer = setTimeout(() => void load(), POLL_MS);
        else void refreshRecent().catch(() => undefined);
      } catch (e) {
        if (live) setError(e);
      }
    };
    void load();
    return () => { live = false; if (timer) clearTimeout(timer); };
  }, [api, selectedId, refreshRecent]);

  // While listening: poll the test URL's state until its delivery started a run.
  useEffect(() => {
    if (!listening) return;
    let live = true;
    const timer = setInterval(() => {
      void api.getTestEvent(workflowId, listening.token).then((state) => {
        if (!live || state.status !== 'received' || !state.runId) return;
        setListening(null);
        setSelectedId(state.runId);
      }, (e: unknown) => { if (live) { setListening(null); setError(e); } });
    }, POLL_MS);
    return () => { live = false; clearInterval(timer); };
  }, [api, workflowId, listening]);

  const act = useCallback(async (start: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    try {
      await flush();
      const runId = await start();
      if (runId) setSelectedId(runId);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, [flush]);

  const testWorkflow = useCallback((payload?: JsonValue) => act(async () => (await api.startTestRun(workflowId, payload === undefined ? {} : { payload })).runId), [act, api, workflowId]);
  const executeStep = useCallback((nodeId: string) => act(async () => {
    const from = runRef.current;
    return (await api.startTestRun(workflowId, { step: nodeId, ...(from ? { fromRunId: from.id } : {}) })).runId;
  }), [act, api, workflowId]);
  const listen = useCallback((triggerId?: string) => act(async () => {
    const l = await api.listenForTestEvent(workflowId, triggerId);
    // The API answers a path when it does not know its public URL: the editor does.
    setListening({ ...l, url: l.url.startsWith('/') ? `${publicApiUrl.replace(/\/+$/, '')}${l.url}` : l.url });
    return null;
  }), [act, api, workflowId, publicApiUrl]);
  const stopListening = useCallback(() => setListening(null), []);
  const select = useCallback((runId: string) => setSelectedId(runId), []);

  return { run, recent, listening, busy, error, select, testWorkflow, executeStep, listen, stopListening };
}
