import type { Translate } from '../ui/i18n/i18n-provider.tsx';
import type { Locale } from '../ui/i18n/messages.ts';
import type { Purpose, TrailEntry } from './consents-api.ts';

/** A purpose's title in the reader's language, from the catalogue; its code when the catalogue lacks it. */
export function purposeTitle(purposes: readonly Purpose[], code: string, locale: Locale): string {
  return purposes.find((purpose) => purpose.code === code)?.title[locale] ?? code;
}

/** What a ledger row did, in words: an acknowledgement of a document, or a consent given or withdrawn. */
export function trailAction(t: Translate, purposes: readonly Purpose[], entry: Pick<TrailEntry, 'purpose' | 'action'>): string {
  const documentPurpose = purposes.find((purpose) => purpose.code === entry.purpose)?.document ?? null;
  if (documentPurpose !== null && entry.action === 'grant') return t('consent.action.acknowledged');
  return entry.action === 'grant' ? t('consent.action.granted') : t('consent.action.withdrawn');
}

export function trailSource(t: Translate, source: string): string {
  if (source === 'onboarding') return t('consent.source.onboarding');
  if (source === 'reacknowledgement') return t('consent.source.reacknowledgement');
  return t('consent.source.portal');
}
