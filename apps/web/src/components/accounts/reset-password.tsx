'use client';
/** Sets a new password from a reset link (`?token=`), or asks for a reset email. */
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { sessionCall } from '../../lib/session-api';
import { AccountForm, NewPasswordField } from './account-form';

export function ResetPassword() {
  const token = useSearchParams().get('token');
  const [value, setValue] = useState('');
  const [done, setDone] = useState<string | null>(null);

  async function submit() {
    if (token) {
      await sessionCall('POST', '/api/auth/password-reset/confirm', { token, password: value });
      setDone('Password changed. Every session was signed out.');
    } else {
      await sessionCall('POST', '/api/auth/password-reset', { email: value });
      setDone('If this email has an account, a reset link is on its way.');
    }
  }

  return (
    <div className="page" style={{ maxWidth: 420 }}>
      <h1>{token ? 'Choose a new password' : 'Reset your password'}</h1>
      {done ? (
        <p role="status">
          {done} <Link href="/login">Sign in</Link>
        </p>
      ) : (
        <AccountForm submitLabel={token ? 'Set password' : 'Send the link'} onSubmit={submit}>
          {token ? (
            <NewPasswordField label="New password" value={value} onChange={setValue} />
          ) : (
            <label className="stack">
              Email
              <input type="email" required minLength={3} value={value} onChange={(e) => setValue(e.target.value)} />
            </label>
          )}
        </AccountForm>
      )}
    </div>
  );
}
