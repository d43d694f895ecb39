'use client';
/** Joins the workspace of an invitation link (`?token=&email=`): a new password, or the existing account's. */
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { sessionCall } from '../../lib/session-api';
import { AccountForm, NewPasswordField } from './account-form';

export function AcceptInvitation() {
  const params = useSearchParams();
  const token = params.get('token') ?? '';
  const email = params.get('email') ?? '';
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');

  async function accept() {
    await sessionCall('POST', '/api/auth/invitations/accept', { token, email, password, ...(name ? { name } : {}) });
    window.location.assign('/members');
  }

  return (
    <div className="page" style={{ maxWidth: 420 }}>
      <h1>Join the workspace</h1>
      <p className="muted">
        Invitation for <strong>{email}</strong>. Choose a password (or enter yours if you already have an account).
      </p>
      <AccountForm label="Accept invitation" submitLabel="Join" onSubmit={accept}>
        <label className="stack">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
        </label>
        <NewPasswordField label="Password" value={password} onChange={setPassword} />
      </AccountForm>
    </div>
  );
}
