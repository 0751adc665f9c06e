import { useId, useState, type FormEvent } from 'react';
import { BILLING_PERIODS, type BillingPeriod } from '../../sync-rules/mutators/patient-tiers.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { TextField } from '../ui/text-field.tsx';
import { parsePrice, TIER_CURRENCIES } from '../ui/tier-price.ts';

/** What the form edits; the price as typed, read into minor units on save. */
export type TierFields = { name: string; description: string; price: string; currency: string; billingPeriod: BillingPeriod };
export type TierValues = { name: string; description: string; priceMinor: number; currency: string; billingPeriod: BillingPeriod };
export type TierProblems = Partial<Record<'name' | 'price', string>>;

type Props = {
  initial: TierFields;
  /** A tier someone subscribed to keeps its price terms (the server refuses a change too). */
  termsFixed: boolean;
  submitLabel: string;
  /** Resolves to the problems to show, or null once saved. */
  onSave: (values: TierValues) => Promise<TierProblems | null>;
  onCancel: () => void;
};

export function TierForm({ initial, termsFixed, submitLabel, onSave, onCancel }: Props) {
  const t = useT();
  const currencyId = useId();
  const periodId = useId();
  const [fields, setFields] = useState(initial);
  const [problems, setProblems] = useState<TierProblems>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof TierFields>(field: K) => (value: TierFields[K]) => setFields((current) => ({ ...current, [field]: value }));
  // Only the codes the form offers, plus the tier's own if it was saved with another.
  const currencies = TIER_CURRENCIES.includes(fields.currency as (typeof TIER_CURRENCIES)[number]) ? TIER_CURRENCIES : [fields.currency, ...TIER_CURRENCIES];

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found: TierProblems = {};
    const name = fields.name.trim();
    if (name === '') found.name = t('validation.required');
    const priceMinor = parsePrice(fields.price, fields.currency);
    if (priceMinor === null) found.price = t('tiers.priceInvalid');
    setProblems(found);
    if (priceMinor === null || found.name !== undefined) return;
    setBusy(true);
    void onSave({ name, description: fields.description.trim(), priceMinor, currency: fields.currency, billingPeriod: fields.billingPeriod }).then((rejected) => {
      if (rejected !== null) setProblems(rejected);
      setBusy(false);
    });
  };

  return (
    <form className="panel form" onSubmit={onSubmit} noValidate data-testid="tier-form">
      <TextField label={t('tiers.name')} name="name" required autoComplete="off" value={fields.name} onChange={set('name')} error={problems.name} />
      <TextField label={t('tiers.description')} name="description" autoComplete="off" value={fields.description} onChange={set('description')} />
      <TextField
        label={t('tiers.price')}
        name="price"
        required
        inputMode="decimal"
        autoComplete="off"
        value={fields.price}
        onChange={set('price')}
        readOnly={termsFixed}
        hint={termsFixed ? t('tiers.termsFixed') : t('tiers.priceHint')}
        error={problems.price}
      />
      <div className="field">
        <label htmlFor={currencyId}>{t('tiers.currency')}</label>
        <select id={currencyId} value={fields.currency} disabled={termsFixed} onChange={(event) => set('currency')(event.target.value)}>
          {currencies.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={periodId}>{t('tiers.billingPeriod')}</label>
        <select
          id={periodId}
          value={fields.billingPeriod}
          disabled={termsFixed}
          onChange={(event) => {
            const period = BILLING_PERIODS.find((value) => value === event.target.value);
            if (period !== undefined) set('billingPeriod')(period);
          }}
        >
          {BILLING_PERIODS.map((period) => (
            <option key={period} value={period}>
              {t(`tiers.period.${period}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
