/**
 * `npx tsx services/runner/bench/idle-rss.bench.ts` — RSS of one BullMQ runner process (`src/main.ts` under tsx,
 * the bench's heap flags) after it has sat idle for IDLE_SECONDS (default 8): start-up footprint of the modules and
 * threads a runner loads (the lock-heartbeat thread, telemetry), independent of the machine's CPU load.
 */
import { readFileSync } from 'node:fs';
import { cleanupPrefix, SHARED_REDIS_URL, uniquePrefix } from '@outrun/testing/redis';
import { createTempSqliteStore } from '@outrun/testing/sqlite';
import { spawnRunner } from '../test/runner-process';

const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 8);
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const threads = (pid: number) => Number(/Threads:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

const temp = await createTempSqliteStore();
const prefix = uniquePrefix('idle-rss');
const runner = await spawnRunner({ dataDir: temp.dir, encryptionKey: temp.encryptionKey, redisUrl: SHARED_REDIS_URL, prefix, nodeArgs: ['--max-semi-space-size=8', '--max-old-space-size=256'] });
try {
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const pid = runner.child.pid!;
  console.log(`idle BullMQ runner after ${IDLE_SECONDS} s: RSS ${rssMb(pid).toFixed(1)} MB, ${threads(pid)} threads (node ${process.version})`);
} finally {
  runner.kill('SIGTERM');
  await runner.exited;
  await cleanupPrefix(SHARED_REDIS_URL, prefix);
  await temp.cleanup();
}
