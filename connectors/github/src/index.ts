/**
 * GitHub REST API (issues): create an issue, comment on it, add labels. Requests carry the documented headers
 * (`Accept: application/vnd.github+json`, `X-GitHub-Api-Version`, a User-Agent); secondary rate limits (403/429
 * with `Retry-After`) wait as told. Incoming GitHub events: a webhook trigger with `auth: github`.
 */
import { z } from 'zod';
import { defineAction, defineConnector, defineCredential, requestJson, type JsonRequest } from '@outrun/connector-kit';
import type { HttpClient } from '@outrun/engine';
import type { JsonValue } from '@outrun/schemas';

const GithubCredentialData = z.object({
  token: z.string().min(10).max(500).describe('A fine-grained or classic personal access token, or an app installation token'),
  /** @default https://api.github.com (GitHub Enterprise: https://HOST/api/v3) */
  baseUrl: z.string().url().default('https://api.github.com'),
});
type GithubCredentialData = z.infer<typeof GithubCredentialData>;

const API_VERSION = '2022-11-28';

function call(http: HttpClient, credential: GithubCredentialData, request: Omit<JsonRequest, 'url'> & { path: string }) {
  const { path, ...rest } = request;
  return requestJson(http, {
    ...rest,
    url: `${credential.baseUrl.replace(/\/$/, '')}${path}`,
    headers: { authorization: `Bearer ${credential.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': API_VERSION, 'user-agent': 'outrun-connector-github', ...rest.headers },
  });
}

const githubCredential = defineCredential({
  label: 'GitHub token',
  schema: GithubCredentialData,
  secretFields: ['token'],
  async test(credential, { http, signal }) {
    if (!http) throw new Error('no HTTP client');
    await call(http, credential, { method: 'GET', path: '/user', signal });
  },
});

const Name = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'owner or repository name');
const Repo = { owner: Name, repo: Name };
const seg = encodeURIComponent;
const summary = (issue: JsonValue) => {
  const i = issue as { number?: number; html_url?: string; state?: string; title?: string; id?: number };
  return { number: i.number ?? null, id: i.id ?? null, url: i.html_url ?? null, state: i.state ?? null, title: i.title ?? null };
};

const createIssue = defineAction({
  label: 'Create issue',
  description: 'Opens an issue in a repository (title, body, labels, assignees).',
  credential: githubCredential,
  params: z.object({ ...Repo, title: z.string().min(1).max(256), body: z.string().max(65_536).optional(), labels: z.array(z.string().min(1).max(50)).max(100).default([]), assignees: z.array(Name).max(10).default([]) }),
  async run({ params, credential, http, signal }) {
    const { body } = await call(http, credential, { method: 'POST', path: `/repos/${seg(params.owner)}/${seg(params.repo)}/issues`, signal, body: { title: params.title, ...(params.body !== undefined ? { body: params.body } : {}), labels: params.labels, assignees: params.assignees } });
    return summary(body);
  },
});

const commentIssue = defineAction({
  label: 'Comment on issue',
  description: 'Adds a comment to an issue or pull request.',
  credential: githubCredential,
  params: z.object({ ...Repo, issueNumber: z.number().int().min(1), body: z.string().min(1).max(65_536) }),
  async run({ params, credential, http, signal }) {
    const { body } = await call(http, credential, { method: 'POST', path: `/repos/${seg(params.owner)}/${seg(params.repo)}/issues/${params.issueNumber}/comments`, signal, body: { body: params.body } });
    const c = body as { id?: number; html_url?: string };
    return { id: c.id ?? null, url: c.html_url ?? null };
  },
});

const labelIssue = defineAction({
  label: 'Add labels',
  description: 'Adds labels to an issue or pull request (existing labels are kept).',
  credential: githubCredential,
  params: z.object({ ...Repo, issueNumber: z.number().int().min(1), labels: z.array(z.string().min(1).max(50)).min(1).max(100) }),
  async run({ params, credential, http, signal }) {
    const { body } = await call(http, credential, { method: 'POST', path: `/repos/${seg(params.owner)}/${seg(params.repo)}/issues/${params.issueNumber}/labels`, signal, body: { labels: params.labels } });
    return { labels: Array.isArray(body) ? body.map((l) => (l as { name?: string }).name ?? '') : [] };
  },
});

export default defineConnector({
  name: 'github',
  version: '1.0.0',
  label: 'GitHub',
  description: 'Create, comment on and label GitHub issues; receive GitHub events with a webhook trigger.',
  category: 'developer',
  icon: 'git',
  credentials: { token: githubCredential },
  actions: { createIssue, commentIssue, labelIssue },
});
