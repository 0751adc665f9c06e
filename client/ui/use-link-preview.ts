import { useEffect, useLayoutEffect, useRef } from 'react';
import type { NoticeReason } from './notice-reason.ts';
import { reasonOf, useApi } from './use-api.ts';

/** The steps a link's page passes through while it learns what the link offers. */
export type PreviewStep<P> =
  | { step: 'loading' }
  | { step: 'problem'; reason: NoticeReason }
  | { step: 'offer'; preview: P; busy: boolean; failure: NoticeReason | null };

/**
 * Loads what an invitation token or a share-link code offers whenever it changes, and moves the page
 * to `loading`, then to the offer or the reason it cannot be had. A missing value is the page's own
 * case (`onMissing`). An answer for a value the page has since left is dropped.
 */
export function useLinkPreview<P>(
  value: string | null,
  load: (bearer: string, value: string) => Promise<P>,
  setStep: (step: PreviewStep<P>) => void,
  onMissing: () => void,
): void {
  const api = useApi();
  const latest = useRef({ load, setStep, onMissing });
  useLayoutEffect(() => {
    latest.current = { load, setStep, onMissing };
  });
  useEffect(() => {
    if (value === null) {
      latest.current.onMissing();
      return;
    }
    let live = true;
    latest.current.setStep({ step: 'loading' });
    api((bearer) => latest.current.load(bearer, value)).then(
      (preview) => {
        if (live) latest.current.setStep({ step: 'offer', preview, busy: false, failure: null });
      },
      (error: unknown) => {
        if (live) latest.current.setStep({ step: 'problem', reason: reasonOf(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [api, value]);
}
