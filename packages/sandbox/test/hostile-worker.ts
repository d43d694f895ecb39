/** A worker entry for the pool's own tests: tasks that never end or allocate without bound. */
import { retireAfterThisTask, serveTasks } from '../src/serve-tasks';

serveTasks({
  echo: (payload) => payload,
  retire: (payload) => {
    retireAfterThisTask();
    return payload;
  },
  spin: () => {
    for (;;) {
      // a loop no guardrail inside the thread can stop
    }
  },
  allocate: () => {
    const keep: string[][] = [];
    for (;;) keep.push(Array.from({ length: 100_000 }, (_, i) => `item ${i} of a bomb`));
  },
  fail: () => {
    throw Object.assign(new Error('boom'), { code: 'OUT_ERR_NODE_FAILED' });
  },
});
