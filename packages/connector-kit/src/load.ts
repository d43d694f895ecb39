/**
 * Loading connectors by package name — the in-repo ones (workspaces under `connectors/`) and third-party ones
 * installed from npm — the same way: `import(name)`, whose default (or `connector`) export is a `defineConnector`.
 */
import { ErrorCode, UserError } from '@outrun/schemas';
import type { Connector } from './define-connector';
import type { TriggerDefinition } from './types';

/** The connectors this repository ships (the default of `OUTRUN_CONNECTORS`). */
export const BUILTIN_CONNECTOR_PACKAGES = [
  '@outrun/connector-postgres',
  '@outrun/connector-mysql',
  '@outrun/connector-redis',
  '@outrun/connector-rabbitmq',
  '@outrun/connector-mqtt',
  '@outrun/connector-nats',
  '@outrun/connector-email',
  '@outrun/connector-slack',
  '@outrun/connector-github',
] as const;

/** `OUTRUN_CONNECTORS`: comma-separated package names; `builtin` stands for the in-repo list. @default "builtin" */
export function connectorPackageNames(value: string | undefined): string[] {
  const names = (value ?? 'builtin').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return [...new Set(names.flatMap((name) => (name === 'builtin' ? [...BUILTIN_CONNECTOR_PACKAGES] : [name])))];
}

const isConnector = (value: unknown): value is Connector =>
  value !== null && typeof value === 'object' && typeof (value as Connector).name === 'string' && typeof (value as Connector).major === 'number' && typeof (value as Connector).actions === 'object';

/** Imports each package and returns its connector; a missing package or a duplicate name fails the start. */
export async function loadConnectors(packages: readonly string[], importer: (name: string) => Promise<unknown> = (name) => import(name)): Promise<Connector[]> {
  const loaded: Connector[] = [];
  for (const name of packages) {
    let mod: { default?: unknown; connector?: unknown };
    try {
      mod = (await importer(name)) as typeof mod;
    } catch (err) {
      throw new Error(`OUTRUN_CONNECTORS: cannot load "${name}" (${(err as Error).message}); install it (npm install ${name}) or remove it from the list`, { cause: err });
    }
    const connector = isConnector(mod.default) ? mod.default : isConnector(mod.connector) ? mod.connector : undefined;
    if (!connector) throw new Error(`OUTRUN_CONNECTORS: "${name}" does not export a connector (default export of defineConnector(...))`);
    if (loaded.some((c) => c.name === connector.name)) throw new Error(`OUTRUN_CONNECTORS: two packages declare the connector "${connector.name}"`);
    loaded.push(connector);
  }
  return loaded;
}

export interface ResolvedTrigger {
  connector: Connector;
  key: string;
  trigger: TriggerDefinition;
}

/** Finds the trigger a `source` reference (`postgres.newRows@1`) names, or throws CONNECTOR_NOT_INSTALLED. */
export function resolveTrigger(connectors: readonly Connector[], source: string): ResolvedTrigger {
  const match = /^([a-z][a-z0-9-]*)\.([A-Za-z][A-Za-z0-9_-]*)@(\d+)$/.exec(source);
  const connector = match ? connectors.find((c) => c.name === match[1]) : undefined;
  const trigger = match && connector ? connector.triggers[match[2]!] : undefined;
  if (!match || !connector || !trigger) throw new UserError(ErrorCode.CONNECTOR_NOT_INSTALLED, `No installed connector provides the event source "${source}".`, 400, { details: [{ path: 'config.source', message: 'not installed' }] });
  if (connector.major !== Number(match[3])) {
    throw new UserError(ErrorCode.CONNECTOR_NOT_INSTALLED, `"${source}" pins major version ${match[3]} but ${connector.name} ${connector.version} is installed.`, 400, { details: [{ path: 'config.source', message: 'version not installed' }] });
  }
  return { connector, key: match[2]!, trigger };
}
