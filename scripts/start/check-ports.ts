import { createServer } from 'node:net';

export interface PortClaim {
  port: number;
  /** The env var that changes it, named in the error. */
  envVar: string;
  service: string;
}

/** Resolves when `port` can be bound on all interfaces; rejects with EADDRINUSE otherwise. */
function probe(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Checks every port before anything starts, so a clash gives one clear line naming the port and the env var,
 * instead of a half-started stack. Port 0 (tests) is always free.
 */
export async function findPortClashes(claims: PortClaim[]): Promise<string[]> {
  const problems: string[] = [];
  for (const claim of claims) {
    if (claim.port === 0) continue;
    try {
      await probe(claim.port);
    } catch {
      problems.push(`Port ${claim.port} (${claim.service}) is already in use: stop what uses it, or set ${claim.envVar} to another port.`);
    }
  }
  return problems;
}
