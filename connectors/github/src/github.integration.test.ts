/**
 * Against a local server speaking GitHub's documented REST API for issues: it checks method, path, the
 * `Authorization: Bearer`, `Accept: application/vnd.github+json`, `X-GitHub-Api-Version` and `User-Agent` headers
 * and the JSON body, and answers with the documented status codes and shapes (201 issue, 201 comment, 200 labels,
 * 404 / 422 errors, 403 secondary rate limit with Retry-After).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '@outrun/nodes';
import { RetryAfterError } from '@outrun/schemas';
import { runAction } from '@outrun/connector-kit/testing';
import github from './index';

const TOKEN = 'ghp_testtoken1234567890';
const issues = new Map<number, { title: string; body?: string; labels: string[]; comments: string[] }>();
let throttleNext = false;
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(value));
    };
    const h = req.headers;
    if (h.authorization !== `Bearer ${TOKEN}`) return json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    if (h.accept !== 'application/vnd.github+json' || h['x-github-api-version'] !== '2022-11-28' || !h['user-agent']) return json(400, { message: 'missing documented headers' });
    if (throttleNext) {
      throttleNext = false;
      return json(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '60' });
    }
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const base = '/repos/octo/hello';
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && req.url === `${base}/issues`) {
      if (typeof body.title !== 'string' || body.title === '') return json(422, { message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] });
      const number = issues.size + 1;
      issues.set(number, { title: body.title, ...(typeof body.body === 'string' ? { body: body.body } : {}), labels: (body.labels as string[]) ?? [], comments: [] });
      return json(201, { id: 1000 + number, number, title: body.title, state: 'open', html_url: `https://github.com/octo/hello/issues/${number}` });
    }
    if (req.method === 'POST' && (m = /^\/repos\/octo\/hello\/issues\/(\d+)\/comments$/.exec(req.url ?? ''))) {
      const issue = issues.get(Number(m[1]));
      if (!issue) return json(404, { message: 'Not Found' });
      issue.comments.push(String(body.body));
      return json(201, { id: 5000 + issue.comments.length, body: body.body, html_url: `https://github.com/octo/hello/issues/${m[1]}#issuecomment-${5000 + issue.comments.length}` });
    }
    if (req.method === 'POST' && (m = /^\/repos\/octo\/hello\/issues\/(\d+)\/labels$/.exec(req.url ?? ''))) {
      const issue = issues.get(Number(m[1]));
      if (!issue) return json(404, { message: 'Not Found' });
      for (const l of body.labels as string[]) if (!issue.labels.includes(l)) issue.labels.push(l);
      return json(200, issue.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false })));
    }
    return json(404, { message: 'Not Found' });
  });
});
let baseUrl = '';
const http = createHttpClient({ allowList: ['127.0.0.1'] });
const credential = () => ({ token: TOKEN, baseUrl });

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => {
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  resolve();
})));
afterAll(async () => {
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('github issues', () => {
  it('creates an issue, comments on it and adds labels', async () => {
    const created = await runAction(github, 'createIssue', { http, credential: credential(), params: { owner: 'octo', repo: 'hello', title: 'Order 42 failed', body: 'details', labels: ['bug'] } });
    expect(created.output).toEqual({ number: 1, id: 1001, url: 'https://github.com/octo/hello/issues/1', state: 'open', title: 'Order 42 failed' });
    const comment = await runAction(github, 'commentIssue', { http, credential: credential(), params: { owner: 'octo', repo: 'hello', issueNumber: 1, body: 'Retried, still failing' } });
    expect(comment.output).toMatchObject({ id: 5001 });
    const labels = await runAction(github, 'labelIssue', { http, credential: credential(), params: { owner: 'octo', repo: 'hello', issueNumber: 1, labels: ['bug', 'orders'] } });
    expect(labels.output).toEqual({ labels: ['bug', 'orders'] });
    expect(issues.get(1)).toEqual({ title: 'Order 42 failed', body: 'details', labels: ['bug', 'orders'], comments: ['Retried, still failing'] });
  });

  it('404 and 401 fail at once; a secondary rate limit waits its Retry-After', async () => {
    await expect(runAction(github, 'commentIssue', { http, credential: credential(), params: { owner: 'octo', repo: 'hello', issueNumber: 99, body: 'x' } })).rejects.toMatchObject({ code: 'OUT_ERR_CONNECTOR_FAILED' });
    const unauthorised = await runAction(github, 'createIssue', { http, credential: { token: 'ghp_wrongtoken000000', baseUrl }, params: { owner: 'octo', repo: 'hello', title: 't' } }).then(() => new Error("expected a failure"), (e: unknown) => e as Error);
    expect(unauthorised).toMatchObject({ code: 'OUT_ERR_CONNECTOR_FAILED' });
    expect(unauthorised.message).toContain('Bad credentials');
    throttleNext = true;
    const err = await runAction(github, 'createIssue', { http, credential: credential(), params: { owner: 'octo', repo: 'hello', title: 't' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryAfterError);
  });
});
