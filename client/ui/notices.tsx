import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useT } from './i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from './notice-reason.ts';

/** `rejected`: a write the server or the client refused; otherwise an error of the app itself. */
type Notice = { id: number; reason: NoticeReason; rejected: boolean };

type Notices = {
  notices: readonly Notice[];
  notify: (notice: Omit<Notice, 'id'>) => void;
  dismiss: (id: number) => void;
  /** After a fresh start (sign-in), earlier errors no longer apply. */
  dismissAll: () => void;
};

const NoticesContext = createContext<Notices | undefined>(undefined);

// Errors stay until dismissed (people must have time to read them), but an old pile is not useful.
const MAX_NOTICES = 5;

export function NoticesProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<readonly Notice[]>([]);
  const nextId = useRef(1);

  const notify = useCallback((notice: Omit<Notice, 'id'>) => {
    const id = nextId.current++;
    setNotices((current) => [...current, { ...notice, id }].slice(-MAX_NOTICES));
  }, []);
  const dismiss = useCallback((id: number) => setNotices((current) => current.filter((notice) => notice.id !== id)), []);

  const dismissAll = useCallback(() => setNotices([]), []);

  const value = useMemo(() => ({ notices, notify, dismiss, dismissAll }), [notices, notify, dismiss, dismissAll]);
  return <NoticesContext.Provider value={value}>{children}</NoticesContext.Provider>;
}

function useNotices(): Notices {
  const notices = useContext(NoticesContext);
  if (notices === undefined) throw new Error('notices need a <NoticesProvider> above them');
  return notices;
}

export function useNotify(): Notices['notify'] {
  return useNotices().notify;
}

export function useDismissAllNotices(): Notices['dismissAll'] {
  return useNotices().dismissAll;
}

/**
 * The live region is always in the page, so screen readers announce what is added to it.
 * Messages are translated when shown, so they follow a language switch.
 */
export function NoticeArea() {
  const t = useT();
  const { notices, dismiss } = useNotices();
  return (
    <div className="notice-area" role="alert" data-testid="notice" aria-label={t('common.notifications')}>
      {notices.map((notice) => (
        <p key={notice.id} className="notice" data-code={notice.reason}>
          <span>{notice.rejected ? t('notice.rejected', { reason: reasonText(t, notice.reason) }) : reasonText(t, notice.reason)}</span>
          <button type="button" className="link-button" onClick={() => dismiss(notice.id)}>
            {t('common.dismiss')}
          </button>
        </p>
      ))}
    </div>
  );
}
