import { ConfigError } from './env';
import type { Logger } from './logger';

/**
 * Runs a service's `main()` when its file is the process entry (`tsx src/main.ts`), not when imported.
 * A configuration error prints one line per invalid variable (no stack); anything else prints the stack. Exit 1.
 */
export function runAsMain(service: string, importMetaUrl: string, main: () => Promise<void>): void {
  if (importMetaUrl !== `file://${process.argv[1]}`) return;
  main().catch((err: unknown) => {
    const text = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`${service} failed to start: ${text}\n`);
    process.exit(1);
  });
}

/**
 * SIGTERM/SIGINT → `stop(signal)` once, then exit 0 (1 when stopping failed). A second signal while stopping is
 * ignored: `stop` owns the grace period.
 */
export function stopOnSignals(logger: Logger, stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    stop(signal).then(
      () => {
        logger.info('bye');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'failed to stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => handle('SIGTERM'));
  process.once('SIGINT', () => handle('SIGINT'));
}
