'use client';
/** The signed-in person and the workspace chosen in the switcher; sends the anonymous to /login. */
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { chooseWorkspace, chosenWorkspace, sessionCall, type Me, type MeWorkspace } from '../../lib/session-api';

export function useMe(): { me: Me | null; current: MeWorkspace | null; switchTo: (id: string) => void; error: string | null } {
  const router = useRouter();
  const [me, setMe] = useState<Me | null>(null);
  const [current, setCurrent] = useState<MeWorkspace | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    sessionCall<Me>('GET', '/api/auth/me')
      .then((m) => {
        setMe(m);
        setCurrent(chosenWorkspace(m));
      })
      .catch((e: unknown) => {
        if ((e as { status?: number }).status === 401) router.replace('/login');
        else setError(String(e));
      });
  }, [router]);
  const switchTo = useCallback(
    (id: string) => {
      chooseWorkspace(id);
      if (me) setCurrent(chosenWorkspace(me));
    },
    [me],
  );
  return { me, current, switchTo, error };
}
