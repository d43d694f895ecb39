/**
 * Live views over Server-Sent Events. One run: a `snapshot` event (the run document), then `step` and
 * `status` events in bus order until a terminal status, then the stream ends. Whole workspace: every run's
 * events, until the client leaves. Heartbeat comments keep proxies from closing idle streams.
 */
import type { Request, Response } from 'express';
import { isTerminalRunStatus, type ApiKeyInfo, type RunEvent } from '@outrun/schemas';
import { runChannel, runEventBus, statusEvent, workspaceChannel } from '@outrun/queue';
import { notFound } from '../http/errors';
import { openSse, type SseStream } from '../http/sse';
import { defineRoute, type Route } from '../http/route';
import type { ResolvedDeps } from '../deps';
import { RunParams, WsParams, withErrors } from './common';

const sseResponse = { 200: { description: 'text/event-stream of `snapshot`, `step` and `status` events', contentType: 'text/event-stream' } };
const streamQuota = { 429: { description: 'Rate limited, or too many open streams for the key or workspace (`OUT_ERR_QUOTA_STREAMS`)' } };

/** Takes a stream slot of the key and its workspace (429 QUOTA_STREAMS when none is free), released when the stream ends. */
function openLimitedSse(deps: ResolvedDeps, ctx: { req: Request; res: Response; apiKey: ApiKeyInfo | null }, workspaceId: string, onHeartbeat?: () => void): SseStream {
  const release = deps.streams.acquire(ctx.apiKey?.id ?? 'anonymous', workspaceId, deps.limits.forWorkspace(workspaceId));
  try {
    const stream = openSse(ctx.req, ctx.res, deps.sseHeartbeatMs, onHeartbeat);
    stream.onClose(release);
    return stream;
  } catch (error) {
    release();
    throw error;
  }
}

/** Subscribes for the stream's lifetime; the listener receives parsed run events only. */
async function subscribe(deps: ResolvedDeps, stream: SseStream, channel: string, listener: (event: RunEvent) => void): Promise<void> {
  const unsubscribe = await runEventBus(deps.events).subscribe(channel, listener);
  stream.onClose(() => {
    unsubscribe().catch(() => undefined);
  });
}

export function eventRoutes(deps: ResolvedDeps): Route[] {
  const { runs } = deps.store;
  return [
    defineRoute({
      method: 'get', path: '/api/workspaces/:ws/runs/:runId/events', summary: 'SSE of one run: snapshot, then step/status events until terminal',
      tag: 'runs', auth: 'workspace', permission: 'run:read', params: RunParams,
      responses: withErrors(sseResponse, streamQuota),
      async handle({ params, req, res, apiKey }) {
        if (!(await runs.getRun(params.ws, params.runId))) throw notFound('Run');
        let terminalSent = false;
        const sendStatus = (event: RunEvent) => {
          stream.send(event.type, event);
          if (event.type === 'status' && isTerminalRunStatus(event.status)) {
            terminalSent = true;
            stream.close();
          }
        };
        // A missed bus message must not leave the client hanging: each heartbeat re-reads the run.
        const recheck = () => {
          runs.getRun(params.ws, params.runId).then((run) => {
            if (run && !terminalSent && isTerminalRunStatus(run.status)) {
              sendStatus(statusEvent(run, run.status, run.finishedAt ?? new Date(deps.clock.now()).toISOString()));
            }
          }).catch(() => undefined);
        };
        const stream = openLimitedSse(deps, { req, res, apiKey }, params.ws, recheck);
        // Subscribe before the snapshot so nothing between the read and the subscription is lost.
        const buffered: RunEvent[] = [];
        let live = false;
        await subscribe(deps, stream, runChannel(params.runId), (event) => {
          if (event.workspaceId !== params.ws) return;
          if (live) sendStatus(event);
          else buffered.push(event);
        });
        const run = await runs.getRun(params.ws, params.runId);
        if (!run) return stream.close();
        stream.send('snapshot', run);
        if (isTerminalRunStatus(run.status)) {
          return sendStatus(statusEvent(run, run.status, run.finishedAt ?? run.queuedAt));
        }
        live = true;
        for (const event of buffered.splice(0)) if (!stream.closed) sendStatus(event);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/workspaces/:ws/events', summary: 'SSE of every run of the workspace (dashboard)', tag: 'runs', auth: 'workspace', permission: 'run:read',
      params: WsParams,
      responses: withErrors(sseResponse, streamQuota),
      async handle({ params, req, res, apiKey }) {
        const stream = openLimitedSse(deps, { req, res, apiKey }, params.ws);
        await subscribe(deps, stream, workspaceChannel(params.ws), (event) => {
          if (event.workspaceId === params.ws) stream.send(event.type, event);
        });
      },
    }),
  ];
}
