'use client';
/** Joins the workspace of an invitation link (`?token=&email=`): a new password, or the existing account's. */
import { useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { sessionCall, SessionApiError } from '../../lib/session-api';

export function AcceptInvitation() {
  const params = useSearchParams();
  const token = params.get('token') ?? '';
  const email = params.get('email') ?? '';
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Enabled once hydrated: a click before that would submit the bare HTML form.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await sessionCall('POST', '/api/auth/invitations/accept', { token, email, password, ...(name ? { name } : {}) });
      window.location.assign('/members');
    } catch (e) {
      setError(e instanceof SessionApiError ? e.message : String(e));
    }
  }

  return (
    <div className="page" style={{ maxWidth: 420 }}>
      <h1>Join the workspace</h1>
      <p className="muted">
        Invitation for <strong>{email}</strong>. Choose a password (or enter yours if you already have an account).
      </p>
      <form className="stack" onSubmit={submit} aria-label="Accept invitation">
        <label className="stack">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
        </label>
        <label className="stack">
          Password
          <input type="password" required minLength={10} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </label>
        {error ? (
          <p role="alert" className="banner banner-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={!ready}>
          Join
        </button>
      </form>
    </div>
  );
}
