/**
 * The HTTP layer alone, for `http-layer.bench.ts`: POST /webhook/:ws/:trigger → read the JSON body, parse it,
 * answer 202 `{runId, statusUrl}`. `express` uses express.json() + a route; `node` uses node:http and the
 * listener's own body reader. Prints `port=<n>` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { sendJson } from '../src/http/respond';
import { parseBody, readBody } from '../src/webhook/read-body';

let n = 0;
const answer = (ws: string) => ({ runId: `r${n++}`, statusUrl: `/api/workspaces/${ws}/runs/r${n}` });

function nodeServer() {
  return createServer((req, res) => {
    const parts = (req.url ?? '').split('?')[0]?.split('/') ?? [];
    if (req.method !== 'POST' || parts[1] !== 'webhook' || parts.length !== 4) return sendJson(res, 404, { error: 'not found' });
    void readBody(req, 1024 * 1024).then((read) => {
      if (!read.ok) return sendJson(res, 413, { error: 'too large' });
      const body = parseBody(req.headers['content-type'], read.body);
      if (!body.ok) return sendJson(res, 400, { error: body.code });
      sendJson(res, 202, answer(parts[2] ?? ''));
    });
  });
}

function expressServer() {
  const app = express();
  app.disable('x-powered-by');
  app.post('/webhook/:ws/:trigger', express.json({ limit: '1mb' }), (req, res) => {
    res.status(202).json(answer(req.params.ws));
  });
  return createServer(app);
}

const server = process.argv[2] === 'express' ? expressServer() : nodeServer();
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port=${(server.address() as AddressInfo).port}\n`);
});
