import type { Logger } from './logger';

/** True for the wildcard addresses that accept connections on every interface. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

/**
 * Says loudly when a service listens on every interface: its webhooks, health and (token-less) metrics then face the
 * whole network, which a container network wants and a laptop does not.
 */
export function warnIfWildcard(logger: Logger, service: string, host: string, envVar: string): void {
  if (!isWildcardHost(host)) return;
  logger.warn(
    { host, envVar },
    `${service} listens on ALL interfaces (${host || 'unspecified'}): anything that can reach this machine can reach it. Set ${envVar}=127.0.0.1 unless other hosts or containers must connect, and keep a firewall or private network in front of it.`,
  );
}
