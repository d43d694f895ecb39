'use client';
/**
 * Live output of running AI steps: the run's SSE stream sends `output` events (text since the previous event of
 * the same step attempt, tool calls), coalesced by the runner; this keeps them per step attempt in `seq` order
 * and shows the text growing. The recorded step replaces it once the step finishes.
 */
import { useCallback, useState } from 'react';

export interface LiveToolCall {
  callId: string;
  name: string;
  status: 'called' | 'returned';
}

export interface LiveStepOutput {
  nodeId: string;
  attempt: number;
  text: string;
  toolCalls: LiveToolCall[];
  /** Next `seq` expected (an event out of order or repeated after a reconnect is dropped). */
  nextSeq: number;
  /** The page joined the stream after its start: the text shown begins mid-way. */
  partial: boolean;
}

interface OutputEvent {
  nodeId: string;
  attempt: number;
  seq: number;
  text: string;
  toolCalls?: LiveToolCall[];
}

const isOutputEvent = (d: unknown): d is OutputEvent => {
  const e = d as Partial<OutputEvent> | null;
  return typeof e?.nodeId === 'string' && typeof e.attempt === 'number' && typeof e.seq === 'number' && typeof e.text === 'string';
};

/** Live output per `nodeId#attempt`, and the handler for `output` events. */
export function useLiveOutput(): { outputs: LiveStepOutput[]; onOutput: (data: unknown) => void } {
  const [byStep, setByStep] = useState<Record<string, LiveStepOutput>>({});
  const onOutput = useCallback((data: unknown) => {
    if (!isOutputEvent(data)) return;
    const key = `${data.nodeId}#${data.attempt}`;
    setByStep((prev) => {
      // A page opened mid-stream starts from the first event it sees (marked partial), then follows in order.
      const current = prev[key] ?? { nodeId: data.nodeId, attempt: data.attempt, text: '', toolCalls: [], nextSeq: data.seq, partial: data.seq > 0 };
      if (data.seq !== current.nextSeq) return prev;
      return { ...prev, [key]: { ...current, text: current.text + data.text, toolCalls: [...current.toolCalls, ...(data.toolCalls ?? [])], nextSeq: data.seq + 1 } };
    });
  }, []);
  return { outputs: Object.values(byStep), onOutput };
}

export function LiveOutputPanel({ outputs, running }: { outputs: LiveStepOutput[]; running: ReadonlySet<string> }) {
  const shown = outputs.filter((o) => running.has(`${o.nodeId}#${o.attempt}`));
  if (shown.length === 0) return null;
  return (
    <section className="card stack" aria-label="Live AI output" data-testid="live-output">
      <h2>Live AI output <span className="muted" role="status"><span className="spinner" aria-hidden="true" /> streaming</span></h2>
      {shown.map((o) => (
        <div key={`${o.nodeId}#${o.attempt}`} className="stack" style={{ gap: 4 }}>
          <div className="muted">{o.nodeId} · attempt {o.attempt}</div>
          {o.toolCalls.length > 0 ? (
            <ul className="muted" style={{ margin: 0 }}>
              {o.toolCalls.map((t, i) => <li key={`${t.callId}-${t.status}-${i}`}>tool <code>{t.name}</code> {t.status === 'called' ? 'called…' : 'returned'}</li>)}
            </ul>
          ) : null}
          <pre className="mono" data-testid="live-output-text" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{o.partial ? '…' : ''}{o.text}<span aria-hidden="true">▍</span></pre>
        </div>
      ))}
    </section>
  );
}
