'use client';
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Re-runs the loader; keeps the previous data while loading (no flicker). */
  reload: () => void;
  setData: (next: T) => void;
}

/** Runs `load` when `deps` change; ignores answers that arrive after a newer request started. */
export function useAsync<T>(load: (() => Promise<T>) | null, deps: DependencyList): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);

  useEffect(() => {
    if (!load) return;
    const mine = ++seq.current;
    setLoading(true);
    load()
      .then((value) => {
        if (mine !== seq.current) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if (mine === seq.current) setError(e);
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, [...deps, tick, load === null]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}
