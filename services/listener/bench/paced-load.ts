/**
 * An open-loop, evenly paced load generator: request i is due at `start + i / rate`, and its latency is measured
 * from that due time (so a late client or a slow server both count: no coordinated omission). autocannon's rate
 * mode instead lets every connection send its whole per-second budget back to back at the top of each second,
 * which measures bursts, not a steady rate.
 */
import { Agent, request } from 'node:http';

export interface PacedResult {
  latencies: number[];
  statuses: Map<number, number>;
  sent: number;
}

export interface PacedOptions {
  host: string;
  port: number;
  path: string;
  rate: number;
  seconds: number;
  makeRequest: () => { headers: Record<string, string>; body: string };
  onResponse?: (status: number, body: string) => void;
}

export function runPaced(options: PacedOptions): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const start = performance.now() + 20;
  const result: PacedResult = { latencies: [], statuses: new Map(), sent: 0 };
  let done = 0;
  return new Promise((resolve) => {
    const finish = () => {
      if (++done === total) {
        agent.destroy();
        resolve(result);
      }
    };
    const send = (due: number) => {
      const { headers, body } = options.makeRequest();
      const req = request({ host: options.host, port: options.port, path: options.path, method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          result.latencies.push(performance.now() - due);
          const status = res.statusCode ?? 0;
          result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
          options.onResponse?.(status, Buffer.concat(chunks).toString());
          finish();
        });
      });
      req.on('error', () => {
        result.statuses.set(0, (result.statuses.get(0) ?? 0) + 1);
        finish();
      });
      req.end(body);
      result.sent++;
    };
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < total && start + i * interval <= now) send(start + i++ * interval);
      if (i < total) setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    };
    tick();
  });
}

export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
