'use client';
/** The signed-in person and the workspace chosen in the switcher (loaded once by `ApiProvider`, which sends the anonymous to /login). */
import { useApiContext } from '../../lib/api-context';
import type { Me, MeWorkspace } from '../../lib/session-api';

export function useMe(): { me: Me | null; current: MeWorkspace | null; switchTo: (id: string) => void; error: string | null } {
  const { me, current, switchTo, loadError } = useApiContext();
  return { me, current, switchTo, error: loadError };
}
