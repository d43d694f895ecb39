/** The connector catalog as the API lists it (`GET /api/connectors`, and each connector node in `GET /api/nodes`). */
import { z } from 'zod';
import type { ConnectorSummary } from '@outrun/schemas';
import { actionNodeType, credentialKey, type Connector } from './define-connector';
import { actionParams } from './to-nodes';
import type { CredentialTypeDefinition } from './types';

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

function credentialRef(connector: Connector, type: CredentialTypeDefinition | undefined): string | null {
  return type ? `${connector.name}.${credentialKey(connector, type) ?? '?'}` : null;
}

/** One connector: versions, credential types (fields, which are secret) and the node types / sources it adds. */
export function describeConnector(connector: Connector): ConnectorSummary {
  return {
    name: connector.name,
    version: connector.version,
    major: connector.major,
    label: connector.label,
    description: connector.description,
    category: connector.category,
    icon: connector.icon,
    credentials: Object.entries(connector.credentials).map(([key, type]) => ({
      type: `${connector.name}.${key}`,
      label: type.label,
      secretFields: [...type.secretFields],
      testable: type.test !== undefined,
      schema: jsonSchema(type.schema),
    })),
    actions: Object.entries(connector.actions).map(([key, action]) => ({
      nodeType: actionNodeType(connector, key),
      label: action.label,
      description: action.description,
      credential: credentialRef(connector, action.credential),
      paramsSchema: jsonSchema(actionParams(action)),
    })),
    triggers: Object.entries(connector.triggers).map(([key, trigger]) => ({
      source: actionNodeType(connector, key),
      label: trigger.label,
      description: trigger.description,
      credential: credentialRef(connector, trigger.credential),
      paramsSchema: jsonSchema(trigger.params),
    })),
  };
}
