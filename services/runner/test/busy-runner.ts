/**
 * A runner process for the "blocked event loop" test: the real runner on BullMQ and the shared SQLite file,
 * with one extra node, `test.busy`, that holds the event loop for `ms` (synchronous CPU work, as a large
 * transform or a runaway expression would) and appends one line per execution to a file.
 * Argument: JSON `{dataDir, encryptionKey, redisUrl, prefix, executionsFile, lockHeartbeat}`.
 */
import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import { createLogger } from '@outrun/config';
import { createNodeCatalog, defineNode } from '@outrun/nodes';
import { createBullmqQueue } from '@outrun/queue/bullmq';
import { openQueue } from '@outrun/queue/open';
import { openStore } from '@outrun/store/open';
import { createRunner } from '../src/runner';

const args = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; encryptionKey: string; redisUrl: string; prefix: string; executionsFile: string; lockHeartbeat: boolean };

const busyNode = defineNode({
  type: 'test.busy',
  label: 'Busy',
  description: 'Holds the event loop',
  category: 'core',
  icon: 'cpu',
  params: z.object({ ms: z.number().default(10_000) }),
  inputs: [{ id: 'in' }],
  outputs: [{ id: 'out' }],
  execute(ctx) {
    appendFileSync(args.executionsFile, `${process.pid} ${ctx.runId} ${ctx.nodeId}\n`);
    const until = Date.now() + ctx.params.ms;
    let spins = 0;
    while (Date.now() < until) spins++;
    return Promise.resolve({ output: { spins: spins > 0 } });
  },
});

const logger = createLogger({ name: 'busy-runner', level: 'warn' });
const store = await openStore({ dataDir: args.dataDir, encryptionKey: args.encryptionKey, logger });
const opened = openQueue({ redisUrl: args.redisUrl, prefix: args.prefix, logger });
const queue = createBullmqQueue({ connection: args.redisUrl, prefix: args.prefix, logger, lockHeartbeat: args.lockHeartbeat });
const runner = createRunner({
  store, queue, events: opened.events, limiter: opened.limiter, catalog: createNodeCatalog([busyNode]), logger,
  options: { concurrency: 4, reconcileIntervalMs: 0 },
});
await runner.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void runner.stop({ graceMs: 100 }).finally(() => process.exit(0));
});
