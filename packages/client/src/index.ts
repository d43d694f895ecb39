/**
 * @outrun/client — the typed WorkflowAPI client of the Outrun gateway, used by the web app, scripts and
 * end-to-end tests. Fetch-based and browser-safe; errors are {@link OutrunApiError} with the stable code.
 */
export { createWorkflowApi, type WorkflowApi, type WorkflowApiOptions } from './create-workflow-api';
export { OutrunApiError } from './errors';
export { readEventStream, type SseMessage, type StreamOptions } from './sse';
export type * from './types';
