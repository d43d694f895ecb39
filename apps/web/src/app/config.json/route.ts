import { NextResponse } from 'next/server';
import { workspaceOfLocalKey } from '../../lib/local-workspace';
import { readWebEnv } from '../../lib/server-env';

export const dynamic = 'force-dynamic';

/**
 * Runtime configuration for the browser: where the API is and which workspace is the local user's. The local API
 * key never leaves the server and is never attached to the browser's requests: `localSignIn: true` says
 * `POST /local-sign-in` signs the local owner in (embedded mode, local origin only); pages use the session cookie. `publicApiUrl` is what webhook
 * URLs and curl examples show.
 */
export async function GET(): Promise<NextResponse> {
  const env = readWebEnv();
  const workspaceId = env.OUTRUN_WORKSPACE_ID ?? (env.OUTRUN_API_KEY ? await workspaceOfLocalKey(env.OUTRUN_API_KEY, env.OUTRUN_DATA_DIR) : null);
  return NextResponse.json(
    {
      apiUrl: '/gateway',
      publicApiUrl: (env.WORKFLOW_PUBLIC_API_URL ?? env.WORKFLOW_API_URL).replace(/\/$/, ''),
      apiKey: null,
      localSignIn: env.OUTRUN_API_KEY !== undefined,
      workspaceId,
      traceUrlTemplate: env.OUTRUN_TRACE_URL_TEMPLATE ?? null,
    },
    { headers: { 'cache-control': 'no-store' } },
  );
}
