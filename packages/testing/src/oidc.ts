// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the ambient types must follow this file into other projects (apps/web imports it)
/// <reference path="./oidc-provider-module.d.ts" />
/**
 * A real OpenID Connect provider for tests (`oidc-provider`, a certified implementation) on an ephemeral port.
 * Login and consent are answered programmatically (the next authorization signs in as `loginAs(accountId)`), or,
 * with `interactive: true`, by a browser on oidc-provider's own login and consent pages (any password; the login
 * name is the account id). `replaceNextIdToken` plays a man in the middle at the token endpoint.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestOidcAccount {
  email: string;
  name?: string;
  groups?: string[];
}

export interface TestOidcClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface TestOidcProvider {
  issuer: string;
  /** The account the next login resolves to. */
  loginAs(accountId: string): void;
  /** Lifetime of authorization codes from now on, in seconds. */
  setCodeTtlSeconds(seconds: number): void;
  /**
   * The next redirect back to a client is not delivered: the browser gets a "held back" page and the promise the
   * answer's URL (code, state, iss) — an attacker holding the answer, to tamper with or to deliver late.
   */
  holdNextAnswer(): Promise<string>;
  /** The next token response carries this ID token instead of the one the provider made (then back to normal). */
  replaceNextIdToken(idToken: string): void;
  /**
   * An ID token the provider signs for `clientId` (its own audience) after a full code flow as that client
   * (programmatic login only), with the given nonce.
   */
  idTokenFor(clientId: string, options: { accountId: string; nonce: string }): Promise<string>;
  close(): Promise<void>;
}

export interface TestOidcOptions {
  clients: TestOidcClient[];
  accounts: Record<string, TestOidcAccount>;
  /** Login and consent on the provider's pages, in a browser. @default false */
  interactive?: boolean;
}

export async function startTestOidcProvider(options: TestOidcOptions): Promise<TestOidcProvider> {
  let nextAccount = Object.keys(options.accounts)[0] ?? 'nobody';
  let codeTtl = 60;
  let swapIdToken: string | null = null;
  let holding: ((url: string) => void) | null = null;
  const redirectUris = options.clients.map((c) => c.redirectUri);
  const interactive = options.interactive === true;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({ client_id: c.clientId, client_secret: c.clientSecret, redirect_uris: [c.redirectUri], token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code'], response_types: ['code'] })),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    conformIdTokenClaims: false, // scope claims go into the ID token (what the gateway reads)
    pkce: { required: () => true },
    ttl: { AuthorizationCode: () => codeTtl },
    ...(interactive ? {} : { interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` } }),
    features: { devInteractions: { enabled: interactive } },
    findAccount: (_ctx: unknown, id: string) => {
      const account = options.accounts[id];
      return account ? { accountId: id, claims: () => ({ sub: id, email: account.email, email_verified: true, ...(account.name ? { name: account.name } : {}), groups: account.groups ?? [] }) } : undefined;
    },
    // Programmatic mode grants the scopes without a consent step; the browser sees the consent page.
    ...(interactive
      ? {}
      : {
          loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string } } }) => {
            const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
            grant.addOIDCScope('openid email profile');
            await grant.save();
            return grant;
          },
        }),
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (holding) {
      holdClientRedirect(res, redirectUris, (url) => {
        const deliver = holding;
        holding = null;
        deliver?.(url);
        return deliver !== null;
      });
    }
    if (swapIdToken !== null && req.method === 'POST' && req.url?.startsWith('/token')) {
      replaceIdTokenIn(res, swapIdToken);
      swapIdToken = null;
    }
    if (!interactive && req.url?.startsWith('/interaction/')) {
      provider.interactionFinished(req, res, { login: { accountId: nextAccount } }, { mergeWithLastSubmission: false }).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    handle(req, res);
  });
  return {
    issuer,
    loginAs(accountId) {
      nextAccount = accountId;
    },
    setCodeTtlSeconds(seconds) {
      codeTtl = seconds;
    },
    holdNextAnswer() {
      return new Promise<string>((resolve) => {
        holding = resolve;
      });
    },
    replaceNextIdToken(idToken) {
      swapIdToken = idToken;
    },
    async idTokenFor(clientId, { accountId, nonce }) {
      const c = options.clients.find((x) => x.clientId === clientId);
      if (!c || interactive) throw new Error(`idTokenFor: unknown client ${clientId} (or an interactive provider)`);
      nextAccount = accountId;
      const verifier = randomBytes(32).toString('base64url');
      const authorize = new URL('/auth', issuer);
      for (const [k, v] of Object.entries({ client_id: clientId, redirect_uri: c.redirectUri, response_type: 'code', scope: 'openid email profile', nonce, state: 'test', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' })) authorize.searchParams.set(k, v);
      const code = new URL(await followToRedirectUri(authorize.href, c.redirectUri)).searchParams.get('code');
      if (!code) throw new Error('idTokenFor: no code');
      const res = await fetch(new URL('/token', issuer), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: c.redirectUri, code_verifier: verifier, client_id: clientId, client_secret: c.clientSecret }) });
      const body = (await res.json()) as { id_token?: string };
      if (!body.id_token) throw new Error(`idTokenFor: ${JSON.stringify(body)}`);
      return body.id_token;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Rewrites the JSON body of a token response on its way out (Koa ends with the whole body and its length). */
function replaceIdTokenIn(res: ServerResponse, idToken: string): void {
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => unknown;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) {
      try {
        const body = JSON.parse(chunk.toString()) as Record<string, unknown>;
        if (typeof body.id_token === 'string') {
          const replaced = JSON.stringify({ ...body, id_token: idToken });
          if (!res.headersSent) res.setHeader('content-length', Buffer.byteLength(replaced));
          return end(replaced, ...rest);
        }
      } catch {
        // not JSON: pass through
      }
    }
    return end(chunk, ...rest);
  }) as typeof res.end;
}

/** Follows redirects with a cookie jar (the provider's interaction cookies) until one points at `target`. */
async function followToRedirectUri(start: string, target: string): Promise<string> {
  const jar = new Map<string, string>();
  let current = start;
  for (let i = 0; i < 10; i++) {
    if (current.startsWith(target)) return current;
    const res = await fetch(current, { redirect: 'manual', headers: jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {} });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    await res.arrayBuffer();
    if (!location) throw new Error(`followToRedirectUri: ${res.status} at ${current}`);
    current = new URL(location, current).href;
  }
  throw new Error('followToRedirectUri: too many redirects');
}

/** Turns a redirect to one of `redirectUris` into a plain page when `take(url)` says this one is held. */
function holdClientRedirect(res: ServerResponse, redirectUris: readonly string[], take: (url: string) => boolean): void {
  const end = res.end.bind(res) as (...args: unknown[]) => unknown;
  res.end = ((...args: unknown[]) => {
    const location = res.getHeader('location');
    if (!res.headersSent && typeof location === 'string' && redirectUris.some((u) => location.startsWith(u)) && take(location)) {
      const page = '<!doctype html><title>Held back</title><p>The provider\'s answer was held back by the test.</p>';
      res.statusCode = 200;
      res.removeHeader('location');
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('content-length', Buffer.byteLength(page));
      return end(page);
    }
    return end(...args);
  }) as typeof res.end;
}
