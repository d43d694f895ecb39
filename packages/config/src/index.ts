/**
 * @outrun/config — environment parsing with zod (the one place that reads `process.env`),
 * the pino logger factory and the Prometheus registry factory shared by every service.
 */
export * from './env';
export * from './limits';
export * from './logger';
export * from './metrics';
export * from './metrics-access';
export * from './bind-host';
export * from './process';
export * from './token-buckets';
