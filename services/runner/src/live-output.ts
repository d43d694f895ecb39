/**
 * Live output of running AI steps, coalesced before it reaches the bus: a node writes every text delta it
 * receives, and at most one `output` event per step attempt leaves every `intervalMs` (tool calls and the
 * end flush at once). A chatty model therefore costs the bus ~1/intervalMs events per step, whatever its
 * token rate. Events go to the run's channel only (the dashboard's workspace stream does not need them).
 */
import type { Logger } from '@outrun/config';
import { runChannel, type EventBus } from '@outrun/queue';
import type { LiveToolCall, Run, RunEvent } from '@outrun/schemas';

/** What a node gets from `ctx.services.liveOutput.open(nodeId, attempt)`. */
export interface LiveOutputWriter {
  write(text: string): void;
  toolCall(call: LiveToolCall): void;
  /** Flushes what is buffered; later writes are ignored. */
  end(): void;
}

export interface LiveOutput {
  open(nodeId: string, attempt: number): LiveOutputWriter;
}

export interface LiveOutputOptions {
  /** Minimum gap between two events of one step attempt (ms). @default 100 */
  intervalMs?: number;
  /** Buffered text that is sent at once, whatever the gap (keeps each event small). @default 16384 */
  maxChars?: number;
}

export function createLiveOutput(
  events: EventBus,
  logger: Logger,
  run: Pick<Run, 'id' | 'workspaceId' | 'workflowId'>,
  options: LiveOutputOptions = {},
): LiveOutput {
  const intervalMs = options.intervalMs ?? 100;
  const maxChars = options.maxChars ?? 16_384;
  return {
    open(nodeId, attempt) {
      let seq = 0;
      let text = '';
      let calls: LiveToolCall[] = [];
      let timer: NodeJS.Timeout | undefined;
      let lastAt = 0;
      let ended = false;
      const flush = () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        if (text === '' && calls.length === 0) return;
        const event: RunEvent = {
          type: 'output', workspaceId: run.workspaceId, workflowId: run.workflowId, runId: run.id, nodeId, attempt,
          seq: seq++, text, ...(calls.length > 0 ? { toolCalls: calls } : {}), at: new Date().toISOString(),
        };
        text = '';
        calls = [];
        lastAt = Date.now();
        // Best effort, like every live event: a slow or down bus never holds the step back.
        events.publish(runChannel(run.id), event).catch((err: unknown) => logger.debug({ err, runId: run.id }, 'live output not published'));
      };
      const schedule = () => {
        if (timer) return;
        const wait = Math.max(0, lastAt + intervalMs - Date.now());
        timer = setTimeout(flush, wait);
        timer.unref();
      };
      return {
        write(delta) {
          if (ended || delta === '') return;
          text += delta;
          if (text.length >= maxChars) flush();
          else schedule();
        },
        toolCall(call) {
          if (ended) return;
          calls.push(call);
          flush();
        },
        end() {
          if (ended) return;
          flush();
          ended = true;
        },
      };
    },
  };
}
