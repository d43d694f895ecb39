/** Resident set sizes read from /proc (Linux), for the bench's memory figures. */
import { readdirSync, readFileSync } from 'node:fs';

const readOrNull = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process exited meanwhile
  }
};

/** RSS (MB) of one process; 0 once it is gone. */
export function processRssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readOrNull(`/proc/${pid}/status`) ?? '');
  return m ? Number(m[1]) / 1024 : 0;
}

/** RSS (MB) of `pid` and every descendant; `skipRoot` leaves out `pid` itself (an `npm` wrapper, say). */
export function treeRssMb(pid: number, skipRoot = false): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    const stat = readOrNull(`/proc/${entry}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (!(skipRoot && p === pid)) total += processRssMb(p);
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}
