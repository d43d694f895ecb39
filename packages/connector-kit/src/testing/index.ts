/**
 * Test helpers for connector authors: run one action like the runner would (credential from an in-memory store,
 * params parsed with the generated schema, errors classified), without a server.
 */
import type { JsonValue } from '@outrun/schemas';
import type { HttpClient, NodeServices } from '@outrun/engine';
import { runNode, type RunNodeResult } from '@outrun/nodes';
import { actionNodeType, type Connector } from '../define-connector';
import { connectorNodes } from '../to-nodes';

export interface RunActionOptions {
  params: Record<string, unknown>;
  /** The credential's data (stored under id `cred-test`, passed as `credentialId` unless params name one). */
  credential?: Record<string, JsonValue>;
  input?: JsonValue;
  http?: HttpClient;
  signal?: AbortSignal;
  attempt?: number;
  runId?: string;
}

export async function runAction(connector: Connector, action: string, options: RunActionOptions): Promise<RunNodeResult> {
  const type = actionNodeType(connector, action);
  const node = connectorNodes([connector]).find((n) => n.type === type);
  if (!node) throw new Error(`${connector.name} has no action "${action}"`);
  const services: NodeServices = {
    credentials: {
      get: async (id) => (id === 'cred-test' && options.credential ? options.credential : null),
      allowedHosts: async () => ['*'],
    },
    ...(options.http ? { http: options.http } : {}),
  };
  const params = options.credential && !('credentialId' in options.params) ? { ...options.params, credentialId: 'cred-test' } : options.params;
  return runNode(node, {
    params,
    services,
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.attempt !== undefined ? { attempt: options.attempt } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
  });
}
export { runSource, type RunningSource, type RunSourceOptions } from './run-source';
