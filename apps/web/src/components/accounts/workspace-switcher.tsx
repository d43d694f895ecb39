'use client';
import type { Me, MeWorkspace } from '../../lib/session-api';
import { sessionCall } from '../../lib/session-api';

/** Who is signed in, which workspace (a switcher when there are several) and their role; sign out. */
export function AccountBar({ me, current, switchTo }: { me: Me; current: MeWorkspace | null; switchTo: (id: string) => void }) {
  return (
    <div className="row" aria-label="Account">
      <span>
        Signed in as <strong>{me.user.email}</strong>
      </span>
      <span className="muted">Workspace</span>
      <select aria-label="Workspace" value={current?.workspace.id ?? ''} onChange={(e) => switchTo(e.target.value)}>
          {me.workspaces.map((w) => (
            <option key={w.workspace.id} value={w.workspace.id}>
              {w.workspace.name} ({w.role})
            </option>
          ))}
      </select>
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => {
          void sessionCall('POST', '/api/auth/sign-out').finally(() => window.location.assign('/login'));
        }}
      >
        Sign out
      </button>
    </div>
  );
}
