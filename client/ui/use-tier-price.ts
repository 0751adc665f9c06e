import { useCallback } from 'react';
import type { BillingPeriod } from '../../sync-rules/mutators/patient-tiers.ts';
import { useFormat, useT } from './i18n/i18n-provider.tsx';
import { majorAmount } from './tier-price.ts';

type Priced = { priceMinor: number; currency: string; billingPeriod: BillingPeriod };

/** A tier's price as people read it in their language: "150,00 RON pe lună", "£12.00 a year". */
export function useTierPrice(): (tier: Priced) => string {
  const t = useT();
  const format = useFormat();
  return useCallback(
    (tier) => t(`tiers.pricePer.${tier.billingPeriod}`, { price: format.currency(majorAmount(tier.priceMinor, tier.currency), tier.currency) }),
    [t, format],
  );
}
