import { useQuery } from '@rocicorp/zero/react';
import { isLiveSubscription } from '../../sync-rules/mutators/patient-tiers.ts';
import { queries } from '../../sync-rules/queries.ts';
import { useFormat, useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { useTierPrice } from '../ui/use-tier-price.ts';

type Grouped = { organizationId: string; organization?: { name: string } | undefined };

/** Subscriptions grouped by clinic, clinics in the order of their newest subscription. */
function byClinic<S extends Grouped>(subscriptions: readonly S[]): { organizationId: string; name: string; subscriptions: S[] }[] {
  const groups = new Map<string, { organizationId: string; name: string; subscriptions: S[] }>();
  for (const subscription of subscriptions) {
    const group = groups.get(subscription.organizationId)
      ?? { organizationId: subscription.organizationId, name: subscription.organization?.name ?? '', subscriptions: [] };
    group.subscriptions.push(subscription);
    groups.set(subscription.organizationId, group);
  }
  return [...groups.values()];
}

/** The patient's subscriptions in every clinic they are a patient of, read from their own synced slice. */
export function MySubscriptions() {
  const t = useT();
  const format = useFormat();
  const tierPrice = useTierPrice();
  const [subscriptions, details] = useQuery(queries.me.subscriptions());
  const clinics = byClinic(subscriptions);
  return (
    <section aria-labelledby="my-subscriptions-title" data-testid="my-subscriptions">
      <h2 id="my-subscriptions-title">{t('tiers.mySubscriptions')}</h2>
      {clinics.length === 0 && (
        <p className="muted" data-testid="my-subscriptions-empty">
          {details.type === 'complete' ? t('tiers.myNone') : t('common.loading')}
        </p>
      )}
      {clinics.map((clinic) => (
        <div key={clinic.organizationId} data-testid="my-subscription-clinic">
          <h3>{clinic.name === '' ? t('tiers.unknownClinic') : clinic.name}</h3>
          <ul className="subscription-list">
            {clinic.subscriptions.map((subscription) => (
              <li key={subscription.id} data-testid="my-subscription" data-status={subscription.status}>
                <strong>{subscription.tier?.name ?? t('tiers.unknownTier')}</strong>{' '}
                {subscription.tier !== undefined && <span>{tierPrice(subscription.tier)}</span>}{' '}
                <span className={`status status-${isLiveSubscription(subscription.status) ? 'active' : 'inactive'}`}>
                  {t(`tiers.subscriptionStatus.${subscription.status}`)}
                </span>
                {subscription.tier !== undefined && subscription.tier.description !== '' && <p className="muted">{subscription.tier.description}</p>}
                <p className="muted">
                  {t('tiers.since', { date: format.date(subscription.startedAt) })}
                  {subscription.currentPeriodEnd !== null && subscription.currentPeriodEnd !== undefined && isLiveSubscription(subscription.status) && (
                    <> · {t('tiers.periodEnds', { date: format.date(subscription.currentPeriodEnd) })}</>
                  )}
                  {subscription.cancelledAt !== null && subscription.cancelledAt !== undefined && (
                    <> · {t('tiers.cancelledOn', { date: format.date(subscription.cancelledAt) })}</>
                  )}
                </p>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** The Portal's /subscriptions. */
export function MySubscriptionsPage() {
  const t = useT();
  return (
    <>
      <PageTitle>{t('tiers.mySubscriptions')}</PageTitle>
      <MySubscriptions />
    </>
  );
}
