import { useEffect, useId, useRef, useState } from 'react';
import { shareLinkQr, type ShareLink } from '../sync/invitations-api.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { reasonOf, useApi } from '../ui/use-api.ts';

/** Where people type the code by hand: the join page without a code. */
const joinPageOf = (joinUrl: string): string => {
  const url = new URL(joinUrl);
  return `${url.origin}${url.pathname}`;
};

/**
 * The poster for a waiting room or an intake desk: the clinic's name, the QR code the server draws
 * (an image, never markup put into the page), the code in letters and how to use it. Printing
 * prints the poster alone (invitations.css).
 */
export function ShareLinkPoster({ link, clinic, onClose }: { link: ShareLink; clinic: string; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const titleId = useId();
  const section = useRef<HTMLElement>(null);
  const [qr, setQr] = useState<{ url: string } | { failed: NoticeReason } | null>(null);

  useEffect(() => {
    let live = true;
    let url: string | null = null;
    setQr(null);
    api((token) => shareLinkQr(token, link.id)).then(
      (svg) => {
        url = URL.createObjectURL(svg);
        if (live) setQr({ url });
        else URL.revokeObjectURL(url);
      },
      (error: unknown) => {
        if (live) setQr({ failed: reasonOf(error) });
      },
    );
    return () => {
      live = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [api, link.id]);

  useEffect(() => {
    section.current?.focus();
  }, [link.id]);

  return (
    <section ref={section} className="share-poster" aria-labelledby={titleId} tabIndex={-1} data-testid="share-poster">
      <h2 id={titleId} className="poster-clinic">
        {clinic}
      </h2>
      <p className="poster-lead">{t('shareLinks.posterLead')}</p>
      {qr === null && <p className="muted">{t('common.loading')}</p>}
      {qr !== null && 'url' in qr && <img className="poster-qr" src={qr.url} alt={t('shareLinks.qrAlt', { code: link.code })} data-testid="share-qr" />}
      {qr !== null && 'failed' in qr && <p className="callout">{reasonText(t, qr.failed)}</p>}
      <p>{t('shareLinks.posterScan')}</p>
      <p>{t('shareLinks.posterType', { url: joinPageOf(link.joinUrl) })}</p>
      <p className="poster-code" data-testid="share-code">
        {link.code}
      </p>
      <div className="no-print">
        <p className="muted">
          {t('shareLinks.directLink')}{' '}
          <a href={link.joinUrl} data-testid="join-url">
            {link.joinUrl}
          </a>
        </p>
        <div className="actions">
          <button type="button" className="primary" onClick={() => window.print()}>
            {t('shareLinks.print')}
          </button>
          <button type="button" onClick={onClose}>
            {t('shareLinks.closePoster')}
          </button>
        </div>
      </div>
    </section>
  );
}
