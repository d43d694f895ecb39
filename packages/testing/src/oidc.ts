/**
 * A real OpenID Connect provider for tests (`oidc-provider`, a certified implementation) on an ephemeral port.
 * Login and consent are answered programmatically: the next authorization signs in as `loginAs(accountId)`.
 */
import { createServer, type Server } from 'node:http';
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
  close(): Promise<void>;
}

export async function startTestOidcProvider(options: { clients: TestOidcClient[]; accounts: Record<string, TestOidcAccount> }): Promise<TestOidcProvider> {
  let nextAccount = Object.keys(options.accounts)[0] ?? 'nobody';
  let codeTtl = 60;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: options.clients.map((c) => ({ client_id: c.clientId, client_secret: c.clientSecret, redirect_uris: [c.redirectUri], token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code'], response_types: ['code'] })),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    conformIdTokenClaims: false, // scope claims go into the ID token (what the gateway reads)
    pkce: { required: () => true },
    ttl: { AuthorizationCode: () => codeTtl },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    findAccount: (_ctx: unknown, id: string) => {
      const account = options.accounts[id];
      return account ? { accountId: id, claims: () => ({ sub: id, email: account.email, email_verified: true, ...(account.name ? { name: account.name } : {}), groups: account.groups ?? [] }) } : undefined;
    },
    loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string } } }) => {
      const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
