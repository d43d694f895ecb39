// oidc-provider ships no type declarations; the test fixture uses a handful of its members.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  const Provider: new (issuer: string, configuration: Record<string, unknown>) => {
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: Record<string, unknown>): Promise<void>;
    Grant: new (init: { clientId: string; accountId: string }) => { addOIDCScope(scope: string): void; save(): Promise<string> };
    on(event: string, listener: (...args: unknown[]) => void): void;
  };
  export default Provider;
}
