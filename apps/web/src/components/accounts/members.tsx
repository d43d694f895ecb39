'use client';
/** Members of the chosen workspace: list, invite by email, change roles (owners and admins only; others read). */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Member } from '@outrun/schemas';
import { canManageMembers, sessionCall, SessionApiError } from '../../lib/session-api';
import { useMe } from './use-me';
import { AccountBar } from './workspace-switcher';

const ROLES = ['viewer', 'operator', 'editor', 'admin', 'owner'] as const;

export function Members() {
  const { me, current, switchTo, error: meError } = useMe();
  const [members, setMembers] = useState<Member[]>([]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('viewer');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ws = current?.workspace.id;
  const manage = canManageMembers(current?.role);

  const load = useCallback(async () => {
    if (!ws) return;
    setMembers((await sessionCall<{ items: Member[] }>('GET', `/api/workspaces/${ws}/members`)).items);
  }, [ws]);
  useEffect(() => {
    load().catch((e: unknown) => setError(String(e)));
  }, [load]);

  async function invite(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const result = await sessionCall<{ emailed: boolean; acceptUrl?: string }>('POST', `/api/workspaces/${ws}/invitations`, { email, role });
      setNotice(result.emailed ? `Invitation emailed to ${email}.` : `Send this link to ${email}: ${result.acceptUrl ?? ''}`);
      setEmail('');
    } catch (e) {
      setError(e instanceof SessionApiError ? e.message : String(e));
    }
  }

  async function changeRole(userId: string, next: string) {
    setError(null);
    try {
      await sessionCall('PATCH', `/api/workspaces/${ws}/members/${userId}`, { role: next });
      await load();
    } catch (e) {
      setError(e instanceof SessionApiError ? e.message : String(e));
    }
  }

  if (meError) return <div className="page banner banner-error">{meError}</div>;
  if (!me) return <div className="page muted">Loading…</div>;
  return (
    <div className="page">
      <AccountBar me={me} current={current} switchTo={switchTo} />
      <div className="page-head">
        <h1>Members</h1>
        <span className="muted">your role: {current?.role ?? 'none'}</span>
      </div>
      {manage ? (
        <form className="row" onSubmit={invite} aria-label="Invite">
          <input type="email" required placeholder="colleague@example.com" aria-label="Email to invite" value={email} onChange={(e) => setEmail(e.target.value)} />
          <select aria-label="Role to invite" value={role} onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])}>
            {ROLES.filter((r) => r !== 'owner' || current?.role === 'owner').map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <button type="submit" className="btn btn-primary">
            Invite
          </button>
        </form>
      ) : (
        <p className="muted">Only owners and admins invite people and change roles.</p>
      )}
      {notice ? <p role="status">{notice}</p> : null}
      {error ? (
        <p role="alert" className="banner banner-error">
          {error}
        </p>
      ) : null}
      <table className="table" aria-label="Members">
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Role</th>
            <th>Since</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>{m.email}</td>
              <td>{m.name ?? ''}</td>
              <td>
                <select aria-label={`Role of ${m.email}`} value={m.role} disabled={!manage || m.userId === me.user.id} onChange={(e) => void changeRole(m.userId, e.target.value)}>
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </td>
              <td className="muted">{new Date(m.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
