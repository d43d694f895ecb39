'use client';
/** Who is signed in, to which gateway and workspace. The browser never holds an API key: it uses its session. */
import { AccountBar } from '../accounts/workspace-switcher';
import { useApiContext } from '../../lib/api-context';

export function ConnectionForm() {
  const { config, me, current, switchTo } = useApiContext();
  return (
    <section className="card stack" aria-label="Connection">
      <h2>Connection</h2>
      <p className="muted" style={{ margin: 0 }}>
        The app talks to the API gateway at <code>{config?.publicApiUrl ?? '…'}</code> (server env <code>WORKFLOW_API_URL</code>) with your
        session; it never holds an API key (create keys for scripts in the API keys tab).
        {config?.localSignIn ? ' On this local install the local owner is signed in automatically.' : ''}
      </p>
      {me ? <AccountBar me={me} current={current} switchTo={switchTo} /> : <p className="muted">Not signed in.</p>}
    </section>
  );
}
