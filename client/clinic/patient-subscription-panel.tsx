import { useQuery } from '@rocicorp/zero/react';
import { useId, useState, type FormEvent } from 'react';
import {
  isLiveSubscription,
  nextSubscriptionStatuses,
  STARTING_STATUSES,
  type SubscriptionStatus,
} from '../../sync-rules/mutators/patient-tiers.ts';
import { can } from '../../sync-rules/permissions.ts';
import { queries } from '../../sync-rules/queries.ts';
import { useSession } from '../sync/session-provider.tsx';
import { newWriteId } from '../sync/write-schemas.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useFormat, useT } from '../ui/i18n/i18n-provider.tsx';
import { useTierPrice } from '../ui/use-tier-price.ts';
import { useWrite } from '../ui/use-write.ts';

type Ending = { id: string; status: Extract<SubscriptionStatus, 'cancelled' | 'expired'> };
type Starting = (typeof STARTING_STATUSES)[number];

/**
 * One patient's subscriptions in this clinic, newest first, for the patient's page: billing managers
 * subscribe the patient to an offered tier and move the live subscription along its statuses.
 */
export function PatientSubscriptionPanel({ patientId }: { patientId: string }) {
  const t = useT();
  const format = useFormat();
  const session = useSession();
  const write = useWrite();
  const tierPrice = useTierPrice();
  const tierFieldId = useId();
  const startFieldId = useId();
  const [subscriptions, details] = useQuery(queries.clinic.patientSubscriptions(patientId));
  const [tiers] = useQuery(queries.clinic.patientTiers());
  const [tierId, setTierId] = useState('');
  const [starting, setStarting] = useState<Starting>('active');
  const [ending, setEnding] = useState<Ending | null>(null);
  const canManage = can(session.context, 'billing.manage');
  const offered = tiers.filter((tier) => tier.status === 'active');
  const live = subscriptions.find((subscription) => isLiveSubscription(subscription.status));
  const chosen = offered.find((tier) => tier.id === tierId) ?? offered[0];

  const subscribe = (event: FormEvent) => {
    event.preventDefault();
    if (chosen === undefined) return;
    void write('tier.subscribe', { writeId: newWriteId(), id: crypto.randomUUID(), patientId, tierId: chosen.id, status: starting });
  };
  const setStatus = (id: string, status: SubscriptionStatus) => {
    void write('tier.setSubscriptionStatus', { writeId: newWriteId(), id, status });
  };

  return (
    <section aria-labelledby={`${tierFieldId}-title`} data-testid="patient-subscriptions" className="panel">
      <h2 id={`${tierFieldId}-title`}>{t('tiers.subscriptionTitle')}</h2>
      {subscriptions.length === 0 ? (
        <p className="muted" data-testid="subscriptions-empty">
          {details.type === 'complete' ? t('tiers.noSubscription') : t('common.loading')}
        </p>
      ) : (
        <ul className="subscription-list">
          {subscriptions.map((subscription) => (
            <li key={subscription.id} data-testid="subscription" data-status={subscription.status} data-subscription-id={subscription.id}>
              <strong>{subscription.tier?.name ?? t('tiers.unknownTier')}</strong>{' '}
              {subscription.tier !== undefined && <span>{tierPrice(subscription.tier)}</span>}{' '}
              <span className={`status status-${isLiveSubscription(subscription.status) ? 'active' : 'inactive'}`}>
                {t(`tiers.subscriptionStatus.${subscription.status}`)}
              </span>
              <p className="muted">
                {t('tiers.since', { date: format.date(subscription.startedAt) })}
                {subscription.currentPeriodEnd !== null && subscription.currentPeriodEnd !== undefined && isLiveSubscription(subscription.status) && (
                  <> · {t('tiers.periodEnds', { date: format.date(subscription.currentPeriodEnd) })}</>
                )}
                {subscription.cancelledAt !== null && subscription.cancelledAt !== undefined && (
                  <> · {t('tiers.cancelledOn', { date: format.date(subscription.cancelledAt) })}</>
                )}
              </p>
              {canManage && isLiveSubscription(subscription.status) && (
                <div className="row-actions">
                  {nextSubscriptionStatuses(subscription.status).map((next) => (
                    <button
                      key={next}
                      type="button"
                      className={next === 'cancelled' || next === 'expired' ? 'small danger' : 'small'}
                      onClick={() => (next === 'cancelled' || next === 'expired' ? setEnding({ id: subscription.id, status: next }) : setStatus(subscription.id, next))}
                    >
                      {t(`tiers.moveTo.${next}`)}
                    </button>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {canManage && live === undefined && details.type === 'complete' && (
        offered.length === 0 ? (
          <p className="muted">{t('tiers.noneOffered')}</p>
        ) : (
          <form className="form" onSubmit={subscribe} data-testid="subscribe-form">
            <div className="field">
              <label htmlFor={tierFieldId}>{t('tiers.tier')}</label>
              <select id={tierFieldId} value={chosen?.id ?? ''} onChange={(event) => setTierId(event.target.value)}>
                {offered.map((tier) => (
                  <option key={tier.id} value={tier.id}>
                    {t('tiers.option', { name: tier.name, price: tierPrice(tier) })}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={startFieldId}>{t('tiers.startAs')}</label>
              <select
                id={startFieldId}
                value={starting}
                onChange={(event) => {
                  const status = STARTING_STATUSES.find((value) => value === event.target.value);
                  if (status !== undefined) setStarting(status);
                }}
              >
                {STARTING_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {t(`tiers.subscriptionStatus.${status}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="actions">
              <button type="submit" className="primary">
                {t('tiers.subscribe')}
              </button>
            </div>
          </form>
        )
      )}
      <ConfirmDialog
        open={ending !== null}
        title={ending?.status === 'expired' ? t('tiers.expireTitle') : t('tiers.cancelTitle')}
        confirmLabel={ending?.status === 'expired' ? t('tiers.moveTo.expired') : t('tiers.moveTo.cancelled')}
        onCancel={() => setEnding(null)}
        onConfirm={() => {
          if (ending !== null) setStatus(ending.id, ending.status);
          setEnding(null);
        }}
      >
        <p>{t('tiers.endExplain')}</p>
      </ConfirmDialog>
    </section>
  );
}
