'use client';
/** Sets a new password from a reset link (`?token=`), or asks for a reset email. */
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { sessionCall, SessionApiError } from '../../lib/session-api';

export function ResetPassword() {
  const token = useSearchParams().get('token');
  const [value, setValue] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Enabled once hydrated: a click before that would submit the bare HTML form.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      if (token) {
        await sessionCall('POST', '/api/auth/password-reset/confirm', { token, password: value });
        setDone('Password changed. Every session was signed out.');
      } else {
        await sessionCall('POST', '/api/auth/password-reset', { email: value });
        setDone('If this email has an account, a reset link is on its way.');
      }
    } catch (e) {
      setError(e instanceof SessionApiError ? e.message : String(e));
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
        <form className="stack" onSubmit={submit}>
          <label className="stack">
            {token ? 'New password' : 'Email'}
            <input type={token ? 'password' : 'email'} required minLength={token ? 10 : 3} value={value} onChange={(e) => setValue(e.target.value)} />
          </label>
          {error ? (
            <p role="alert" className="banner banner-error">
              {error}
            </p>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={!ready}>
            {token ? 'Set password' : 'Send the link'}
          </button>
        </form>
      )}
    </div>
  );
}
