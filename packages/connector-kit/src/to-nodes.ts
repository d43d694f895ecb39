/**
 * A connector's actions as engine node definitions (`postgres.query@1`): the params schema gains `credentialId`
 * (the editor's credential picker), and `execute` gives the action the kit's runtime services.
 */
import { z } from 'zod';
import { ErrorCode, UnexpectedError } from '@outrun/schemas';
import { systemClock, type HttpClient, type NodeDefinition } from '@outrun/engine';
import { actionNodeType, credentialKey, type Connector } from './define-connector';
import { loadCredential } from './credential';
import { CredentialRateLimits } from './rate-limit';
import { redactingLogger, secretValues } from './redact';
import { classifyError } from './retry';
import { checkCredentialHosts, type NetworkGuard } from './network-guard';
import type { ActionDefinition } from './types';

const noHttp: HttpClient = {
  request: () => Promise.reject(new UnexpectedError(ErrorCode.INTERNAL, 'No HTTP client in ctx.services.http (the runner must provide one)')),
};

/** Params of an action as the node sees them: the action's own plus `credentialId` when it needs one. */
export function actionParams(action: ActionDefinition): z.ZodObject {
  const params = action.params as z.ZodObject;
  return action.credential ? params.extend({ credentialId: z.string().max(200).default('').describe('The credential this step uses (types generic)') }) : params;
}

function actionNode(connector: Connector, key: string, action: ActionDefinition, limits: CredentialRateLimits, guard: NetworkGuard | undefined): NodeDefinition {
  const credentialType = action.credential;
  const type = actionNodeType(connector, key);
  const definition: NodeDefinition = {
    type,
    label: `${connector.label}: ${action.label}`,
    description: action.description,
    category: 'data',
    icon: action.icon ?? connector.icon,
    params: actionParams(action),
    inputs: [{ id: 'in' }],
    outputs: [{ id: 'out' }],
    connector: {
      name: connector.name,
      version: connector.version,
      label: connector.label,
      category: connector.category,
      credential: credentialType
        ? { type: `${connector.name}.${credentialKey(connector, credentialType) ?? '?'}`, label: credentialType.label, fields: Object.keys((credentialType.schema as z.ZodObject).shape), secretFields: [...credentialType.secretFields] }
        : null,
    },
    async execute(ctx) {
      const { credentialId, ...params } = ctx.params as Record<string, unknown> & { credentialId?: string };
      let credential: unknown;
      let secrets: string[] = [];
      if (credentialType) {
        credential = await loadCredential(ctx.services, credentialId, credentialType, type);
        secrets = secretValues(credential, credentialType.secretFields);
        await checkCredentialHosts(credentialType, credential, guard);
      }
      const limiter = limits.limiter(`${ctx.workspaceId}/${credentialId ?? ''}`, credentialType?.rateLimit);
      await limiter.take(ctx.signal);
      try {
        const output = await action.run({
          params,
          credential,
          input: ctx.input,
          signal: ctx.signal,
          log: redactingLogger(ctx.log, secrets),
          idempotencyKey: ctx.idempotencyKey,
          http: ctx.services.http ?? noHttp,
          rateLimit: (signal) => limiter.take(signal ?? ctx.signal),
          runId: ctx.runId,
          workspaceId: ctx.workspaceId,
        });
        return { output };
      } catch (err) {
        throw classifyError(err, secrets, type);
      }
    },
  };
  return definition;
}

/**
 * Every action of every connector as node definitions (pass them to `createNodeCatalog`). `networkGuard`: the
 * outbound policy for the hosts credentials name (services pass one; without it nothing is checked).
 */
export function connectorNodes(connectors: readonly Connector[], clock = systemClock, options: { networkGuard?: NetworkGuard } = {}): NodeDefinition[] {
  const limits = new CredentialRateLimits(clock);
  return connectors.flatMap((connector) => Object.entries(connector.actions).map(([key, action]) => actionNode(connector, key, action, limits, options.networkGuard)));
}
