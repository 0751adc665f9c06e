import type { ErrorCode } from '../../sync-rules/errors.ts';
import type { Translate } from './i18n/i18n-provider.tsx';

/**
 * Why something failed, as the person is told: one of our error codes, the network, "unknown", or
 * a clinic switch refused because writes for the current clinic are still unconfirmed.
 */
export type NoticeReason = ErrorCode | 'NETWORK' | 'GENERIC' | 'SWITCH_PENDING';

export function reasonText(t: Translate, reason: NoticeReason): string {
  if (reason === 'NETWORK') return t('error.network');
  if (reason === 'GENERIC') return t('error.generic');
  if (reason === 'SWITCH_PENDING') return t('header.switchPending');
  return t(`error.${reason}`);
}
