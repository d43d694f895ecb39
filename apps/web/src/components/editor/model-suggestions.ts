'use client';
/**
 * The AI model names the editor offers: the price catalogue's models of the provider the node's credential points
 * at (from the gateway), or the catalogue's OpenAI models in the node schema while none is chosen. Any name is
 * still accepted (a local server's model, a newer one).
 */
import { useApiContext } from '../../lib/api-context';
import { useAsync } from '../../lib/use-async';

export function useModelSuggestions(credentialId: string | undefined, fallback: string[]): { provider: string | null; models: string[] } {
  const { api } = useApiContext();
  const listed = useAsync(api && credentialId ? () => api.listAiModels(credentialId) : null, [api, credentialId]);
  if (!credentialId || !listed.data) return { provider: null, models: fallback };
  return { provider: listed.data.provider, models: listed.data.models };
}
