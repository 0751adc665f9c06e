import { useQuery } from '@rocicorp/zero/react';
import { useState } from 'react';
import { isLiveSubscription, tierNameKey, type TierStatus } from '../../sync-rules/mutators/patient-tiers.ts';
import { can } from '../../sync-rules/permissions.ts';
import { queries } from '../../sync-rules/queries.ts';
import { useSession } from '../sync/session-provider.tsx';
import { newWriteId } from '../sync/write-schemas.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { useWrite } from '../ui/use-write.ts';
import { TierForm, type TierFields, type TierProblems, type TierValues } from './tier-form.tsx';
import { priceText } from '../ui/tier-price.ts';
import { useTierPrice } from '../ui/use-tier-price.ts';

type Editing = { kind: 'new'; id: string } | { kind: 'edit'; id: string; fields: TierFields; termsFixed: boolean };
type TierRow = { id: string; name: string; status: TierStatus };

const EMPTY: TierFields = { name: '', description: '', price: '', currency: 'RON', billingPeriod: 'month' };

/** The clinic's catalogue of patient tiers: what it offers, at what price, and how many patients hold each. */
export function PatientTiersPage() {
  const t = useT();
  const session = useSession();
  const write = useWrite();
  const tierPrice = useTierPrice();
  const [tiers, details] = useQuery(queries.clinic.patientTiers());
  const [editing, setEditing] = useState<Editing | null>(null);
  const [archiving, setArchiving] = useState<TierRow | null>(null);
  const canManage = can(session.context, 'billing.manage');

  if (session.context.organizationId === null) {
    return (
      <>
        <PageTitle>{t('tiers.title')}</PageTitle>
        <p className="callout">{t('header.noOrganization')}</p>
      </>
    );
  }

  const nameTaken = (name: string, id: string) =>
    tiers.some((tier) => tier.status === 'active' && tier.id !== id && tierNameKey(tier.name) === tierNameKey(name));

  const save = async (values: TierValues): Promise<TierProblems | null> => {
    if (editing === null) return null;
    if (nameTaken(values.name, editing.id)) return { name: t('error.TIER_NAME_TAKEN') };
    const outcome = editing.kind === 'edit'
      ? await write('tier.update', {
          writeId: newWriteId(),
          id: editing.id,
          name: values.name,
          description: values.description,
          ...(editing.termsFixed ? {} : { priceMinor: values.priceMinor, currency: values.currency, billingPeriod: values.billingPeriod }),
        })
      : await write('tier.create', { writeId: newWriteId(), id: editing.id, ...values });
    if (outcome.status === 'rejected' && outcome.code === 'TIER_NAME_TAKEN') return { name: t('error.TIER_NAME_TAKEN') };
    if (outcome.status === 'rejected' && outcome.code === 'TIER_IN_USE') return { price: t('error.TIER_IN_USE') };
    if (outcome.status !== 'failed') setEditing(null);
    return null;
  };

  const setStatus = (id: string, status: TierStatus) => {
    void write('tier.setStatus', { writeId: newWriteId(), id, status });
  };

  return (
    <>
      <PageTitle>{t('tiers.title')}</PageTitle>
      <p className="muted">{t('tiers.explain')}</p>
      <div className="toolbar">
        {canManage ? (
          editing === null && (
            // One id per form: a retry after a rejection creates the same tier, not a second one.
            <button type="button" className="primary" onClick={() => setEditing({ kind: 'new', id: crypto.randomUUID() })}>
              {t('tiers.new')}
            </button>
          )
        ) : (
          <p className="muted">{t('tiers.readOnly')}</p>
        )}
      </div>
      {editing !== null && (
        <TierForm
          key={editing.id}
          initial={editing.kind === 'edit' ? editing.fields : EMPTY}
          termsFixed={editing.kind === 'edit' && editing.termsFixed}
          submitLabel={editing.kind === 'edit' ? t('tiers.save') : t('tiers.create')}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      )}
      {tiers.length === 0 ? (
        <p className="muted" data-testid="tiers-empty">
          {details.type === 'complete' ? t('tiers.empty') : t('common.loading')}
        </p>
      ) : (
        <table className="data-table" data-testid="tiers-table">
          <caption className="visually-hidden">{t('tiers.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tiers.name')}</th>
              <th scope="col">{t('tiers.price')}</th>
              <th scope="col">{t('tiers.statusLabel')}</th>
              <th scope="col">{t('tiers.subscribers')}</th>
              {canManage && <th scope="col">{t('tiers.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {tiers.map((tier) => {
              const subscribers = tier.subscriptions.filter((subscription) => isLiveSubscription(subscription.status)).length;
              const fields: TierFields = {
                name: tier.name,
                description: tier.description,
                price: priceText(tier.priceMinor, tier.currency),
                currency: tier.currency,
                billingPeriod: tier.billingPeriod,
              };
              return (
                <tr key={tier.id} data-testid="tier-row" data-tier-id={tier.id} data-status={tier.status}>
                  <th scope="row">
                    {tier.name}
                    {tier.description !== '' && <p className="muted">{tier.description}</p>}
                  </th>
                  <td data-testid="tier-price">{tierPrice(tier)}</td>
                  <td>
                    <span className={`status status-${tier.status === 'active' ? 'active' : 'inactive'}`}>{t(`tiers.status.${tier.status}`)}</span>
                  </td>
                  <td>{subscribers}</td>
                  {canManage && (
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          className="small"
                          onClick={() => setEditing({ kind: 'edit', id: tier.id, fields, termsFixed: tier.subscriptions.length > 0 })}
                        >
                          {t('tiers.edit')}
                        </button>
                        {tier.status === 'active' ? (
                          <button type="button" className="small danger" onClick={() => setArchiving(tier)}>
                            {t('tiers.archive')}
                          </button>
                        ) : (
                          <button type="button" className="small" onClick={() => setStatus(tier.id, 'active')}>
                            {t('tiers.offerAgain')}
                          </button>
                        )}
                      </div>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={archiving !== null}
        title={t('tiers.archiveTitle', { name: archiving?.name ?? '' })}
        confirmLabel={t('tiers.archive')}
        onCancel={() => setArchiving(null)}
        onConfirm={() => {
          if (archiving !== null) setStatus(archiving.id, 'archived');
          setArchiving(null);
        }}
      >
        <p>{t('tiers.archiveExplain')}</p>
      </ConfirmDialog>
    </>
  );
}
