import { useCallback, useState } from 'react';

/** A button's async work: busy while it runs, and the failure (if any) to show next to it. */
export function useAction(): {
  busy: boolean;
  error: unknown;
  setError: (error: unknown) => void;
  run: (action: () => Promise<void>) => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback((action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    action()
      .catch((failure: unknown) => setError(failure))
      .finally(() => setBusy(false));
  }, []);
  return { busy, error, setError, run };
}
