import { useQuery } from '@rocicorp/zero/react';
import { useMemo } from 'react';
import { can } from '../../sync-rules/permissions.ts';
import { queries } from '../../sync-rules/queries.ts';
import { useSession } from '../sync/session-provider.tsx';
import { useOutboxEntries } from '../sync/sync-provider.tsx';
import { useFormat, useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { OrganizationForm } from './organization-form.tsx';
import { withPendingOrganizations } from './pending-organizations.ts';

function OrganizationList() {
  const t = useT();
  const format = useFormat();
  const [rows, details] = useQuery(queries.console.organizations());
  const entries = useOutboxEntries();
  const organizations = useMemo(() => withPendingOrganizations(rows, entries), [rows, entries]);

  if (organizations.length === 0) {
    return <p className="muted">{details.type === 'complete' ? t('organizations.empty') : t('common.loading')}</p>;
  }
  return (
    <table className="data-table">
      <caption className="visually-hidden">{t('organizations.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('organizations.name')}</th>
          <th scope="col">{t('organizations.slug')}</th>
          <th scope="col">{t('organizations.tenancy')}</th>
          <th scope="col">{t('organizations.created')}</th>
        </tr>
      </thead>
      <tbody>
        {organizations.map((organization) => (
          <tr key={organization.id} data-testid="organization-row" data-organization-id={organization.id} data-pending={String(organization.pending)}>
            <th scope="row">
              {organization.name}
              {organization.pending && <span className="tag pending-tag">{t('organizations.pending')}</span>}
            </th>
            <td>{organization.slug}</td>
            <td>{t(`tenancy.${organization.tenancyMode}`)}</td>
            <td>{format.date(organization.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OrganizationsPage() {
  const t = useT();
  const { context } = useSession();

  if (!can(context, 'platform.organizations.read')) {
    return (
      <>
        <PageTitle>{t('organizations.title')}</PageTitle>
        <p className="callout" data-testid="operators-only">
          {t('organizations.operatorsOnly')}
        </p>
      </>
    );
  }
  return (
    <>
      <PageTitle>{t('organizations.title')}</PageTitle>
      {can(context, 'platform.manage') ? <OrganizationForm /> : <p className="muted">{t('organizations.readOnly')}</p>}
      <OrganizationList />
    </>
  );
}
