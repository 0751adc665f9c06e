import { useState } from 'react';
import { can } from '../../sync-rules/permissions.ts';
import { listShareLinks, revokeShareLink, type ShareLink } from '../sync/invitations-api.ts';
import { useSession } from '../sync/session-provider.tsx';
import { currentOrganizationName } from '../sync/session.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useFormat, useT } from '../ui/i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from '../ui/notice-reason.ts';
import { PageTitle } from '../ui/page-title.tsx';
import { reasonOf, useApi, useApiQuery } from '../ui/use-api.ts';
import { ShareLinkForm } from './share-link-form.tsx';
import { ShareLinkPoster } from './share-link-poster.tsx';
import { ReasonAlert } from '../ui/reason-alert.tsx';

/** Owners and admins make codes patients join the clinic with, print them as posters, and revoke them. */
export function ShareLinksPage() {
  const t = useT();
  const session = useSession();
  const organizationId = session.context.organizationId;
  if (organizationId === null || !can(session.context, 'members.manage')) {
    return (
      <>
        <PageTitle>{t('shareLinks.title')}</PageTitle>
        <p className="callout">{organizationId === null ? t('header.noOrganization') : t('shareLinks.notAllowed')}</p>
      </>
    );
  }
  return <ShareLinks organizationId={organizationId} clinic={currentOrganizationName(session) ?? ''} />;
}

function ShareLinks({ organizationId, clinic }: { organizationId: string; clinic: string }) {
  const t = useT();
  const api = useApi();
  const [links, reload] = useApiQuery(listShareLinks, `share-links:${organizationId}`);
  const [poster, setPoster] = useState<ShareLink | null>(null);
  const [revoking, setRevoking] = useState<ShareLink | null>(null);
  const [failure, setFailure] = useState<NoticeReason | null>(null);

  const revoke = (link: ShareLink) => {
    setFailure(null);
    if (poster?.id === link.id) setPoster(null);
    api((token) => revokeShareLink(token, link.id))
      .catch((error: unknown) => setFailure(reasonOf(error)))
      .finally(reload);
  };

  return (
    <>
      <PageTitle>{t('shareLinks.title')}</PageTitle>
      <p>{t('shareLinks.intro')}</p>
      <ShareLinkForm
        onCreated={(link) => {
          reload();
          setPoster(link);
        }}
      />
      <ReasonAlert reason={failure} />
      {poster !== null && <ShareLinkPoster link={poster} clinic={clinic} onClose={() => setPoster(null)} />}

      <h2>{t('shareLinks.listTitle')}</h2>
      {links.status === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {links.status === 'failed' && (
        <p className="callout">
          {reasonText(t, links.reason)}{' '}
          <button type="button" className="small" onClick={reload}>
            {t('shareLinks.retry')}
          </button>
        </p>
      )}
      {links.status === 'ready' && links.value.length === 0 && <p className="muted">{t('shareLinks.empty')}</p>}
      {links.status === 'ready' && links.value.length > 0 && (
        <table className="data-table">
          <caption className="visually-hidden">{t('shareLinks.listTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('shareLinks.label')}</th>
              <th scope="col">{t('shareLinks.code')}</th>
              <th scope="col">{t('shareLinks.uses')}</th>
              <th scope="col">{t('shareLinks.status')}</th>
              <th scope="col">{t('shareLinks.expires')}</th>
              <th scope="col">{t('shareLinks.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {links.value.map((link) => (
              <ShareLinkRow key={link.id} link={link} onPoster={() => setPoster(link)} onRevoke={() => setRevoking(link)} />
            ))}
          </tbody>
        </table>
      )}

      <ConfirmDialog
        open={revoking !== null}
        title={t('shareLinks.revokeTitle', { label: revoking?.label ?? '' })}
        confirmLabel={t('shareLinks.revokeConfirm')}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking !== null) revoke(revoking);
          setRevoking(null);
        }}
      >
        <p>{t('shareLinks.revokeExplain')}</p>
      </ConfirmDialog>
    </>
  );
}

function ShareLinkRow({ link, onPoster, onRevoke }: { link: ShareLink; onPoster: () => void; onRevoke: () => void }) {
  const t = useT();
  const format = useFormat();
  const expires = format.date(link.expiresAt);
  return (
    <tr data-testid="share-link-row" data-status={link.status} data-code={link.code}>
      <th scope="row">{link.label}</th>
      <td className="code">{link.code}</td>
      <td>{link.maxUses === null ? t('shareLinks.usesUnlimited', { uses: link.uses }) : t('shareLinks.usesOf', { uses: link.uses, max: link.maxUses })}</td>
      <td>
        <span className={`status status-${link.status}`}>{t(`shareLinks.status.${link.status}`)}</span>
      </td>
      <td>{expires}</td>
      <td>
        <span className="row-actions">
          {link.status === 'active' && (
            <button type="button" className="small" onClick={onPoster}>
              {t('shareLinks.showPoster')}
            </button>
          )}
          {link.status !== 'revoked' && (
            <button type="button" className="small danger" onClick={onRevoke}>
              {t('shareLinks.revoke')}
            </button>
          )}
        </span>
      </td>
    </tr>
  );
}
