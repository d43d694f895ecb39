/**
 * The connectors a service loads at start (`OUTRUN_CONNECTORS`). The in-repo ones are imported by literal names, so
 * the image build (esbuild) bundles them into each service; any other name is imported from node_modules as
 * installed from npm. Every service's composition goes through here.
 */
import { connectorPackageNames, loadConnectors, type Connector } from '@outrun/connector-kit';

const BUILTIN: Record<string, () => Promise<unknown>> = {
  '@outrun/connector-postgres': () => import('@outrun/connector-postgres'),
  '@outrun/connector-mysql': () => import('@outrun/connector-mysql'),
  '@outrun/connector-redis': () => import('@outrun/connector-redis'),
  '@outrun/connector-rabbitmq': () => import('@outrun/connector-rabbitmq'),
  '@outrun/connector-mqtt': () => import('@outrun/connector-mqtt'),
  '@outrun/connector-nats': () => import('@outrun/connector-nats'),
  '@outrun/connector-email': () => import('@outrun/connector-email'),
  '@outrun/connector-slack': () => import('@outrun/connector-slack'),
  '@outrun/connector-github': () => import('@outrun/connector-github'),
};

/** Imports the connectors `value` (the `OUTRUN_CONNECTORS` setting; `builtin` = the in-repo list) names. */
export async function loadConfiguredConnectors(value: string | undefined): Promise<Connector[]> {
  return await loadConnectors(connectorPackageNames(value), (name) => BUILTIN[name]?.() ?? import(name));
}

export const builtinConnectorPackages: readonly string[] = Object.keys(BUILTIN);
