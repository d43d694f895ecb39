// A minimal OTLP/HTTP endpoint for the tracing benchmark: answers 200 to every export, keeps only counts.
// Usage: node scripts/bench/otlp-discard-sink.mjs <port>; prints "requests bytes" on SIGTERM.
import { createServer } from 'node:http';

let requests = 0;
let bytes = 0;
const server = createServer((req, res) => {
  req.on('data', (c) => (bytes += c.length));
  req.on('end', () => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
server.listen(Number(process.argv[2]), '127.0.0.1');
process.on('SIGTERM', () => {
  process.stdout.write(`${requests} ${bytes}\n`);
  process.exit(0);
});
