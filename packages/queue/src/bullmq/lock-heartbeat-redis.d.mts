/** Types of `lock-heartbeat-redis.mjs` (the heartbeat thread's RESP client; plain ESM so the thread needs no TS loader). */
export interface RedisTarget {
  host: string;
  port: number;
  path?: string;
  username?: string;
  password?: string;
  db: number;
  tls?: object;
}
export interface ScriptCall {
  keys: string[];
  args: Array<string | number>;
}
export interface ScriptClient {
  /** The script once per call, pipelined; each reply, or an Error for a call the server refused. */
  runAll(calls: ScriptCall[], timeoutMs?: number): Promise<unknown[]>;
  close(): Promise<void>;
}
export function redisTarget(connection: string | Record<string, unknown>): RedisTarget | null;
export function createScriptClient(target: RedisTarget, lua: string, options?: { connectTimeoutMs?: number }): ScriptClient;
