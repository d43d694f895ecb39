/**
 * `defineConnector`: the one entry point of a connector package. Checks the declaration once, at load, so a
 * malformed connector fails the process start with a clear message instead of a run later.
 */
import { z } from 'zod';
import type { ActionDefinition, ConnectorDefinition, CredentialTypeDefinition, TriggerDefinition } from './types';

const NAME = /^[a-z][a-z0-9-]{0,39}$/;
const KEY = /^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/;

/** A connector as loaded: the declaration plus its pinned major. */
export interface Connector extends ConnectorDefinition {
  readonly major: number;
}

/**
 * Keeps an action's param and credential types inside its own definition (so `run` sees typed params and
 * credential) and hands back the erased definition the connector stores.
 */
export function defineAction<S extends z.ZodObject, CS extends z.ZodType = z.ZodNever>(action: ActionDefinition<S, CS>): ActionDefinition {
  return action as unknown as ActionDefinition;
}

/** The same for triggers (event sources). */
export function defineTrigger<S extends z.ZodObject, CS extends z.ZodType = z.ZodNever>(trigger: TriggerDefinition<S, CS>): TriggerDefinition {
  return trigger as unknown as TriggerDefinition;
}

/** The same for credential types. */
export function defineCredential<S extends z.ZodObject>(credential: CredentialTypeDefinition<S>): CredentialTypeDefinition<S> {
  return credential;
}

/** Validates and freezes a connector declaration. */
export function defineConnector(definition: Omit<ConnectorDefinition, 'triggers' | 'credentials'> & Partial<Pick<ConnectorDefinition, 'triggers' | 'credentials'>>): Connector {
  const full: ConnectorDefinition = { ...definition, credentials: definition.credentials ?? {}, triggers: definition.triggers ?? {} };
  const where = `connector "${full.name}"`;
  if (!NAME.test(full.name)) throw new Error(`${where}: name must match ${NAME}`);
  const version = SEMVER.exec(full.version);
  if (!version) throw new Error(`${where}: version "${full.version}" is not semver (x.y.z)`);
  for (const [kind, entries] of [['action', full.actions], ['trigger', full.triggers]] as const) {
    for (const [key, entry] of Object.entries(entries)) {
      if (!KEY.test(key)) throw new Error(`${where}: ${kind} key "${key}" must match ${KEY}`);
      if (!(entry.params instanceof z.ZodObject)) throw new Error(`${where}: ${kind} "${key}" params must be a z.object`);
      if ('credentialId' in entry.params.shape) throw new Error(`${where}: ${kind} "${key}" must not declare credentialId (the kit adds it)`);
      if (entry.credential !== undefined && credentialKey(full, entry.credential) === undefined) {
        throw new Error(`${where}: ${kind} "${key}" needs a credential type the connector does not list in \`credentials\``);
      }
    }
  }
  for (const [key, credential] of Object.entries(full.credentials)) {
    if (!(credential.schema instanceof z.ZodObject)) throw new Error(`${where}: credential "${key}" schema must be a z.object`);
    for (const field of credential.secretFields) {
      if (!(field in credential.schema.shape)) throw new Error(`${where}: credential "${key}" secret field "${field}" is not in its schema`);
    }
  }
  return Object.freeze({ ...full, major: Number(version[1]) });
}

/** `postgres.query@1`: the node type a workflow saves, pinning the connector's major version. */
export const actionNodeType = (connector: Pick<Connector, 'name' | 'major'>, action: string): string => `${connector.name}.${action}@${connector.major}`;

/** `postgres.newRows@1`: the `source` a trigger of type `event_source` names. */
export const triggerSourceName = actionNodeType;

/** Splits `name.key@major`; undefined when the string is not shaped so. */
export function parseConnectorRef(ref: string): { name: string; key: string; major: number } | undefined {
  const match = /^([a-z][a-z0-9-]{0,39})\.([a-zA-Z][a-zA-Z0-9_-]{0,39})@(\d+)$/.exec(ref);
  return match ? { name: match[1]!, key: match[2]!, major: Number(match[3]) } : undefined;
}

/** The key under which a connector lists a credential type (matched by identity). */
export function credentialKey(connector: Pick<ConnectorDefinition, 'credentials'>, type: CredentialTypeDefinition): string | undefined {
  return Object.entries(connector.credentials).find(([, candidate]) => candidate === type)?.[0];
}
