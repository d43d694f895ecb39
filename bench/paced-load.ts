/**
 * An open-loop load at an even pace: request i is sent at start + i/rate, whatever the answers do. autocannon's
 * `overallRate` is not that: each connection sends its share of the second back to back when the second starts
 * (a 1 s `setInterval` resets its count), so "300/s" arrives as a burst of 300 at every second and the runs queue
 * behind each other — the latency measured was the burst's drain, not the path (docs/performance.md, latency).
 */
import http from 'node:http';

export interface PacedLoadResult {
  statusCodeStats: Record<string, { count: number }>;
  errors: number;
}

export async function runPacedLoad(options: { url: string; rate: number; seconds: number; body: string; headers: Record<string, string> }): Promise<PacedLoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const statusCodeStats: Record<string, { count: number }> = {};
  let errors = 0;
  const send = () =>
    new Promise<void>((resolve) => {
      const req = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: 'POST', agent, headers: options.headers }, (res) => {
        res.resume();
        res.on('end', () => {
          (statusCodeStats[String(res.statusCode)] ??= { count: 0 }).count += 1;
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(options.body);
    });
  const total = Math.round(options.rate * options.seconds);
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < total; ) {
    const now = performance.now();
    // Everything due by now goes out (a late timer sends the overdue ones at once, as an open loop must).
    while (i < total && started + (i * 1000) / options.rate <= now) {
      inFlight.push(send());
      i += 1;
    }
    if (i < total) await new Promise((r) => setTimeout(r, Math.max(0, started + (i * 1000) / options.rate - performance.now())));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { statusCodeStats, errors };
}
